import { customerServiceWindowClosesAt, isCustomerServiceWindowOpen } from '@wabot/whatsapp';

export interface WindowState {
  open: boolean;
  /** When the window closes (or closed); null when the user never wrote. */
  expires_at: string | null;
}

/** The 24-hour window state of a conversation from its last inbound time, as the API shows it. */
export function toWindowState(lastInboundAt: Date | null, now = Date.now()): WindowState {
  if (!lastInboundAt) return { open: false, expires_at: null };
  return {
    open: isCustomerServiceWindowOpen(lastInboundAt, now),
    expires_at: customerServiceWindowClosesAt(lastInboundAt).toISOString(),
  };
}
