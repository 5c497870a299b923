import { type GraphErrorAnswer, invalidParameter, parameterValueNotValid } from './graph-errors.js';
import { validateInteractive } from './interactive-validation.js';

/** What a request to the simulated Graph API is, for recording and fault matching. */
export const GRAPH_REQUEST_KINDS = [
  'text',
  'template',
  'image',
  'document',
  'audio',
  'video',
  'interactive',
  'location',
  'reaction',
  'read',
  'typing',
  'get_phone_number',
  'debug_token',
  'media_upload',
  'get_media',
  'media_download',
  'other',
] as const;

export type GraphRequestKind = (typeof GRAPH_REQUEST_KINDS)[number];

/** Message types the Cloud API accepts on POST /{phone_number_id}/messages. */
const SEND_TYPES = [
  'text',
  'template',
  'image',
  'document',
  'audio',
  'video',
  'sticker',
  'interactive',
  'location',
  'reaction',
  'contacts',
] as const;
type SendType = (typeof SEND_TYPES)[number];

const MEDIA_TYPES = new Set<string>(['image', 'document', 'audio', 'video', 'sticker']);
const TEXT_MAX = 4096;
const BSUID = /^[A-Z]{2}\.[A-Za-z0-9.]+$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSendType(value: string): value is SendType {
  return (SEND_TYPES as readonly string[]).includes(value);
}

/** Business-scoped user ids are kept as given; phone numbers are reduced to digits (as wa_id). */
export function toRecipient(to: unknown): string | null {
  if (typeof to !== 'string' || to.trim() === '') return null;
  const trimmed = to.trim();
  if (BSUID.test(trimmed)) return trimmed;
  return trimmed.replace(/\D/g, '');
}

export function isBsuid(recipient: string): boolean {
  return BSUID.test(recipient);
}

/** Who a send is addressed to: `to` (a phone number) wins over `recipient` (a BSUID) when both are sent (§9.1). */
export function recipientOf(body: Record<string, unknown>): string | null {
  return toRecipient(body.to) || toRecipient(body.recipient);
}

/** Classifies a POST .../messages body without validating it. */
export function classifySend(body: unknown): { kind: GraphRequestKind; to: string | null } {
  if (!isRecord(body)) return { kind: 'other', to: null };
  if (body.status === 'read') {
    return { kind: isRecord(body.typing_indicator) ? 'typing' : 'read', to: null };
  }
  const type = body.type === undefined ? 'text' : body.type;
  const to = recipientOf(body);
  if (typeof type !== 'string' || !isSendType(type) || type === 'sticker' || type === 'contacts') {
    return { kind: 'other', to };
  }
  return { kind: type, to };
}

function codePoints(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}

/** What a send is checked against beyond its own body. */
export interface SendContext {
  /** Whether a media `id` names a file uploaded on the sending phone number (default: any id). */
  isKnownMediaId?: ((id: string) => boolean) | undefined;
}

function validateTypeObject(
  type: SendType,
  body: Record<string, unknown>,
  context: SendContext,
): GraphErrorAnswer | null {
  const object = body[type];
  if (type === 'contacts') {
    return Array.isArray(object) && object.length > 0
      ? null
      : invalidParameter('Param contacts must be a non-empty array');
  }
  if (!isRecord(object)) {
    return invalidParameter(
      `Param ${type} is required for messages of type ${type}`,
      `(#100) The parameter ${type} is required.`,
    );
  }
  if (type === 'text') {
    const text = object.body;
    if (typeof text !== 'string' || text.length === 0) {
      return invalidParameter("Param text['body'] is required", "(#100) The parameter text['body'] is required.");
    }
    if (codePoints(text) > TEXT_MAX) {
      return invalidParameter(`Param text['body'] must be at most ${TEXT_MAX} characters long.`);
    }
    return null;
  }
  if (MEDIA_TYPES.has(type)) {
    const hasId = typeof object.id === 'string' && object.id !== '';
    const hasLink = typeof object.link === 'string' && /^https?:\/\//.test(object.link);
    if (hasId === hasLink) return invalidParameter(`Param ${type} must have exactly one of id or link`);
    // Meta does not document the answer for an unknown id; the simulator refuses it at once (100).
    if (hasId && context.isKnownMediaId !== undefined && !context.isKnownMediaId(String(object.id))) {
      return invalidParameter(`Param ${type}['id'] is not a valid media id uploaded on this phone number`);
    }
    if (typeof object.caption === 'string' && codePoints(object.caption) > 1024) {
      return parameterValueNotValid('Caption length invalid. Min length: 0, Max length: 1024');
    }
    if (object.caption !== undefined && (type === 'audio' || type === 'sticker')) {
      return invalidParameter(`Param ${type}['caption'] is not supported for ${type} messages`);
    }
    if (object.filename !== undefined && type !== 'document') {
      return invalidParameter(`Param ${type}['filename'] is only supported for documents`);
    }
    return null;
  }
  if (type === 'template') {
    const language = object.language;
    if (typeof object.name !== 'string' || object.name === '')
      return invalidParameter("Param template['name'] is required");
    if (!isRecord(language) || typeof language.code !== 'string') {
      return invalidParameter("Param template['language']['code'] is required");
    }
    return null;
  }
  if (type === 'interactive') return validateInteractive(object);
  if (type === 'location') {
    const numeric = (value: unknown) =>
      typeof value === 'number' || (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)));
    return numeric(object.latitude) && numeric(object.longitude)
      ? null
      : invalidParameter("Params location['latitude'] and location['longitude'] are required");
  }
  // reaction: an empty emoji removes the reaction, so only its type is checked.
  if (typeof object.message_id !== 'string' || typeof object.emoji !== 'string') {
    return invalidParameter("Params reaction['message_id'] and reaction['emoji'] are required");
  }
  return null;
}

