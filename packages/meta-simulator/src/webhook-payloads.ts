import { randomBytes } from 'node:crypto';
import type { RegisteredMedia } from './media-library.js';
import { isBsuid } from './send-validation.js';
import type { SimUser } from './sim-user.js';

/** The business side of a webhook: which number and account it is addressed to. */
export interface WebhookBusiness {
  phoneNumberId: string;
  /** Digits, no `+`, as in `metadata.display_phone_number`. */
  displayPhoneNumber: string;
  wabaId: string;
}

/**
 * What a user sends. `button` is a template quick-reply tap; `button_reply` / `list_reply` are
 * interactive replies.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages
 */
export type InboundContent =
  | { type: 'text'; body: string }
  | { type: 'image'; caption?: string; mimeType?: string; media?: InboundMediaRef }
  | { type: 'document'; filename: string; caption?: string; mimeType?: string; media?: InboundMediaRef }
  | { type: 'audio'; voice?: boolean; media?: InboundMediaRef }
  | { type: 'video'; caption?: string; media?: InboundMediaRef }
  | { type: 'sticker'; animated?: boolean; media?: InboundMediaRef }
  | { type: 'location'; latitude: number; longitude: number; name?: string; address?: string }
  | { type: 'contacts'; contacts: { name: string; phone: string; waId?: string }[] }
  | { type: 'button_reply'; id: string; title: string }
  | { type: 'list_reply'; id: string; title: string; description?: string }
  | { type: 'button'; payload: string; text: string }
  | { type: 'reaction'; messageId: string; emoji: string }
  | {
      type: 'order';
      catalogId: string;
      text?: string;
      items: { productRetailerId: string; quantity: number; itemPrice: number; currency: string }[];
    }
  | { type: 'unsupported'; unsupportedType?: string };

/**
 * A file the Graph simulator serves (`graph.media.register(...)`): the media object then carries
 * its id, MIME type and sha256 (base64, as in Meta's webhook example), so a worker can fetch it.
 * Without one the id and hash are random (nothing to download).
 */
export type InboundMediaRef = Pick<RegisteredMedia, 'id' | 'mimeType' | 'sha256Base64'>;

export interface InboundOptions {
  /** wamid of the inbound message (default: a fresh one). */
  id?: string;
  /** Unix seconds as a string. */
  timestamp: string;
  /** wamid of the business message this one replies to (quote, button or list reply). */
  replyTo?: string;
  forwarded?: 'forwarded' | 'frequently_forwarded';
  /** Media URL to include in media objects (omitted by default, as in older payloads). */
  mediaUrl?: string;
}

/** One element of `value.messages[]`, in Meta's wire shape. */
export type InboundMessage = Record<string, unknown> & { id: string; type: string; timestamp: string };

export type StatusValue = 'sent' | 'delivered' | 'read' | 'played' | 'failed';

/** An element of `statuses[].errors[]`. */
export interface StatusError {
  code: number;
  title: string;
  message: string;
  error_data: { details: string };
  href: string;
}

export interface StatusOptions {
  timestamp: string;
  errors?: StatusError[];
  /** Echo of what the business sent. */
  bizOpaqueCallbackData?: string;
}

/** One element of `value.statuses[]`. */
export type StatusUpdate = Record<string, unknown> & { id: string; status: StatusValue; timestamp: string };

const ERROR_HREF = '/documentation/business-messaging/whatsapp/support/error-codes';
const STATUS_ERRORS: Record<number, { title: string; details: string }> = {
  131026: { title: 'Message undeliverable', details: 'Message Undeliverable.' },
  131047: {
    title: 'Re-engagement message',
    details:
      'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
  },
  131049: {
    title: 'This message was not delivered to maintain healthy ecosystem engagement.',
    details: 'In order to maintain a healthy ecosystem engagement, the message failed to be delivered.',
  },
  131000: { title: 'Something went wrong', details: 'Something went wrong' },
};

