import { MEDIA_TYPES, whatsAppActionSchema } from '@wabot/whatsapp';
import { z } from 'zod';
import { lastErrorSchema, listOf, nullableTimestamp, timestamp, usageTotalsSchema } from './common.js';

/** The token usage of the engine turn that produced an outbound message (the same on each of the turn's parts). */
export const messageUsageSchema = z
  .object({
    provider: z.string(),
    model: z.string(),
    input_tokens: z.number().int(),
    output_tokens: z.number().int(),
    cached_input_tokens: z.number().int().optional(),
  })
  .nullable()
  .describe("outbound: the token usage of the engine turn that produced it (the same on each of the turn's parts)");

/** The file of an inbound media message (docs/contract.md, Media). */
export const messageMediaSchema = z
  .object({
    kind: z.string().describe('image, document, audio, video or sticker'),
    media_id: z.string().nullable().describe("Meta's media id"),
    mime_type: z.string().nullable(),
    file_size: z.number().int().nullable().describe('bytes, once stored'),
    sha256: z.string().nullable().describe("hex, checked against Meta's"),
    filename: z.string().nullable(),
    caption: z.string().nullable(),
    voice: z.boolean().nullable().describe('audio: a voice note'),
    fetch_status: z
      .enum(['pending', 'stored', 'failed', 'deleted'])
      .describe('pending (not fetched yet), stored, failed (see error), deleted (removed by retention)'),
    error: z.string().nullable().describe('why the fetch failed (the engine got the placeholder)'),
    transcript: z.string().nullable().describe('speech to text of a voice note (STT_*)'),
    description: z.string().nullable().describe("a describer's text (the labelled offline stand-in)"),
    understanding_error: z.string().nullable().describe('why transcription or image input failed'),
    fetched_at: nullableTimestamp,
    deleted_at: nullableTimestamp.describe('when retention removed the file (settings.media_retention_days)'),
    url: z.string().nullable().describe('GET this (authenticated) for the file, while it is stored'),
  })
  .nullable()
  .describe('inbound media messages: the file and what was understood of it; null otherwise')
  .meta({ id: 'MessageMedia' });

export const messageSchema = z
  .object({
    id: z.uuid(),
    conversation_id: z.uuid(),
    bot_id: z.string(),
    direction: z.enum(['inbound', 'outbound']),
    type: z.string(),
    text: z.string().describe('normalized text'),
    metadata: z.unknown().describe('attachments, context, template, action, ...'),
    action: whatsAppActionSchema
      .nullable()
      .describe(
        'an action part of a reply (buttons, list, cta_url, media, location_request, reaction, handoff) as sent; null otherwise',
      ),
    status: z.enum(['received', 'processing', 'handled', 'pending', 'sent', 'delivered', 'read', 'failed']),
    error_code: z.number().int().nullable(),
    error_title: z.string().nullable(),
    error_details: z.string().nullable(),
    meta_message_id: z.string().nullable().describe("Meta's wamid"),
    reply_to_id: z.uuid().nullable(),
    part_index: z.number().int().nullable(),
    part_count: z.number().int().nullable(),
    usage: messageUsageSchema,
    media: messageMediaSchema,
    attempts: z.number().int().describe('attempts made so far (sends, or engine calls of an inbound message)'),
    last_error: lastErrorSchema
      .nullable()
      .describe('the last failure while the message was retried; a message past its retry budget is `failed`'),
    author: z
      .enum(['user', 'bot', 'operator', 'business_app'])
      .describe('who wrote it: the user, the bot, an operator (API), or the business from the WhatsApp Business app'),
    author_user_id: z.string().nullable().describe("the operator's user id (author operator)"),
    created_at: timestamp,
    updated_at: timestamp,
    meta_timestamp: nullableTimestamp.describe("inbound: when the user sent it (Meta's timestamp)"),
    sent_at: nullableTimestamp,
    delivered_at: nullableTimestamp,
    read_at: nullableTimestamp,
    failed_at: nullableTimestamp,
    handled_at: nullableTimestamp,
    imported_at: nullableTimestamp.describe(
      'imported from a coexistence `history` webhook (an archive of the chat before onboarding): never answered',
    ),
    edited_at: nullableTimestamp.describe('the business edited it in the WhatsApp Business app (the text is the edit)'),
    revoked_at: nullableTimestamp.describe('the business deleted it in the WhatsApp Business app'),
  })
  .meta({ id: 'Message' });

export const messageListSchema = listOf(messageSchema);

