export { chunkText, WHATSAPP_TEXT_LIMIT } from './chunk-text.js';
export {
  type BackoffOptions,
  backoffDelayMs,
  classifyGraphError,
  GraphApiError,
  type GraphApiErrorInit,
  type GraphErrorCategory,
  pairRateLimitDelayMs,
} from './graph-api-error.js';
export {
  createGraphClient,
  type GraphAuth,
  type GraphClient,
  type GraphClientOptions,
  type PhoneNumberInfo,
  parseRetryAfter,
  type SendResult,
  type SendTextOptions,
  type TemplateSpec,
  toRecipient,
} from './graph-client.js';
export { type InboundMessage, inboundMessageSchema } from './inbound-message.js';
export {
  type GraphErrorDetail,
  isWhatsAppWebhook,
  normalizeWebhook,
  type StatusUpdate,
  UNSUPPORTED_MESSAGE_TEXT,
  type WebhookError,
  type WebhookEvent,
} from './normalize-webhook.js';
export { signWebhookBody, verifyWebhookSignature } from './webhook-signature.js';