/** A fresh wamid in the shape real ones have (`wamid.HBgL` + base64). */
export function createWamid(address = '0'): string {
  return `wamid.HBgL${Buffer.from(`${address}\u0015\u0002\u0000\u0012\u0018\u0014${randomBytes(10).toString('hex').toUpperCase()}\u0000`).toString('base64')}`;
}

/** The `errors[]` element Meta puts on a failed status for a known code (131026, 131047, 131049, 131000). */
export function toStatusError(code: number): StatusError {
  const known = STATUS_ERRORS[code] ?? { title: `Error ${code}`, details: `Error ${code}` };
  return { code, title: known.title, message: known.title, error_data: { details: known.details }, href: ERROR_HREF };
}

function mediaId(): string {
  return String(1_000_000_000_000_000n + BigInt(`0x${randomBytes(6).toString('hex')}`));
}

function media(
  mimeType: string,
  options: InboundOptions,
  extra: Record<string, unknown> = {},
  ref: InboundMediaRef | undefined = undefined,
) {
  return {
    ...extra,
    mime_type: ref?.mimeType ?? mimeType,
    sha256: ref?.sha256Base64 ?? randomBytes(32).toString('base64'),
    id: ref?.id ?? mediaId(),
    ...(options.mediaUrl === undefined ? {} : { url: options.mediaUrl }),
  };
}

function optionalCaption(caption: string | undefined) {
  return caption === undefined ? {} : { caption };
}

function contentFields(content: InboundContent, options: InboundOptions): Record<string, unknown> {
  switch (content.type) {
    case 'text':
      return { type: 'text', text: { body: content.body } };
    case 'image':
      return {
        type: 'image',
        image: media(content.mimeType ?? 'image/jpeg', options, optionalCaption(content.caption), content.media),
      };
    case 'document':
      return {
        type: 'document',
        document: media(
          content.mimeType ?? 'application/pdf',
          options,
          { ...optionalCaption(content.caption), filename: content.filename },
          content.media,
        ),
      };
    case 'audio': {
      const voice = content.voice ?? true;
      const audio = media(voice ? 'audio/ogg; codecs=opus' : 'audio/mpeg', options, {}, content.media);
      return { type: 'audio', audio: { ...audio, voice } };
    }
    case 'video':
      return { type: 'video', video: media('video/mp4', options, optionalCaption(content.caption), content.media) };
    case 'sticker':
      return {
        type: 'sticker',
        sticker: { ...media('image/webp', options, {}, content.media), animated: content.animated ?? false },
      };
    case 'location':
      return {
        type: 'location',
        location: {
          latitude: content.latitude,
          longitude: content.longitude,
          ...(content.name === undefined ? {} : { name: content.name }),
          ...(content.address === undefined ? {} : { address: content.address }),
        },
      };
    case 'contacts':
      return {
        type: 'contacts',
        contacts: content.contacts.map((card) => {
          const [first, ...rest] = card.name.split(' ');
          return {
            name: {
              formatted_name: card.name,
              first_name: first ?? card.name,
              ...(rest.length > 0 ? { last_name: rest.join(' ') } : {}),
            },
            phones: [{ phone: card.phone, ...(card.waId === undefined ? {} : { wa_id: card.waId }), type: 'CELL' }],
          };
        }),
      };
    case 'button_reply':
      return {
        type: 'interactive',
        interactive: { type: 'button_reply', button_reply: { id: content.id, title: content.title } },
      };
    case 'list_reply':
      return {
        type: 'interactive',
        interactive: {
          type: 'list_reply',
          list_reply: {
            id: content.id,
            title: content.title,
            ...(content.description === undefined ? {} : { description: content.description }),
          },
        },
      };
    case 'button':
      return { type: 'button', button: { payload: content.payload, text: content.text } };
    case 'reaction':
      return { type: 'reaction', reaction: { message_id: content.messageId, emoji: content.emoji } };
    case 'order':
      return {
        type: 'order',
        order: {
          catalog_id: content.catalogId,
          ...(content.text === undefined ? {} : { text: content.text }),
          product_items: content.items.map((item) => ({
            product_retailer_id: item.productRetailerId,
            quantity: item.quantity,
            item_price: item.itemPrice,
            currency: item.currency,
          })),
        },
      };
    case 'unsupported':
      return {
        type: 'unsupported',
        errors: [
          {
            code: 131051,
            title: 'Message type unknown',
            message: 'Message type unknown',
            error_data: { details: 'Message type is currently not supported.' },
          },
        ],
        unsupported: { type: content.unsupportedType ?? 'poll_creation' },
      };
  }
}