const windowSchema = z
  .object({
    open: z.boolean(),
    expires_at: nullableTimestamp.describe('last inbound + 24 h'),
    closed_by_meta_at: nullableTimestamp.describe(
      'when Meta refused a send with 131047 (window closed) after the last inbound message; the window shows closed',
    ),
  })
  .describe('the 24-hour customer-service window');

export const conversationSchema = z
  .object({
    id: z.uuid(),
    bot_id: z.string(),
    user_key: z.string(),
    wa_id: z.string().nullable(),
    user_id: z.string().nullable(),
    profile_name: z.string().nullable(),
    last_inbound_at: nullableTimestamp,
    last_message_at: timestamp,
    created_at: timestamp,
    control: z.enum(['bot', 'human']).describe('who answers: the bot, or a person after a handoff'),
    handoff_reason: z.string().nullable(),
    handoff_summary: z.string().nullable().describe('what the bot (or a person) left for the team member taking over'),
    handed_off_at: nullableTimestamp,
    assignee: z.string().nullable().describe('the workspace member (user id) the conversation is assigned to'),
    resume_at: nullableTimestamp.describe('when the bot takes the conversation back on its own (settings.handoff)'),
    last_operator_message_at: nullableTimestamp,
    window: windowSchema,
    usage_totals: usageTotalsSchema,
    last_message: z
      .object({
        id: z.uuid(),
        direction: z.enum(['inbound', 'outbound']),
        type: z.string(),
        text: z.string(),
        status: z.string(),
        error_code: z.number().int().nullable(),
        created_at: timestamp,
      })
      .nullable(),
  })
  .meta({ id: 'Conversation' });

export const conversationListSchema = listOf(conversationSchema);

export const conversationParamsSchema = z.object({ id: z.uuid('must be a conversation id (uuid)') });

export const sendTemplateBodySchema = z.object({
  name: z.string().trim().min(1, 'is required').max(512).describe('approved template name'),
  language: z.string().trim().min(2, 'is required').max(15).describe('template language code, e.g. en_US'),
  parameters: z.array(z.string().max(1024)).max(20).default([]).describe('body parameters {{1}}, {{2}}, ...'),
});

export const templateSendSchema = z.object({
  id: z.uuid().describe('the outbound message created'),
  conversation_id: z.uuid(),
  status: z.literal('pending'),
  job_id: z.string(),
  window: windowSchema,
});

export const handoffBodySchema = z
  .object({
    reason: z.string().trim().min(1).max(500).optional().describe('why, for the team (default: operator)'),
    assignee: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .nullable()
      .optional()
      .describe('user id of a member of the workspace; null unassigns'),
  })
  .strict()
  .nullish()
  .describe('optional: no body hands over with reason operator');

/** An operator's media message by link (an upload is the multipart/form-data form of the same route). */
const operatorMediaSchema = z
  .object({
    type: z
      .enum(MEDIA_TYPES)
      .describe(
        'image (JPEG, PNG ≤ 5 MB), video (MP4, 3GPP ≤ 16 MB), audio (AAC, AMR, MP3, M4A, OGG/Opus ≤ 16 MB), document (PDF, TXT, Word, Excel, PowerPoint ≤ 100 MB)',
      ),
    url: z
      .url({ protocol: /^https$/, error: 'must be an https URL' })
      .max(2048)
      .describe('a public https URL Meta fetches the file from'),
    caption: z.string().max(1024, 'at most 1024 characters').optional().describe('image, video and document only'),
    filename: z
      .string()
      .max(240, 'at most 240 characters')
      .optional()
      .describe("document only (its extension picks the icon); default: the link's file name"),
    upload: z
      .never({ error: 'to upload a file, send multipart/form-data with the fields type, caption, filename and file' })
      .optional()
      .describe('not in JSON: an upload is the multipart/form-data form of this route'),
  })
  .strict();

export const operatorMessageBodySchema = z
  .object({
    text: z.string().trim().min(1, 'is required').max(4096, 'at most 4096 characters').optional(),
    media: operatorMediaSchema.optional(),
  })
  .strict()
  .refine((body) => (body.text === undefined) !== (body.media === undefined), {
    message: 'send exactly one of text or media',
  })
  // A multipart/form-data request has no parsed body (its parts are read by the route).
  .nullish()
  .describe(
    'JSON `{text}` or `{media: {type, url, caption?, filename?}}`; or, to upload the file, multipart/form-data with the fields `type`, `caption?`, `filename?` and `file` (send `type` before `file`)',
  );

export const operatorMessageSchema = z.object({
  message: messageSchema,
  job_id: z.string(),
  conversation: conversationSchema,
});
