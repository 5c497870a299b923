import type { z } from 'zod';
import type { InboundMessage } from './inbound-message.js';
import {
  buttonPayloadSchema,
  contactsPayloadSchema,
  editPayloadSchema,
  historyChunkSchema,
  historyMessagePayloadSchema,
  historyThreadSchema,
  historyValueSchema,
  type InboundMessagePayload,
  inboundMessagePayloadSchema,
  interactivePayloadSchema,
  locationPayloadSchema,
  mediaPayloadSchema,
  messageEchoPayloadSchema,
  messagesValueSchema,
  orderPayloadSchema,
  reactionPayloadSchema,
  revokePayloadSchema,
  systemPayloadSchema,
  textPayloadSchema,
  unsupportedPayloadSchema,
  type WebhookContact,
  type WebhookErrorPayload,
  webhookChangeSchema,
  webhookContactSchema,
  webhookEntrySchema,
  webhookErrorSchema,
  webhookPayloadSchema,
  webhookStatusSchema,
} from './webhook-schemas.js';

/** One error as Meta reports it (`code`, `title`, `message`, `error_data.details`). */
export interface GraphErrorDetail {
  code: number;
  title: string;
  message: string | null;
  details: string | null;
}

/** Delivery state of a message the business sent. */
export interface StatusUpdate {
  kind: 'status';
  phoneNumberId: string;
  messageId: string;
  status: 'sent' | 'delivered' | 'read' | 'played' | 'failed';
  timestamp: number;
  /** Phone (or group id) the message went to; null when it was sent to a business-scoped user id. */
  recipientId: string | null;
  recipientUserId: string | null;
  /** The recipient's parent business-scoped user id (`recipient_parent_user_id`), when Meta sends one. */
  recipientParentUserId: string | null;
  errors: GraphErrorDetail[];
  /** Echo of the `biz_opaque_callback_data` sent with the message. */
  bizOpaqueCallbackData: string | null;
  /** `pricing.category` when present (`service`, `marketing`, ...). */
  pricingCategory: string | null;
}

/** Out-of-band errors (`value.errors`) not tied to a message or status, e.g. 130429 throughput. */
export interface WebhookError {
  kind: 'error';
  phoneNumberId: string | null;
  errors: GraphErrorDetail[];
}

/**
 * A message the business sent from the WhatsApp Business app (coexistence, `smb_message_echoes`):
 * stored as the business's outbound message, never answered
 * (shared/reference/meta-cloud-api.md §11.1).
 */
export interface BusinessEcho {
  kind: 'echo';
  phoneNumberId: string;
  messageId: string;
  /** The user it went to: `to_user_id ?? to`, the same key as the user's own messages. */
  userKey: string;
  waId: string | null;
  userId: string | null;
  timestamp: number;
  type: string;
  text: string;
  metadata: Record<string, unknown>;
}

/**
 * A message of the chat's past, from a coexistence `history` webhook (shared/reference/meta-cloud-api.md
 * §11.2): imported as an archive, never answered, never opening the 24-hour window. `outbound`
 * when the business wrote it. The media of a `media_placeholder` comes later in a second `history`
 * webhook under the same id.
 */
export interface HistoryMessage {
  kind: 'history';
  phoneNumberId: string;
  messageId: string;
  direction: 'inbound' | 'outbound';
  /** The user of the chat: the same key as the user's own messages. */
  userKey: string;
  waId: string | null;
  userId: string | null;
  timestamp: number;
  type: string;
  text: string;
  metadata: Record<string, unknown>;
  /** Delivery state of a business message (`history_context.status`); null when not given. */
  status: 'sent' | 'delivered' | 'read' | 'failed' | null;
}

export type WebhookEvent = InboundMessage | StatusUpdate | WebhookError | BusinessEcho | HistoryMessage;

/** The placeholder used for every type we cannot render (unsupported, unknown, malformed). */
export const UNSUPPORTED_MESSAGE_TEXT = '[Unsupported message]';

