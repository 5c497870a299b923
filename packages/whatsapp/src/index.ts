export { chunkText, WHATSAPP_TEXT_LIMIT } from './chunk-text.js';
export {
  type GraphErrorDetail,
  type InboundMessage,
  isWhatsAppWebhook,
  normalizeWebhook,
  type StatusUpdate,
  UNSUPPORTED_MESSAGE_TEXT,
  type WebhookError,
  type WebhookEvent,
} from './normalize-webhook.js';
export { signWebhookBody, verifyWebhookSignature } from './webhook-signature.js';
