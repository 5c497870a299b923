import { customerServiceWindowClosesAt, isCustomerServiceWindowOpen } from '@wabot/whatsapp';

export interface WindowState {
  open: boolean;
  /** When the window closes (or closed); null when the user never wrote. */
  expires_at: string | null;
  /** When Meta refused a send with 131047 after the last inbound message (the window is closed). */
  closed_by_meta_at: string | null;
}

/**
 * The 24-hour window state of a conversation from its last inbound time, as the API shows it.
 * Meta has the last word: after a 131047 (`windowClosedAt`, newer than the last inbound message)
 * the window is closed whatever the clock says.
 */
export function toWindowState(
  lastInboundAt: Date | null,
  now = Date.now(),
  windowClosedAt: Date | null = null,
): WindowState {
  if (!lastInboundAt) return { open: false, expires_at: null, closed_by_meta_at: null };
  const closedByMeta = windowClosedAt && windowClosedAt >= lastInboundAt ? windowClosedAt : null;
  return {
    open: !closedByMeta && isCustomerServiceWindowOpen(lastInboundAt, now),
    expires_at: customerServiceWindowClosesAt(lastInboundAt).toISOString(),
    closed_by_meta_at: closedByMeta ? closedByMeta.toISOString() : null,
  };
}