/** Types a bot should not answer: they are not something the user asked. */
const NOT_REPLYABLE = new Set(['reaction', 'system', 'revoke', 'edit', 'request_welcome']);

/** True for the envelope Meta posts for WhatsApp (`object` and an `entry` array); says nothing about its content. */
export function isWhatsAppWebhook(payload: unknown): boolean {
  return webhookPayloadSchema.safeParse(payload).success;
}

/**
 * Turns one webhook POST body into events, in payload order (entry → change → messages, then
 * statuses, then value-level errors). Pure; never throws, whatever the input.
 *
 * - Only `field: "messages"` changes are read, the echoes of `field: "smb_message_echoes"`
 *   (`kind: "echo"`) and the messages of `field: "history"` (`kind: "history"`, its `messages[]`
 *   and `message_echoes[]` included: never live traffic); other fields (template updates, ...)
 *   yield nothing.
 * - A message without an id, a timestamp or any sender id, or without `metadata.phone_number_id`,
 *   is skipped (nothing can be replied to or deduplicated). A message whose type object is missing or
 *   malformed is kept with the {@link UNSUPPORTED_MESSAGE_TEXT} placeholder and `metadata.malformed`.
 * - A status with an unknown `status` value is skipped.
 *
 * Normalized text (content first, then the placeholder on its own line, so the engine can tell the
 * user's words from our annotation): text as is; image `"<caption>\n[Image]"` (or `"[Image]"`);
 * video `"<caption>\n[Video]"`; document `"<caption>\n[Document: <filename>]"`; audio (voice note or
 * file) `"[Voice message]"`; sticker `"[Sticker]"`; location `"[Location: <lat>, <lng>]"` plus
 * `"\n<name>, <address>"` when given; contacts `"[Contact: <name>]"` / `"[Contacts: <a>, <b>]"`;
 * button/list reply and template quick reply: the title/text; Flow reply `"[Form response: k: v, ...]"`;
 * reaction `"[Reaction: <emoji>]"` / `"[Reaction removed]"`; order `"<text>\n[Order: <n> items]"`;
 * system `"[System: <body>]"`; revoke `"[Message deleted]"`; edit `"[Edited message]\n<new text>"`;
 * `request_welcome` `"[Conversation opened]"`; anything else `"[Unsupported message]"`.
 */
export function normalizeWebhook(payload: unknown): WebhookEvent[] {
  const events: WebhookEvent[] = [];
  try {
    const envelope = webhookPayloadSchema.safeParse(payload);
    if (!envelope.success) return events;
    for (const rawEntry of envelope.data.entry) {
      const entry = webhookEntrySchema.safeParse(rawEntry);
      if (!entry.success) continue;
      for (const rawChange of entry.data.changes) {
        const change = webhookChangeSchema.safeParse(rawChange);
        if (!change.success) continue;
        if (change.data.field === 'messages') collectChange(change.data.value, entry.data.id ?? null, events);
        else if (change.data.field === 'smb_message_echoes') collectEchoes(change.data.value, events);
        else if (change.data.field === 'history') collectHistory(change.data.value, entry.data.id ?? null, events);
      }
    }
  } catch {
    // Only reachable through exotic inputs (throwing getters, proxies); keep what was collected.
  }
  return events;
}

function collectChange(rawValue: unknown, wabaId: string | null, events: WebhookEvent[]): void {
  const value = messagesValueSchema.safeParse(rawValue);
  if (!value.success) return;
  const { metadata, messages = [], statuses = [], errors = [] } = value.data;
  const contacts = parseContacts(value.data.contacts ?? []);

  if (metadata) {
    for (const rawMessage of messages) {
      const event = safely(() => toInboundMessage(rawMessage, contacts, metadata, wabaId));
      if (event) events.push(event);
    }
    for (const rawStatus of statuses) {
      const event = safely(() => toStatusUpdate(rawStatus, metadata.phone_number_id));
      if (event) events.push(event);
    }
  }
  const errorDetails = toErrorDetails(errors);
  if (errorDetails.length > 0) {
    events.push({ kind: 'error', phoneNumberId: metadata?.phone_number_id ?? null, errors: errorDetails });
  }
}

