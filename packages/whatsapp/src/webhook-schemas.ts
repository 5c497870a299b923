import { z } from 'zod';

// Every schema here is tolerant on purpose: unknown keys are kept or ignored (Meta adds fields without
// notice), optional fields with a wrong type fall back to "absent" instead of rejecting the whole object,
// and only the fields we cannot work without (ids, timestamps) are strict.

/** Absent, null or wrongly typed → undefined. */
const optionalString = z.string().optional().catch(undefined);
const optionalBoolean = z.boolean().optional().catch(undefined);
/** Ids are strings on the wire; accept numbers too and never an empty id. */
const idString = z.union([z.string(), z.number().transform(String)]).pipe(z.string().trim().min(1));
const optionalId = idString.optional().catch(undefined);
/** Unix seconds, a string of digits on the wire (a number is accepted). */
const epochSeconds = z.union([
  z
    .string()
    .regex(/^\d{1,12}$/)
    .transform(Number),
  z.number().int().nonnegative(),
]);
/** Coordinates are numbers in Meta's docs; some libraries type them as strings, so accept both. */
const coordinate = z.union([z.number(), z.string().trim().min(1).transform(Number)]).pipe(z.number().finite());
const optionalNumber = z
  .union([z.number(), z.string().trim().min(1).transform(Number)])
  .pipe(z.number().finite())
  .optional()
  .catch(undefined);

/**
 * An error object as Meta puts it in `value.errors`, `messages[].errors` and `statuses[].errors`.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/errors
 */
export const webhookErrorSchema = z.object({
  code: z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]),
  title: optionalString,
  message: optionalString,
  error_data: z.object({ details: optionalString }).optional().catch(undefined),
  href: optionalString,
});
export type WebhookErrorPayload = z.infer<typeof webhookErrorSchema>;

/**
 * `value.contacts[]`: the sender's profile, phone (`wa_id`, may be absent for username users since 2026)
 * and business-scoped user id (`user_id`).
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/business-scoped-user-ids/
 */
export const webhookContactSchema = z.object({
  wa_id: optionalId,
  user_id: optionalId,
  parent_user_id: optionalId,
  profile: z.object({ name: optionalString, username: optionalString }).optional().catch(undefined),
});
export type WebhookContact = z.infer<typeof webhookContactSchema>;

/**
 * `messages[].context`: a reply/quote, a forward marker or a product enquiry.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/text
 */
const messageContextSchema = z.object({
  from: optionalString,
  id: optionalString,
  forwarded: optionalBoolean,
  frequently_forwarded: optionalBoolean,
  referred_product: z
    .object({ catalog_id: optionalString, product_retailer_id: optionalString })
    .optional()
    .catch(undefined),
});

/**
 * `messages[].referral`: the Click-to-WhatsApp ad or post the user came from.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/text
 */
const messageReferralSchema = z.object({
  source_url: optionalString,
  source_id: optionalString,
  source_type: optionalString,
  body: optionalString,
  headline: optionalString,
  media_type: optionalString,
  image_url: optionalString,
  video_url: optionalString,
  thumbnail_url: optionalString,
  ctwa_clid: optionalString,
  welcome_message: z.object({ text: optionalString }).optional().catch(undefined),
});

/**
 * The fields every inbound message has; the type-specific object (`text`, `image`, ...) is kept as an
 * unknown key and parsed separately, so a bad payload of one type never rejects the envelope.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages
 */
export const inboundMessagePayloadSchema = z.looseObject({
  id: idString,
  timestamp: epochSeconds,
  type: z.string().trim().min(1).catch('unsupported'),
  from: optionalId,
  from_user_id: optionalId,
  from_parent_user_id: optionalId,
  group_id: optionalId,
  context: messageContextSchema.optional().catch(undefined),
  referral: messageReferralSchema.optional().catch(undefined),
  errors: z.array(webhookErrorSchema).optional().catch(undefined),
});
export type InboundMessagePayload = z.infer<typeof inboundMessagePayloadSchema>;

/**
 * One `value.message_echoes[]` item of `field: "smb_message_echoes"` (coexistence: the business
 * wrote from the WhatsApp Business app). Open on purpose: Meta adds fields (`message_creation_type`).
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/smb_message_echoes
 */
export const messageEchoPayloadSchema = z.looseObject({
  id: idString,
  timestamp: epochSeconds,
  type: z.string().trim().min(1).catch('unsupported'),
  from: optionalId,
  to: optionalId,
  to_user_id: optionalId,
});

/** https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/text */
export const textPayloadSchema = z.object({ body: z.string() });

/**
 * `image`, `video`, `audio`, `document` and `sticker` share one shape. `url` exists since 2025-11;
 * `caption` is omitted when empty (and sometimes sent as "").
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/image
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/document
 */
export const mediaPayloadSchema = z.object({
  id: optionalId,
  mime_type: optionalString,
  sha256: optionalString,
  url: optionalString,
  caption: optionalString,
  filename: optionalString,
  voice: optionalBoolean,
  animated: optionalBoolean,
});

/** https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/location */
export const locationPayloadSchema = z.object({
  latitude: coordinate,
  longitude: coordinate,
  name: optionalString,
  address: optionalString,
  url: optionalString,
});

/** https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/contacts */
const contactCardSchema = z.looseObject({
  name: z
    .object({ formatted_name: optionalString, first_name: optionalString, last_name: optionalString })
    .optional()
    .catch(undefined),
  phones: z
    .array(z.object({ phone: optionalString, wa_id: optionalString, type: optionalString }))
    .optional()
    .catch(undefined),
  emails: z
    .array(z.object({ email: optionalString, type: optionalString }))
    .optional()
    .catch(undefined),
  org: z.object({ company: optionalString }).optional().catch(undefined),
});
export const contactsPayloadSchema = z.array(contactCardSchema);

