import { z } from 'zod';

/**
 * A message a user sent to a business number, normalized for the bot engine (our own shape, made
 * by `normalizeWebhook` from Meta's webhook: https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples).
 * Stored as JSON where it waits (the worker's inbox) and re-checked with this schema on read.
 */
export const inboundMessageSchema = z.object({
  kind: z.literal('message'),
  /** `value.metadata.phone_number_id`: which bot number received it. */
  phoneNumberId: z.string(),
  displayPhoneNumber: z.string().nullable(),
  /** `entry.id`. */
  wabaId: z.string().nullable(),
  /** The wamid; the idempotency key together with the bot. */
  messageId: z.string().min(1),
  /** Conversation key: `from_user_id ?? from ?? contacts[].user_id ?? contacts[].wa_id`. */
  userKey: z.string().min(1),
  /** Phone number without `+`, when Meta sends it (`from` / `contacts[].wa_id`). */
  waId: z.string().nullable(),
  /** Business-scoped user id (`from_user_id` / `contacts[].user_id`). */
  userId: z.string().nullable(),
  profileName: z.string().nullable(),
  /** Epoch seconds. */
  timestamp: z.number(),
  /** Meta's type: `text`, `image`, ..., `unsupported`, or an unknown type string as sent. */
  type: z.string(),
  /** Text for the bot engine, see `normalizeWebhook`. */
  text: z.string(),
  /** False where a bot should not answer: reactions, system notices, deletes, edits, `request_welcome`. */
  replyable: z.boolean(),
  /** Type-specific details (attachment, location, context, referral, errors, ...), camelCase. */
  metadata: z.record(z.string(), z.unknown()),
});
export type InboundMessage = z.infer<typeof inboundMessageSchema>;