function collectEchoes(rawValue: unknown, events: WebhookEvent[]): void {
  const value = messagesValueSchema.safeParse(rawValue);
  if (!value.success || !value.data.metadata) return;
  const { phone_number_id: phoneNumberId } = value.data.metadata;
  for (const raw of value.data.message_echoes ?? []) {
    const event = safely(() => toEcho(raw, phoneNumberId));
    if (event) events.push(event);
  }
}

function toEcho(raw: unknown, phoneNumberId: string): BusinessEcho | null {
  const parsed = messageEchoPayloadSchema.safeParse(raw);
  if (!parsed.success) return null;
  const echo = parsed.data;
  const userKey = echo.to_user_id ?? echo.to;
  if (userKey === undefined) return null;
  const rendered = renderContent(echo.type, echo[echo.type]);
  return {
    kind: 'echo',
    phoneNumberId,
    messageId: echo.id,
    userKey,
    waId: echo.to ?? null,
    userId: echo.to_user_id ?? null,
    timestamp: echo.timestamp,
    type: echo.type,
    text: rendered.text,
    metadata: rendered.malformed ? { ...rendered.metadata, malformed: true } : rendered.metadata,
  };
}

const HISTORY_STATUSES: Record<string, HistoryMessage['status']> = {
  SENT: 'sent',
  PENDING: 'sent',
  DELIVERED: 'delivered',
  READ: 'read',
  PLAYED: 'read',
  ERROR: 'failed',
};

/**
 * `field: "history"`: the threads of each chunk (a message is the business's when `from` is its
 * display number), and the media webhook's `messages[]` (the user's) and `message_echoes[]` (the
 * business's), all as {@link HistoryMessage}s.
 */
function collectHistory(rawValue: unknown, wabaId: string | null, events: WebhookEvent[]): void {
  const value = historyValueSchema.safeParse(rawValue);
  if (!value.success || !value.data.metadata) return;
  const { metadata } = value.data;
  const phoneNumberId = metadata.phone_number_id;
  const contacts = parseContacts(value.data.contacts ?? []);
  for (const rawChunk of value.data.history ?? []) {
    const chunk = historyChunkSchema.safeParse(rawChunk);
    if (!chunk.success) continue;
    for (const rawThread of chunk.data.threads ?? []) {
      const thread = historyThreadSchema.safeParse(rawThread);
      if (!thread.success) continue;
      for (const raw of thread.data.messages) {
        const event = safely(() => toHistoryMessage(raw, thread.data, metadata));
        if (event) events.push(event);
      }
    }
  }
  for (const raw of value.data.messages ?? []) {
    const inbound = safely(() => toInboundMessage(raw, contacts, metadata, wabaId));
    if (inbound) {
      const { messageId, userKey, waId, userId, timestamp, type, text } = inbound;
      events.push({
        kind: 'history',
        phoneNumberId,
        messageId,
        direction: 'inbound',
        userKey,
        waId,
        userId,
        timestamp,
        type,
        text,
        metadata: inbound.metadata,
        status: null,
      });
    }
  }
  for (const raw of value.data.message_echoes ?? []) {
    const echo = safely(() => toEcho(raw, phoneNumberId));
    if (echo) events.push({ ...echo, kind: 'history', direction: 'outbound', status: null });
  }
}

