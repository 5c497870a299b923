/**
 * True for the outer shape of a WhatsApp Business Account notification: an object whose `object`
 * is `whatsapp_business_account` with an `entry` array. Only what routing needs is checked here;
 * the worker parses the rest. Shallow on purpose: it never walks into nested values, so a deeply
 * nested body costs no more than its JSON.parse.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/overview
 */
export function isWebhookEnvelope(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    'object' in value &&
    value.object === 'whatsapp_business_account' &&
    'entry' in value &&
    Array.isArray(value.entry)
  );
}
