/** WhatsApp's customer-service window: free-form replies are allowed for 24 h after the user's last message. */
export const CUSTOMER_SERVICE_WINDOW_MS = 24 * 3600 * 1000;

export interface WindowState {
  open: boolean;
  /** When the window closes (or closed); null when the user never wrote. */
  expires_at: string | null;
}

/** The window state of a conversation from its last inbound time. */
export function toWindowState(lastInboundAt: Date | null, now = Date.now()): WindowState {
  if (!lastInboundAt) return { open: false, expires_at: null };
  const expires = lastInboundAt.getTime() + CUSTOMER_SERVICE_WINDOW_MS;
  return { open: expires > now, expires_at: new Date(expires).toISOString() };
}