const replySchema = z.object({ id: optionalString, title: z.string(), description: optionalString });

/**
 * Replies to interactive messages: buttons, list rows, Flows (`nfm_reply`) and call permission.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/interactive
 */
export const interactivePayloadSchema = z.looseObject({
  type: z.string(),
  button_reply: replySchema.optional().catch(undefined),
  list_reply: replySchema.optional().catch(undefined),
  nfm_reply: z
    .object({ name: optionalString, body: optionalString, response_json: optionalString })
    .optional()
    .catch(undefined),
  call_permission_reply: z
    .looseObject({ response: optionalString, is_permanent: optionalBoolean })
    .optional()
    .catch(undefined),
});

/**
 * A tap on a template's quick-reply button.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/button
 */
export const buttonPayloadSchema = z.object({ text: z.string(), payload: optionalString });

/**
 * An emoji reaction; an empty or absent emoji means the reaction was removed.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/reaction
 */
export const reactionPayloadSchema = z.object({ message_id: optionalString, emoji: optionalString });

/** https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/order */
export const orderPayloadSchema = z.object({
  catalog_id: optionalString,
  text: optionalString,
  product_items: z
    .array(
      z.object({
        product_retailer_id: optionalString,
        quantity: optionalNumber,
        item_price: optionalNumber,
        currency: optionalString,
      }),
    )
    .catch([]),
});

/**
 * Number and user-id changes. System messages carry no `contacts`.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/system
 */
export const systemPayloadSchema = z.looseObject({
  body: optionalString,
  type: optionalString,
  wa_id: optionalString,
  user_id: optionalString,
  parent_user_id: optionalString,
  previous_user_id: optionalString,
  previous_parent_user_id: optionalString,
});

/**
 * A message type the Cloud API does not support yet (polls, ...), with a 131051 error.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/unsupported
 */
export const unsupportedPayloadSchema = z.object({ type: optionalString });

/** A message the user deleted for everyone (not in Meta's reference yet; shape as seen in real payloads). */
export const revokePayloadSchema = z.object({ original_message_id: z.string() });

/** A message the user edited; `message` is the new content in the usual message shape. */
export const editPayloadSchema = z.object({
  original_message_id: z.string(),
  message: z.looseObject({ type: z.string() }).optional().catch(undefined),
});

/**
 * `value.statuses[]`: delivery state of a message we sent.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/status
 */
export const webhookStatusSchema = z.object({
  id: idString,
  status: z.enum(['sent', 'delivered', 'read', 'played', 'failed']),
  timestamp: epochSeconds,
  recipient_id: optionalId,
  recipient_user_id: optionalId,
  /** The recipient's parent BSUID (renamed from `parent_recipient_user_id` on 2026-05-05; both accepted). */
  recipient_parent_user_id: optionalId,
  parent_recipient_user_id: optionalId,
  biz_opaque_callback_data: optionalString,
  errors: z.array(webhookErrorSchema).optional().catch(undefined),
  pricing: z
    .object({
      billable: optionalBoolean,
      pricing_model: optionalString,
      type: optionalString,
      category: optionalString,
    })
    .optional()
    .catch(undefined),
  conversation: z.object({ id: optionalString, expiration_timestamp: optionalString }).optional().catch(undefined),
});

/**
 * `entry[].changes[].value` for `field: "messages"`.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/overview
 */
export const messagesValueSchema = z.object({
  metadata: z.object({ phone_number_id: idString, display_phone_number: optionalString }).optional().catch(undefined),
  contacts: z.array(z.unknown()).optional().catch(undefined),
  messages: z.array(z.unknown()).optional().catch(undefined),
  statuses: z.array(z.unknown()).optional().catch(undefined),
  errors: z.array(z.unknown()).optional().catch(undefined),
  /** `field: "smb_message_echoes"` only. */
  message_echoes: z.array(z.unknown()).optional().catch(undefined),
});

/**
 * `entry[].changes[].value` for `field: "history"` (coexistence, shared/reference/meta-cloud-api.md
 * §11.2): `history[]` chunks of threads, or — the media of the last 14 days — `messages[]` and
 * `message_echoes[]` like the live fields.
 */
export const historyValueSchema = messagesValueSchema.extend({
  history: z.array(z.unknown()).optional().catch(undefined),
});

/** One `value.history[]` chunk: its threads (one per user), or `errors` when the business declined. */
export const historyChunkSchema = z.looseObject({
  threads: z.array(z.unknown()).optional().catch(undefined),
});

/** One thread of a history chunk: the user (`id`, `context`) and the messages of both sides. */
export const historyThreadSchema = z.looseObject({
  id: optionalId,
  context: z.looseObject({ wa_id: optionalId, user_id: optionalId }).optional().catch(undefined),
  messages: z.array(z.unknown()).catch([]),
});

/** A message of a history thread: a message's shape plus `history_context.status` (its delivery state). */
export const historyMessagePayloadSchema = inboundMessagePayloadSchema.extend({
  to: optionalId,
  history_context: z.looseObject({ status: optionalString }).optional().catch(undefined),
});

/** https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/overview */
export const webhookChangeSchema = z.object({ field: z.string(), value: z.unknown() });

/** https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/overview */
export const webhookEntrySchema = z.object({ id: optionalId, changes: z.array(z.unknown()).catch([]) });

/**
 * The POST body Meta sends: one or more entries (one per WABA), each with one or more changes.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/overview
 */
export const webhookPayloadSchema = z.object({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(z.unknown()),
});
