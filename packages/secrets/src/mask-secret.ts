/**
 * A hint that lets a person recognise a credential without revealing it: `EAAB…x9Q`.
 * Short values show nothing but their length class, so a hint never gives away most of a secret.
 */
export function maskSecret(value: string | null | undefined): string | null {
  if (!value) return null;
  if (value.length < 12) return '…';
  return `${value.slice(0, 4)}…${value.slice(-3)}`;
}
