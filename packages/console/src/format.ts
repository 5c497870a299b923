// Words for what the API reports: delivery ticks, failures, the 24-hour window, times.

export interface DeliveryView {
  /** ✓ sent, ✓✓ delivered, ✓✓ (blue) read, ! failed, … pending. */
  ticks: string;
  /** The status in words, for everyone (the ticks are aria-hidden). */
  words: string;
  tone: 'pending' | 'sent' | 'delivered' | 'read' | 'failed';
}

/** Meta error codes an operator meets, in words (meta-cloud-api.md §7). */
const META_ERRORS: Record<number, string> = {
  131047: 'the 24-hour window is closed: only an approved template can reach this user now',
  131026: 'the message could not be delivered (the number may not be on WhatsApp, or its app is too old)',
  131051: 'WhatsApp does not support this message type',
  131053: 'the media could not be uploaded or downloaded',
  131056: 'too many messages to this user in a short time (pair rate limit)',
  130429: 'the phone number sends faster than its throughput allows',
  131048: 'spam rate limit: too many messages were blocked or reported',
  132000: "the template's parameters do not match its placeholders",
  132001: 'the template does not exist in this language, or is not approved',
  190: 'the access token expired or was revoked: update it under Platform configuration',
  10: 'the app lacks permission for this phone number (whatsapp_business_messaging)',
  100: 'Meta refused a parameter of the request',
};

function metaErrorWords(code: number | null | undefined, title?: string | null): string {
  const known = code === null || code === undefined ? undefined : META_ERRORS[code];
  if (known) return known;
  if (title) return title;
  return code ? `Meta error ${code}` : 'the send failed';
}

export function deliveryOf(message: {
  direction: 'inbound' | 'outbound';
  status: string;
  error_code: number | null;
  error_title: string | null;
}): DeliveryView | null {
  if (message.direction === 'inbound') return null;
  switch (message.status) {
    case 'read':
      return { ticks: '✓✓', words: 'Read', tone: 'read' };
    case 'delivered':
      return { ticks: '✓✓', words: 'Delivered', tone: 'delivered' };
    case 'sent':
      return { ticks: '✓', words: 'Sent', tone: 'sent' };
    case 'failed':
      if (message.error_title === 'cancelled_by_handoff')
        return { ticks: '–', words: 'Not sent: a person took over before this part went out', tone: 'failed' };
      if (message.error_title === 'not_sent')
        return {
          ticks: '–',
          words: 'Not sent: an earlier part failed or handed the conversation over',
          tone: 'failed',
        };
      return {
        ticks: '!',
        words: `Not delivered: ${metaErrorWords(message.error_code, message.error_title)}`,
        tone: 'failed',
      };
    case 'cancelled':
      return { ticks: '–', words: 'Not sent: cancelled (a person took over)', tone: 'failed' };
    default:
      return { ticks: '…', words: 'Sending', tone: 'pending' };
  }
}

/** Rank of a status: a late, older status event must not undo a newer one (read after delivered). */
const RANK: Record<string, number> = { pending: 0, sent: 1, delivered: 2, read: 3, failed: 4, cancelled: 4 };

export function laterStatus<S extends string>(current: S, next: S): S {
  return (RANK[next] ?? 0) >= (RANK[current] ?? 0) ? next : current;
}

export interface WindowView {
  open: boolean;
  words: string;
  /** Open, but for less than CLOSING_SOON_MS. */
  closingSoon: boolean;
}

const CLOSING_SOON_MS = 2 * 3600_000;

export function windowOf(
  window: { open: boolean; expires_at: string | null; closed_by_meta_at: string | null },
  now: number,
): WindowView {
  if (window.closed_by_meta_at && !window.open) {
    return { open: false, words: 'Window closed (Meta refused a message): send a template', closingSoon: false };
  }
  const expires = window.expires_at ? Date.parse(window.expires_at) : Number.NaN;
  if (!window.open || Number.isNaN(expires) || expires <= now) {
    return {
      open: false,
      words: 'Window closed: only an approved template reaches this user until they write again',
      closingSoon: false,
    };
  }
  const left = expires - now;
  return { open: true, words: `Window open for ${duration(left)}`, closingSoon: left < CLOSING_SOON_MS };
}

/** 90_000 → "1 min", 5_400_000 → "1 h 30 min". */
export function duration(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 1) return 'less than a minute';
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

export function timeOf(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** Sorts a transcript oldest first; a reply's parts by part index. */
export function chronological<M extends { id: string; created_at: string; part_index: number | null }>(
  messages: readonly M[],
): M[] {
  return [...messages].sort(
    (a, b) =>
      Date.parse(a.created_at) - Date.parse(b.created_at) ||
      (a.part_index ?? -1) - (b.part_index ?? -1) ||
      a.id.localeCompare(b.id),
  );
}

/** Message types that carry a file (fetched through GET /api/messages/:id/media). */
export const MEDIA_TYPES = new Set(['image', 'audio', 'voice', 'video', 'document', 'sticker']);