function toHistoryMessage(
  raw: unknown,
  thread: {
    id?: string | undefined;
    context?: { wa_id?: string | undefined; user_id?: string | undefined } | undefined;
  },
  metadata: { phone_number_id: string; display_phone_number?: string | undefined },
): HistoryMessage | null {
  const parsed = historyMessagePayloadSchema.safeParse(raw);
  if (!parsed.success) return null;
  const message = parsed.data;
  const business = metadata.display_phone_number;
  const outbound = business !== undefined && message.from === business;
  const waId = thread.context?.wa_id ?? thread.id ?? (outbound ? message.to : message.from) ?? null;
  const userId = thread.context?.user_id ?? (outbound ? undefined : message.from_user_id) ?? null;
  const userKey = userId ?? waId;
  if (userKey === null) return null;
  const rendered =
    message.type === 'media_placeholder'
      ? { text: '[Media]', metadata: { mediaPlaceholder: true } }
      : renderContent(message.type, message[message.type]);
  const state = message.history_context?.status;
  return {
    kind: 'history',
    phoneNumberId: metadata.phone_number_id,
    messageId: message.id,
    direction: outbound ? 'outbound' : 'inbound',
    userKey,
    waId,
    userId,
    timestamp: message.timestamp,
    type: message.type,
    text: rendered.text,
    metadata:
      'malformed' in rendered && rendered.malformed ? { ...rendered.metadata, malformed: true } : rendered.metadata,
    status: outbound && state ? (HISTORY_STATUSES[state.toUpperCase()] ?? null) : null,
  };
}

function safely<T>(fn: () => T | null): T | null {
  try {
    return fn();
  } catch {
    return null;
  }
}

function parseContacts(raw: unknown[]): WebhookContact[] {
  const contacts: WebhookContact[] = [];
  for (const item of raw) {
    const parsed = webhookContactSchema.safeParse(item);
    if (parsed.success) contacts.push(parsed.data);
  }
  return contacts;
}

function toErrorDetails(raw: unknown[] | undefined): GraphErrorDetail[] {
  const details: GraphErrorDetail[] = [];
  for (const item of raw ?? []) {
    const parsed = webhookErrorSchema.safeParse(item);
    if (parsed.success) details.push(toErrorDetail(parsed.data));
  }
  return details;
}

function toErrorDetail(error: WebhookErrorPayload): GraphErrorDetail {
  return {
    code: error.code,
    title: error.title ?? error.message ?? '',
    message: error.message ?? null,
    details: error.error_data?.details ?? null,
  };
}

/** The sender's contact entry: matched by user id or phone, or the only one when there is one. */
function findContact(message: InboundMessagePayload, contacts: WebhookContact[]): WebhookContact | undefined {
  const matched = contacts.find(
    (c) =>
      (message.from_user_id !== undefined && c.user_id === message.from_user_id) ||
      (message.from !== undefined && c.wa_id === message.from),
  );
  if (matched) return matched;
  return contacts.length === 1 ? contacts[0] : undefined;
}

function toInboundMessage(
  raw: unknown,
  contacts: WebhookContact[],
  metadata: { phone_number_id: string; display_phone_number?: string | undefined },
  wabaId: string | null,
): InboundMessage | null {
  const parsed = inboundMessagePayloadSchema.safeParse(raw);
  if (!parsed.success) return null;
  const message = parsed.data;
  const contact = findContact(message, contacts);
  const userKey = message.from_user_id ?? message.from ?? contact?.user_id ?? contact?.wa_id;
  if (userKey === undefined) return null;

  const rendered = renderContent(message.type, message[message.type]);
  const metadataOut: Record<string, unknown> = { ...rendered.metadata };
  if (rendered.malformed) metadataOut.malformed = true;
  if (message.context) metadataOut.context = toContextMetadata(message.context);
  if (message.referral) metadataOut.referral = toReferralMetadata(message.referral);
  if (message.errors && message.errors.length > 0) metadataOut.errors = message.errors.map(toErrorDetail);
  if (message.group_id) metadataOut.groupId = message.group_id;
  const parentUserId = message.from_parent_user_id ?? contact?.parent_user_id;
  if (parentUserId) metadataOut.parentUserId = parentUserId;
  if (contact?.profile?.username) metadataOut.username = contact.profile.username;

  return {
    kind: 'message',
    phoneNumberId: metadata.phone_number_id,
    displayPhoneNumber: metadata.display_phone_number ?? null,
    wabaId,
    messageId: message.id,
    userKey,
    waId: message.from ?? contact?.wa_id ?? null,
    userId: message.from_user_id ?? contact?.user_id ?? null,
    profileName: contact?.profile?.name ?? null,
    timestamp: message.timestamp,
    type: message.type,
    text: rendered.text,
    replyable: !NOT_REPLYABLE.has(message.type),
    metadata: metadataOut,
  };
}

