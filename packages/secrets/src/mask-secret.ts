/**
 * A hint that lets a person recognise a credential without revealing it: `EAAB…x9Q` for a long
 * token. The shorter the value, the less of it shows, so a hint never gives away a large share of
 * a secret: under 12 characters nothing, under 24 one character at each end.
 */
export function maskSecret(value: string | null | undefined): string | null {
  if (!value) return null;
  if (value.length < 12) return '…';
  if (value.length < 24) return `${value.slice(0, 1)}…${value.slice(-1)}`;
  return `${value.slice(0, 4)}…${value.slice(-3)}`;
}