/** Interactive and template-button replies always carry a context naming the business message. */
const NEEDS_CONTEXT = new Set(['button_reply', 'list_reply', 'button']);

/**
 * One inbound message (`value.messages[]` element) from `user`.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/text
 */
export function buildInboundMessage(
  business: WebhookBusiness,
  user: SimUser,
  content: InboundContent,
  options: InboundOptions,
): InboundMessage {
  const fields = contentFields(content, options);
  const replyTo = options.replyTo ?? (NEEDS_CONTEXT.has(content.type) ? createWamid(user.waId ?? '0') : undefined);
  const context =
    replyTo !== undefined
      ? { from: business.displayPhoneNumber, id: replyTo }
      : options.forwarded === undefined
        ? undefined
        : { [options.forwarded]: true };
  return {
    ...(user.waId === null ? {} : { from: user.waId }),
    ...(user.bsuid === null ? {} : { from_user_id: user.bsuid }),
    id: options.id ?? createWamid(user.waId ?? '0'),
    timestamp: options.timestamp,
    type: String(fields.type),
    ...fields,
    ...(context === undefined ? {} : { context }),
  };
}

/**
 * One status update (`value.statuses[]` element) for a message the business sent to `recipient`
 * (a wa_id or a BSUID). `sent` carries pricing (v24+ shape, no conversation); `failed` carries errors.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/status
 */
export function buildStatus(
  messageId: string,
  status: StatusValue,
  recipient: string,
  options: StatusOptions,
): StatusUpdate {
  return {
    id: messageId,
    status,
    timestamp: options.timestamp,
    ...(isBsuid(recipient) ? { recipient_user_id: recipient } : { recipient_id: recipient }),
    ...(options.bizOpaqueCallbackData === undefined ? {} : { biz_opaque_callback_data: options.bizOpaqueCallbackData }),
    ...(status === 'sent'
      ? { pricing: { billable: true, pricing_model: 'PMP', type: 'free_customer_service', category: 'service' } }
      : {}),
    ...(status === 'failed' ? { errors: options.errors ?? [toStatusError(131026)] } : {}),
  };
}

function toContact(user: SimUser) {
  return {
    profile: { name: user.name, ...(user.username === null ? {} : { username: user.username }) },
    ...(user.waId === null ? {} : { wa_id: user.waId }),
    ...(user.bsuid === null ? {} : { user_id: user.bsuid }),
  };
}

/**
 * A whole webhook POST body (`object: whatsapp_business_account`, one entry, one `messages` change).
 * Empty arrays are omitted, as Meta does.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/overview
 */
export function buildWebhookBody(
  business: WebhookBusiness,
  parts: { contacts?: SimUser[]; messages?: InboundMessage[]; statuses?: StatusUpdate[] },
): Record<string, unknown> {
  const contacts = parts.contacts ?? [];
  const messages = parts.messages ?? [];
  const statuses = parts.statuses ?? [];
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: business.wabaId,
        changes: [
          {
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: business.displayPhoneNumber, phone_number_id: business.phoneNumberId },
              ...(contacts.length > 0 ? { contacts: contacts.map(toContact) } : {}),
              ...(messages.length > 0 ? { messages } : {}),
              ...(statuses.length > 0 ? { statuses } : {}),
            },
            field: 'messages',
          },
        ],
      },
    ],
  };
}

/**
 * Serializes a webhook body as Meta puts it on the wire: every non-ASCII UTF-16 unit escaped as
 * `\uXXXX` with lowercase hex (the bytes the signature covers).
 */
export function encodeWebhookBody(body: unknown): Buffer {
  const json = JSON.stringify(body).replace(
    /[\u0080-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return Buffer.from(json, 'utf8');
}
