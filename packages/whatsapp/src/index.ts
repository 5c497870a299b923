export {
  type ActionPartMetadata,
  type ActionPayload,
  actionPartMetadataSchema,
  type MediaMessage,
  mediaMessageMetadataSchema,
  type SendableAction,
  type StoredMedia,
  storedMediaSchema,
  toActionMessageType,
  toActionPayload,
  toActionText,
  toReactionPayload,
} from './action-payloads.js';
export { chunkText, WHATSAPP_TEXT_LIMIT } from './chunk-text.js';
export {
  CUSTOMER_SERVICE_WINDOW_MS,
  customerServiceWindowClosesAt,
  isCustomerServiceWindowOpen,
} from './customer-service-window.js';
export {
  type BackoffOptions,
  backoffDelayMs,
  classifyGraphError,
  GraphApiError,
  type GraphApiErrorInit,
  type GraphErrorBody,
  type GraphErrorCategory,
  type GraphErrorResponseOptions,
  graphErrorBodySchema,
  parseGraphErrorResponse,
  redactSecrets,
} from './graph-api-error.js';
export {
  createGraphClient,
  type GraphAuth,
  type GraphClient,
  type GraphClientOptions,
  type MediaUpload,
  type PhoneNumberInfo,
  parseRetryAfter,
  type SendOptions,
  type SendResult,
  type SendTextOptions,
  type TemplateSpec,
  type TokenDebugInfo,
  toRecipientField,
} from './graph-client.js';
export { type InboundMessage, inboundMessageSchema } from './inbound-message.js';
export {
  createMediaClient,
  MEDIA_MESSAGE_TYPES,
  MEDIA_SIZE_LIMITS,
  type MediaClient,
  MediaDownloadError,
  type MediaInfo,
  type MediaMessageType,
  sha256Matches,
} from './media-client.js';
export {
  bareMimeType,
  classifyExtension,
  cleanFilename,
  filenameFromUrl,
  MAX_MEDIA_BYTES,
  MEDIA_RULES,
  MEDIA_TYPES,
  type MediaType,
  mediaTypeOfMime,
} from './media-rules.js';
export {
  type BusinessEcho,
  type GraphErrorDetail,
  type HistoryMessage,
  isWhatsAppWebhook,
  normalizeWebhook,
  type StatusUpdate,
  UNSUPPORTED_MESSAGE_TEXT,
  type WebhookError,
  type WebhookEvent,
} from './normalize-webhook.js';
export {
  ACTION_NAMES,
  ACTION_TOOLS,
  type ActionName,
  type FittedAction,
  fitAction,
  INTERACTIVE_LIMITS,
  isSingleEmoji,
  type RequestedAction,
  truncate,
  type WhatsAppAction,
  whatsAppActionSchema,
} from './outbound-actions.js';
export { type PairRateBackOffOptions, pairRateLimitDelayMs } from './pair-rate-back-off.js';
export { toWebhookPath, toWebhookUrl, WEBHOOK_ROUTE } from './webhook-path.js';
export { signWebhookBody, verifyWebhookSignature } from './webhook-signature.js';
