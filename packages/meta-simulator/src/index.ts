export {
  ERROR_FAULT_KINDS,
  type ErrorFaultKind,
  type FaultContext,
  faultErrors,
  type GraphErrorAnswer,
  type GraphErrorBody,
  parameterValueNotValid,
  toGraphError,
} from './graph-errors.js';
export {
  type FaultKind,
  type FaultSpec,
  type GraphSimulator,
  type GraphSimulatorOptions,
  type PhoneNumberInfo,
  parseFaultSpec,
  type RecordedGraphRequest,
  startGraphSimulator,
  type TokenInfo,
} from './graph-simulator.js';
export { INTERACTIVE_ERRORS, validateInteractive } from './interactive-validation.js';
export {
  type DownloadRefusal,
  MEDIA_DOWNLOAD_PATH,
  MEDIA_URL_TTL_MS,
  type MediaFile,
  type MediaLibrary,
  type RegisteredMedia,
} from './media-library.js';
export type { MediaUploads, UploadedMedia } from './media-uploads.js';
export {
  GRAPH_REQUEST_KINDS,
  type GraphRequestKind,
  isBsuid,
  recipientOf,
  toRecipient,
  validateSend,
} from './send-validation.js';
export { sentText } from './sent-text.js';
export { createSimClock, HOUR_MS, type SimClock } from './sim-clock.js';
export {
  addressOf,
  createBsuid,
  createSimUser,
  createTestPhoneNumber,
  type SimUser,
  type SimUserInit,
} from './sim-user.js';
export {
  buildInboundMessage,
  buildStatus,
  buildWebhookBody,
  createWamid,
  encodeWebhookBody,
  type InboundContent,
  type InboundMediaRef,
  type InboundMessage,
  type InboundOptions,
  type StatusError,
  type StatusOptions,
  type StatusUpdate,
  type StatusValue,
  toStatusError,
  type WebhookBusiness,
} from './webhook-payloads.js';
export {
  createWebhookSender,
  type InboundDelivery,
  type SendMessageOptions,
  type StatusSequenceOptions,
  type WebhookAttempt,
  type WebhookDelivery,
  type WebhookRetryPolicy,
  type WebhookSender,
  type WebhookSenderOptions,
} from './webhook-sender.js';