function toStatusUpdate(raw: unknown, phoneNumberId: string): StatusUpdate | null {
  const parsed = webhookStatusSchema.safeParse(raw);
  if (!parsed.success) return null;
  const status = parsed.data;
  return {
    kind: 'status',
    phoneNumberId,
    messageId: status.id,
    status: status.status,
    timestamp: status.timestamp,
    recipientId: status.recipient_id ?? null,
    recipientUserId: status.recipient_user_id ?? null,
    recipientParentUserId: status.recipient_parent_user_id ?? status.parent_recipient_user_id ?? null,
    errors: (status.errors ?? []).map(toErrorDetail),
    bizOpaqueCallbackData: status.biz_opaque_callback_data ?? null,
    pricingCategory: status.pricing?.category ?? null,
  };
}

interface RenderedContent {
  text: string;
  metadata: Record<string, unknown>;
  malformed?: boolean;
}

const UNSUPPORTED: RenderedContent = { text: UNSUPPORTED_MESSAGE_TEXT, metadata: {} };
const MALFORMED: RenderedContent = { text: UNSUPPORTED_MESSAGE_TEXT, metadata: {}, malformed: true };

/** Non-empty after trimming, else undefined (Meta sends empty captions as "" or omits them). */
function present(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value : undefined;
}

/** User content first, then our placeholder on its own line. */
function withPlaceholder(content: string | undefined, placeholder: string): string {
  const text = present(content);
  return text === undefined ? placeholder : `${text}\n${placeholder}`;
}