/**
 * `to` is a phone number and `recipient` a business-scoped user id (§9.1); when both are sent
 * `to` wins. Meta's page reserves `to` for phone numbers, so a BSUID there is refused with 100
 * (the simulator's choice where Meta's behaviour is undocumented: it keeps clients on `recipient`).
 */
function validateRecipient(body: Record<string, unknown>): GraphErrorAnswer | null {
  const to = toRecipient(body.to);
  const recipient = toRecipient(body.recipient);
  if (to !== null && to !== '') {
    return isBsuid(to)
      ? invalidParameter(
          'Param to must be a phone number; send a business-scoped user ID (BSUID) in recipient.',
          '(#100) Invalid parameter',
        )
      : null;
  }
  if (recipient !== null) {
    return isBsuid(recipient)
      ? null
      : invalidParameter('Param recipient must be a business-scoped user ID (BSUID) such as US.13491208655302741918.');
  }
  return invalidParameter('The parameter to is required.', '(#100) The parameter to is required.');
}

/**
 * Validates a POST /{phone_number_id}/messages body the way the Cloud API does; null when accepted.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/send-messages
 */
export function validateSend(body: unknown, context: SendContext = {}): GraphErrorAnswer | null {
  if (!isRecord(body)) return invalidParameter('Request body must be a JSON object');
  if (body.messaging_product !== 'whatsapp') {
    return body.messaging_product === undefined
      ? invalidParameter(
          'The parameter messaging_product is required.',
          '(#100) The parameter messaging_product is required.',
        )
      : invalidParameter(
          `Param messaging_product must be one of {WHATSAPP} - got "${String(body.messaging_product)}".`,
        );
  }
  if (body.status !== undefined) {
    if (body.status !== 'read')
      return invalidParameter(`Param status must be one of {READ} - got "${String(body.status)}".`);
    if (typeof body.message_id !== 'string' || body.message_id === '') {
      return invalidParameter('The parameter message_id is required.', '(#100) The parameter message_id is required.');
    }
    if (body.typing_indicator !== undefined) {
      const indicator = body.typing_indicator;
      if (!isRecord(indicator) || indicator.type !== 'text') {
        return invalidParameter("Param typing_indicator['type'] must be one of {TEXT}");
      }
    }
    return null;
  }
  const type = body.type === undefined ? 'text' : body.type;
  if (typeof type !== 'string' || !isSendType(type)) {
    return invalidParameter(
      `Param type must be one of {${SEND_TYPES.join(', ').toUpperCase()}} - got "${String(type)}".`,
    );
  }
  const recipientError = validateRecipient(body);
  if (recipientError !== null) return recipientError;
  if (body.recipient_type !== undefined && body.recipient_type !== 'individual' && body.recipient_type !== 'group') {
    return invalidParameter(
      `Param recipient_type must be one of {INDIVIDUAL, GROUP} - got "${String(body.recipient_type)}".`,
    );
  }
  return validateTypeObject(type, body, context);
}
