/**
 * WhatsApp's customer-service window: free-form messages may be sent to a user only within 24 h
 * of that user's last message; outside it only approved templates are delivered (Meta refuses
 * anything else with 131047).
 * https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-messages#customer-service-windows
 */
export const CUSTOMER_SERVICE_WINDOW_MS = 24 * 3600 * 1000;

/** When the window opened by a user message at `lastInboundAt` closes (it is closed from that instant on). */
export function customerServiceWindowClosesAt(lastInboundAt: Date): Date {
  return new Date(lastInboundAt.getTime() + CUSTOMER_SERVICE_WINDOW_MS);
}

/**
 * Whether a free-form message may be sent at `now`: true strictly before 24 h have passed since
 * the user's last message, false at exactly 24 h and later, and false when the user never wrote.
 */
export function isCustomerServiceWindowOpen(lastInboundAt: Date | null, now = Date.now()): boolean {
  return lastInboundAt !== null && now < customerServiceWindowClosesAt(lastInboundAt).getTime();
}