function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> | undefined {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

function renderContent(type: string, payload: unknown): RenderedContent {
  switch (type) {
    case 'text': {
      const text = parseWith(textPayloadSchema, payload);
      return text ? { text: text.body, metadata: {} } : MALFORMED;
    }
    case 'image':
    case 'video':
    case 'audio':
    case 'document':
    case 'sticker':
      return renderMedia(type, payload);
    case 'location':
      return renderLocation(payload);
    case 'contacts':
      return renderContacts(payload);
    case 'interactive':
      return renderInteractive(payload);
    case 'button': {
      const button = parseWith(buttonPayloadSchema, payload);
      if (!button) return MALFORMED;
      return { text: button.text, metadata: { button: { text: button.text, payload: button.payload ?? null } } };
    }
    case 'reaction': {
      const reaction = parseWith(reactionPayloadSchema, payload);
      if (!reaction) return MALFORMED;
      const emoji = present(reaction.emoji);
      return {
        text: emoji === undefined ? '[Reaction removed]' : `[Reaction: ${emoji}]`,
        metadata: { reaction: { messageId: reaction.message_id ?? null, emoji: emoji ?? null } },
      };
    }
    case 'order':
      return renderOrder(payload);
    case 'system': {
      const system = parseWith(systemPayloadSchema, payload);
      if (!system) return MALFORMED;
      return {
        text: system.body ? `[System: ${system.body}]` : '[System message]',
        metadata: {
          system: {
            type: system.type ?? null,
            body: system.body ?? null,
            waId: system.wa_id ?? null,
            userId: system.user_id ?? null,
            parentUserId: system.parent_user_id ?? null,
            previousUserId: system.previous_user_id ?? null,
            previousParentUserId: system.previous_parent_user_id ?? null,
          },
        },
      };
    }
    case 'revoke': {
      const revoke = parseWith(revokePayloadSchema, payload);
      if (!revoke) return MALFORMED;
      return { text: '[Message deleted]', metadata: { revokedMessageId: revoke.original_message_id } };
    }
    case 'edit':
      return renderEdit(payload);
    case 'request_welcome':
      return { text: '[Conversation opened]', metadata: {} };
    case 'unsupported': {
      const unsupported = parseWith(unsupportedPayloadSchema, payload);
      return { text: UNSUPPORTED_MESSAGE_TEXT, metadata: { unsupportedType: unsupported?.type ?? null } };
    }
    default:
      return UNSUPPORTED;
  }
}

const MEDIA_PLACEHOLDERS: Record<string, string> = {
  image: '[Image]',
  video: '[Video]',
  audio: '[Voice message]',
  sticker: '[Sticker]',
};

function renderMedia(type: string, payload: unknown): RenderedContent {
  const media = parseWith(mediaPayloadSchema, payload);
  if (!media) return MALFORMED;
  const attachment: Record<string, unknown> = {
    kind: type,
    id: media.id ?? null,
    mimeType: media.mime_type ?? null,
    sha256: media.sha256 ?? null,
  };
  if (media.url !== undefined) attachment.url = media.url;
  if (media.filename !== undefined) attachment.filename = media.filename;
  const caption = present(media.caption);
  if (caption !== undefined) attachment.caption = caption;
  if (media.voice !== undefined) attachment.voice = media.voice;
  if (media.animated !== undefined) attachment.animated = media.animated;

  let text: string;
  if (type === 'document') {
    const filename = present(media.filename);
    text = withPlaceholder(caption, filename === undefined ? '[Document]' : `[Document: ${filename}]`);
  } else if (type === 'image' || type === 'video') {
    text = withPlaceholder(caption, MEDIA_PLACEHOLDERS[type] ?? UNSUPPORTED_MESSAGE_TEXT);
  } else {
    // Voice notes and stickers have no caption.
    text = MEDIA_PLACEHOLDERS[type] ?? UNSUPPORTED_MESSAGE_TEXT;
  }
  return { text, metadata: { attachment } };
}

function renderLocation(payload: unknown): RenderedContent {
  const location = parseWith(locationPayloadSchema, payload);
  if (!location) return MALFORMED;
  const name = present(location.name);
  const address = present(location.address);
  const label = [name, address].filter((part) => part !== undefined).join(', ');
  const pin = `[Location: ${location.latitude}, ${location.longitude}]`;
  return {
    text: label === '' ? pin : `${pin}\n${label}`,
    metadata: {
      location: {
        latitude: location.latitude,
        longitude: location.longitude,
        name: name ?? null,
        address: address ?? null,
        url: location.url ?? null,
      },
    },
  };
}

function renderContacts(payload: unknown): RenderedContent {
  const cards = parseWith(contactsPayloadSchema, payload);
  if (!cards || cards.length === 0) return MALFORMED;
  const contacts = cards.map((card) => {
    const phones = (card.phones ?? []).map((p) => ({
      phone: p.phone ?? null,
      waId: p.wa_id ?? null,
      type: p.type ?? null,
    }));
    const fullName = [card.name?.first_name, card.name?.last_name].filter((n) => present(n) !== undefined).join(' ');
    const name = present(card.name?.formatted_name) ?? present(fullName) ?? phones[0]?.phone ?? 'Unknown';
    return {
      name,
      phones,
      emails: (card.emails ?? []).map((e) => e.email).filter((e) => e !== undefined),
      organization: card.org?.company ?? null,
    };
  });
  const names = contacts.map((c) => c.name).join(', ');
  return {
    text: contacts.length === 1 ? `[Contact: ${names}]` : `[Contacts: ${names}]`,
    metadata: { contacts },
  };
}

function renderInteractive(payload: unknown): RenderedContent {
  const interactive = parseWith(interactivePayloadSchema, payload);
  if (!interactive) return MALFORMED;
  const reply =
    interactive.type === 'button_reply'
      ? interactive.button_reply
      : interactive.type === 'list_reply'
        ? interactive.list_reply
        : undefined;
  if (reply) {
    return {
      text: reply.title,
      metadata: {
        interactive: {
          type: interactive.type,
          id: reply.id ?? null,
          title: reply.title,
          description: reply.description ?? null,
        },
      },
    };
  }
  if (interactive.type === 'nfm_reply' && interactive.nfm_reply) {
    const response = parseFlowResponse(interactive.nfm_reply.response_json);
    // flow_token is our own correlation id, not something the user said.
    const fields = Object.entries(response ?? {})
      .filter(([key]) => key !== 'flow_token')
      .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
    return {
      text: fields.length > 0 ? `[Form response: ${fields.join(', ')}]` : '[Form response]',
      metadata: {
        interactive: {
          type: interactive.type,
          name: interactive.nfm_reply.name ?? null,
          body: interactive.nfm_reply.body ?? null,
          response: response ?? interactive.nfm_reply.response_json ?? null,
        },
      },
    };
  }
  if (interactive.type === 'call_permission_reply' && interactive.call_permission_reply) {
    const answer = interactive.call_permission_reply.response;
    return {
      text: answer ? `[Call permission: ${answer}]` : '[Call permission reply]',
      metadata: { interactive: { type: interactive.type, response: answer ?? null } },
    };
  }
  return { ...MALFORMED, metadata: { interactive: { type: interactive.type } } };
}

function parseFlowResponse(json: string | undefined): Record<string, unknown> | undefined {
  if (json === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(json);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    return Object.fromEntries(Object.entries(value));
  } catch {
    return undefined;
  }
}

function renderOrder(payload: unknown): RenderedContent {
  const order = parseWith(orderPayloadSchema, payload);
  if (!order) return MALFORMED;
  const count = order.product_items.length;
  const items = order.product_items.map((item) => ({
    productRetailerId: item.product_retailer_id ?? null,
    quantity: item.quantity ?? null,
    itemPrice: item.item_price ?? null,
    currency: item.currency ?? null,
  }));
  return {
    text: withPlaceholder(order.text, `[Order: ${count} ${count === 1 ? 'item' : 'items'}]`),
    metadata: { order: { catalogId: order.catalog_id ?? null, text: order.text ?? null, items } },
  };
}

function renderEdit(payload: unknown): RenderedContent {
  const edit = parseWith(editPayloadSchema, payload);
  if (!edit) return MALFORMED;
  const inner = edit.message ? renderContent(edit.message.type, edit.message[edit.message.type]) : undefined;
  const innerText = inner && !inner.malformed ? inner.text : undefined;
  return {
    text: innerText === undefined ? '[Edited message]' : `[Edited message]\n${innerText}`,
    metadata: {
      editedMessageId: edit.original_message_id,
      edit: { type: edit.message?.type ?? null, text: innerText ?? null, ...(inner?.metadata ?? {}) },
    },
  };
}

function toContextMetadata(context: NonNullable<InboundMessagePayload['context']>): Record<string, unknown> {
  return {
    from: context.from ?? null,
    id: context.id ?? null,
    forwarded: context.forwarded ?? false,
    frequentlyForwarded: context.frequently_forwarded ?? false,
    referredProduct: context.referred_product
      ? {
          catalogId: context.referred_product.catalog_id ?? null,
          productRetailerId: context.referred_product.product_retailer_id ?? null,
        }
      : null,
  };
}

function toReferralMetadata(referral: NonNullable<InboundMessagePayload['referral']>): Record<string, unknown> {
  return {
    sourceUrl: referral.source_url ?? null,
    sourceId: referral.source_id ?? null,
    sourceType: referral.source_type ?? null,
    body: referral.body ?? null,
    headline: referral.headline ?? null,
    mediaType: referral.media_type ?? null,
    imageUrl: referral.image_url ?? null,
    videoUrl: referral.video_url ?? null,
    thumbnailUrl: referral.thumbnail_url ?? null,
    ctwaClid: referral.ctwa_clid ?? null,
    welcomeMessage: referral.welcome_message?.text ?? null,
  };
}
