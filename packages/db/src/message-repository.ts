import { z } from 'zod';
import type { Database, SqlPool } from './create-database-client.js';
import { MessageStatus } from './generated/prisma/enums.js';
import type { ConversationModel, MessageModel } from './generated/prisma/models.js';
import { isUuid } from './uuid.js';

/** One earlier message of the conversation, as a bot engine sees it. */
export interface HistoryTurn {
  role: 'user' | 'assistant';
  content: string;
}

/** The normalized inbound message, as far as storing it goes (`InboundMessage` of @wabot/whatsapp fits). */
export interface InboundRecord {
  /** The wamid. */
  messageId: string;
  userKey: string;
  waId: string | null;
  userId: string | null;
  profileName: string | null;
  /** Epoch seconds (Meta's send time). */
  timestamp: number;
  type: string;
  text: string;
  metadata: Record<string, unknown>;
}

/** A delivery status webhook, as far as applying it goes (`StatusUpdate` of @wabot/whatsapp fits). */
export interface StatusRecord {
  /** The wamid of the outbound message. */
  messageId: string;
  status: 'sent' | 'delivered' | 'read' | 'played' | 'failed';
  /** Epoch seconds. */
  timestamp: number;
  errors: { code: number; title: string; message: string | null; details: string | null }[];
  /** Meta's echo of the send's `biz_opaque_callback_data`: the worker puts the part's id there. */
  bizOpaqueCallbackData?: string | null;
}

/** The claim of a part right before its Graph send ({@link MessageRepository.claimForSend}). */
export type PartClaim =
  | { outcome: 'send'; inFlightSince: Date | null }
  | { outcome: 'cancelled'; cancelled: string[]; conversationId: string | null }
  | { outcome: 'done' };

/** The token usage of one engine turn, as the provider reported it (the worker's `EngineUsage` fits). */
export interface TurnUsage {
  provider: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens?: number;
}

/** The inbound message row, as far as the worker needs it. */
export interface InboundRow {
  id: string;
  botId: string;
  conversationId: string;
  status: MessageStatus;
  createdAt: Date;
  /** The turn it was answered in (the id of that turn's last message), once its reply plan is stored. */
  turnId: string | null;
}

/** One outbound row (a reply part, or an operator's template send). */
export interface OutboundRow {
  id: string;
  type: string;
  text: string;
  metadata: unknown;
  status: MessageStatus;
  partIndex: number | null;
}

export interface RecordedInbound {
  conversationId: string;
  /** Who answers the conversation now: `human` after a handoff (the bot stores, does not answer). */
  control: 'bot' | 'human';
  /** Where replies go: the phone number when known, else the business-scoped user id. */
  recipient: string;
  /** The latest inbound time of the conversation (Meta's send time), this message included. */
  lastInboundAt: Date;
  message: InboundRow;
  /** The reply plan of its turn stored by an earlier attempt (outbound parts in order); empty if none yet. */
  plan: OutboundRow[];
  /** The conversation's turns before this message, oldest first (empty when `history.turns` is 0 or it was handled). */
  history: HistoryTurn[];
  /** Stored by this call (false: a redelivery found its earlier row). */
  inserted: boolean;
}

/**
 * One planned part of a reply: a text chunk, a template, an action (stored as given: its message
 * type, readable text and metadata; the worker's action-parts module builds it), or a part
 * already known to fail.
 */
export type PlannedPart =
  | { type: 'text'; text: string }
  | { type: 'template'; template: { name: string; language: string; parameters: string[] } }
  | { type: 'action'; messageType: string; text: string; metadata: Record<string, unknown> }
  | { type: 'text'; text: string; failed: { code: number | null; title: string; details: string } };

/** Row fields of a planned part: its message type, readable text and metadata. */
function toPartRow(part: PlannedPart): { type: string; text: string; metadata: Record<string, unknown> } {
  switch (part.type) {
    case 'template':
      return { type: 'template', text: `[Template: ${part.template.name}]`, metadata: { template: part.template } };
    case 'action':
      return { type: part.messageType, text: part.text, metadata: part.metadata };
    default:
      return { type: 'text', text: part.text, metadata: {} };
  }
}

/** A failure recorded on an outbound message (Meta's code and title, or our own reason). */
export interface DeliveryFailure {
  code: number | null;
  title: string;
  details?: string | null;
}

/** One failed attempt of a message being retried, stored as its `last_error` `{code?, title, at}`. */
export interface RetryFailure {
  code: number | null;
  title: string;
}

/** Where a message being retried stands after one more failed attempt. */
export interface RetryState {
  attempts: number;
  /** Its first failure in this run of retries: the retry budget counts from here. */
  retryingSince: Date;
}

/** A conversation's control after a change the worker made (what a `conversation.control` event reports). */
export interface ControlState {
  conversationId: string;
  control: 'bot' | 'human';
  assignee: string | null;
  handoffReason: string | null;
  resumeAt: Date | null;
}

/** A status webhook applied to its message: where the message stands now, and whether this one moved it. */
export interface AppliedStatus {
  id: string;
  conversationId: string;
  status: MessageStatus;
  errorCode: number | null;
  errorTitle: string | null;
  moved: boolean;
}

interface ControlRow {
  conversation_id: string;
  control: string;
  assignee: string | null;
  handoff_reason: string | null;
  resume_at: Date | null;
}

const toControlState = (row: ControlRow): ControlState => ({
  conversationId: row.conversation_id,
  control: row.control === 'human' ? 'human' : 'bot',
  assignee: row.assignee,
  handoffReason: row.handoff_reason,
  resumeAt: row.resume_at,
});

/** Health of one kind of outside call of a bot (`bots.llm_*`, `bots.graph_*`). */
export type HealthKind = 'llm' | 'graph';
export type HealthStatus = 'ok' | 'unreachable' | 'error';

// Outbound statuses only ever move forward. `failed` outranks `sent` (Meta gave up) but a later
// delivered/read proves the message arrived after all.
const STATUS_ORDER: MessageStatus[] = [
  MessageStatus.pending,
  MessageStatus.sent,
  MessageStatus.failed,
  MessageStatus.delivered,
  MessageStatus.read,
];
const below = (status: MessageStatus) => STATUS_ORDER.slice(0, STATUS_ORDER.indexOf(status));

const statusSchema = z.enum(MessageStatus);
const outboundSchema = z.object({
  id: z.string(),
  type: z.string(),
  text: z.string(),
  metadata: z.unknown(),
  status: statusSchema,
  partIndex: z.number().int().nullable(),
});
const planSchema = z.array(outboundSchema).nullable();
const historySchema = z
  .array(z.object({ direction: z.string(), text: z.string(), author: z.string().nullable().optional() }))
  .nullable();

// The hot path is a handful of named (prepared once per connection) statements sent straight
// through node-postgres: no Prisma query compilation, one round trip each
// (docs/performance.md). Every statement is atomic on its own, so none needs a transaction.

const OUTBOUND_JSON = `json_build_object('id', p.id, 'type', p.type, 'text', p.text, 'metadata', p.metadata,
  'status', p.status, 'partIndex', p.part_index)`;

/**
 * Upsert the conversation, insert the inbound message once (unique bot_id + meta_message_id), and
 * read back the message row — new or stored earlier — with its reply plan and, when asked, the
 * history before it. A row inserted by this statement is invisible to its own SELECTs, so the
 * plan and history of a new message never include it.
 */
const RECORD_INBOUND = `
WITH conv AS (
  INSERT INTO conversations AS c (id, bot_id, user_key, wa_id, user_id, profile_name, last_inbound_at, last_message_at, created_at)
  VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, now(), now())
  ON CONFLICT (bot_id, user_key) DO UPDATE SET
    wa_id = COALESCE(EXCLUDED.wa_id, c.wa_id),
    user_id = COALESCE(EXCLUDED.user_id, c.user_id),
    profile_name = COALESCE(EXCLUDED.profile_name, c.profile_name),
    last_inbound_at = GREATEST(c.last_inbound_at, EXCLUDED.last_inbound_at),
    last_message_at = now()
  RETURNING c.id, c.wa_id, c.user_id, c.last_inbound_at, c.control
), ins AS (
  INSERT INTO messages (id, bot_id, conversation_id, direction, meta_message_id, type, text, metadata, status,
    meta_timestamp, created_at, updated_at)
  SELECT gen_random_uuid(), $1, conv.id, 'inbound', $7, $8, $9, $10::jsonb, 'received', $6, now(), now() FROM conv
  ON CONFLICT (bot_id, meta_message_id) DO NOTHING
  RETURNING id, conversation_id, status, created_at, turn_id
), msg AS (
  SELECT id, conversation_id, status, created_at, turn_id, true AS inserted FROM ins
  UNION ALL
  SELECT id, conversation_id, status, created_at, turn_id, false FROM messages WHERE bot_id = $1 AND meta_message_id = $7
)
SELECT conv.id AS conversation_id, conv.control::text AS control, conv.wa_id, conv.user_id, conv.last_inbound_at,
  msg.inserted, msg.id AS message_id, msg.conversation_id AS message_conversation_id, msg.status::text AS status, msg.created_at,
  msg.turn_id,
  CASE WHEN msg.inserted THEN NULL ELSE
    (SELECT json_agg(${OUTBOUND_JSON} ORDER BY p.part_index) FROM messages p WHERE p.reply_to_id = coalesce(msg.turn_id, msg.id))
  END AS plan,
  CASE WHEN $11::int > 0 AND msg.status <> 'handled' THEN
    (SELECT json_agg(json_build_object('direction', h.direction, 'text', h.text, 'author', h.author) ORDER BY h.created_at, h.part_index NULLS LAST)
     FROM (SELECT direction, text, author, created_at, part_index FROM messages
           WHERE conversation_id = msg.conversation_id AND id <> msg.id AND created_at <= msg.created_at
             AND (direction = 'inbound' OR (direction = 'outbound' AND type IN ('text', 'interactive', 'image', 'document', 'audio', 'video')
                  AND status IN ('sent', 'delivered', 'read')))
           ORDER BY created_at DESC, part_index DESC
           LIMIT $11::int) h)
  END AS history
FROM conv LEFT JOIN msg ON true`;

const SELECT_PLAN = `SELECT coalesce(json_agg(${OUTBOUND_JSON} ORDER BY p.part_index), '[]'::json) AS plan
FROM messages p WHERE p.reply_to_id = $1`;

/**
 * The whole plan in one INSERT, and the turn's inbound messages tagged with it ($6), in one
 * statement; a plan stored by an earlier attempt wins (unique reply_to_id + part_index).
 */
const INSERT_PLAN = `
WITH turn AS (
  UPDATE messages SET turn_id = $3, updated_at = now() WHERE id = ANY($6::uuid[]) AND direction = 'inbound'
), ins AS (
  INSERT INTO messages (id, bot_id, conversation_id, direction, type, text, metadata, status, error_code, error_title,
    error_details, failed_at, reply_to_id, part_index, part_count, usage, created_at, updated_at)
  SELECT gen_random_uuid(), $1, $2, 'outbound', p.type, p.text, coalesce(p.metadata, '{}'::jsonb), p.status::"MessageStatus",
    p.error_code, p.error_title, p.error_details, CASE WHEN p.status = 'failed' THEN now() END, $3, p.part_index, $4,
    p.usage, now(), now()
  FROM json_to_recordset($5::json) AS p(type text, text text, metadata jsonb, status text, error_code int,
    error_title text, error_details text, part_index int, usage jsonb)
  ON CONFLICT (reply_to_id, part_index) DO NOTHING
  RETURNING *
)
SELECT count(*)::int AS inserted, json_agg(${OUTBOUND_JSON} ORDER BY p.part_index) AS plan FROM ins p`;

// Meta accepted the part: record its wamid. A status webhook may in theory have moved it already,
// so only `pending` becomes `sent`. With $3 set, the inbound message is marked handled in the
// same statement (the last part of a reply: one round trip instead of two).
const MARK_SENT = `
WITH part AS (
  UPDATE messages SET meta_message_id = $2, sent_at = now(), attempts = attempts + 1, updated_at = now(),
    status = CASE WHEN status = 'pending' THEN 'sent'::"MessageStatus" ELSE status END
  WHERE id = $1 RETURNING id, conversation_id
), inbound AS (
  UPDATE messages SET status = 'handled', handled_at = now(), updated_at = now()
  WHERE id = ANY($3::uuid[]) RETURNING id
)
SELECT (SELECT conversation_id::text FROM part) AS conversation_id, (SELECT count(*)::int FROM inbound) AS inbound`;

// A turn whose engine call failed for good stays `failed` (it is not handled).
const MARK_HANDLED = `UPDATE messages SET status = 'handled', handled_at = now(), updated_at = now()
  WHERE id = ANY($1::uuid[]) AND status <> 'failed'`;

// Only a pending message fails: one a status webhook (or an earlier attempt) moved stays as it is.
const MARK_FAILED = `UPDATE messages SET status = 'failed', error_code = $2, error_title = $3, error_details = $4,
  failed_at = now(), attempts = attempts + $5::int, updated_at = now() WHERE id = $1 AND status = 'pending'
  RETURNING conversation_id::text AS conversation_id`;

// Inbound messages whose reply could not be produced: `failed` with the reason.
const MARK_INBOUND_FAILED = `UPDATE messages SET status = 'failed', error_code = $2, error_title = $3,
  error_details = $4, failed_at = now(), updated_at = now()
  WHERE id = ANY($1::uuid[]) AND direction = 'inbound' AND status <> 'handled'`;

// One more failed attempt: attempts, last_error and the start of the retry budget; an inbound
// message being answered moves from received to processing. Returns the earliest start.
const RECORD_RETRY = `WITH upd AS (
  UPDATE messages SET attempts = attempts + 1, retrying_since = coalesce(retrying_since, now()),
    last_error = json_build_object('code', $2::int, 'title', $3::text, 'at', now())::jsonb,
    status = CASE WHEN direction = 'inbound' AND status = 'received' THEN 'processing'::"MessageStatus" ELSE status END,
    updated_at = now()
  WHERE id = ANY($1::uuid[]) RETURNING attempts, retrying_since
)
SELECT max(attempts)::int AS attempts, min(retrying_since) AS retrying_since FROM upd`;

// Meta refused a send with 131047: the conversation's window is closed whatever our clock says.
const MARK_WINDOW_CLOSED = `UPDATE conversations SET window_closed_at = now()
  WHERE id = (SELECT conversation_id FROM messages WHERE id = $1)`;

// The same for a 131047 that came in a status webhook.
const MARK_WINDOW_CLOSED_BY_WAMID = `UPDATE conversations SET window_closed_at = now()
  WHERE id = (SELECT conversation_id FROM messages WHERE bot_id = $1 AND meta_message_id = $2 AND direction = 'outbound')`;

// The health of one kind of call; with $5, credentials still 'unknown' at bot version $5 become
// 'ok' (a send Meta accepted proves the token).
const recordHealthSql = (kind: HealthKind) => `UPDATE bots SET ${kind}_status = $2::"HealthStatus",
    ${kind}_error = CASE WHEN $3::jsonb IS NULL THEN ${kind}_error ELSE $3::jsonb END, ${kind}_status_at = now(),
    credentials_status = CASE WHEN $4::int IS NOT NULL AND credentials_status = 'unknown' AND version = $4::int
      THEN 'ok'::"CredentialsStatus" ELSE credentials_status END,
    credentials_checked_at = CASE WHEN $4::int IS NOT NULL AND credentials_status = 'unknown' AND version = $4::int
      THEN now() ELSE credentials_checked_at END
  WHERE id = $1`;

const MARK_REST_SKIPPED = `UPDATE messages SET status = 'failed', error_title = 'not_sent', error_details = $3,
  failed_at = now(), updated_at = now() WHERE reply_to_id = $1 AND part_index > $2 AND status = 'pending'
  RETURNING id::text AS id`;

/**
 * A handoff part, in one statement: the conversation goes to a person (control, reason, summary,
 * time), the part is `handled` (it is no Graph send), the plan's later parts are recorded as not
 * sent and the turn's inbound messages handled. Only a pending part acts, so a resumed plan never
 * hands over twice.
 */
const RECORD_HANDOFF = `
WITH part AS (
  UPDATE messages SET status = 'handled', handled_at = now(), updated_at = now()
  WHERE id = $1 AND status = 'pending' RETURNING conversation_id, reply_to_id, part_index
), conv AS (
  UPDATE conversations c SET control = 'human', handoff_reason = $2, handoff_summary = $3, handed_off_at = now(),
    resume_at = $5
  FROM part WHERE c.id = part.conversation_id RETURNING c.id, c.assignee, c.handoff_reason, c.resume_at
), rest AS (
  UPDATE messages m SET status = 'failed', error_title = 'not_sent', error_details = 'handed off to a person',
    failed_at = now(), updated_at = now()
  FROM part WHERE m.reply_to_id = part.reply_to_id AND m.part_index > part.part_index AND m.status = 'pending'
  RETURNING m.id
), inbound AS (
  UPDATE messages SET status = 'handled', handled_at = now(), updated_at = now() WHERE id = ANY($4::uuid[]) RETURNING id
)
SELECT (SELECT count(*)::int FROM conv) AS handed_off, (SELECT id::text FROM conv) AS conversation_id,
  (SELECT assignee FROM conv) AS assignee, (SELECT handoff_reason FROM conv) AS handoff_reason,
  (SELECT resume_at FROM conv) AS resume_at, coalesce((SELECT json_agg(id::text) FROM rest), '[]'::json) AS skipped`;

/**
 * The takeover guarantee, right before a Graph send: a reply part (reply_to_id set) is claimed
 * only while its conversation is the bot's. FOR SHARE serializes the check with a handoff's
 * UPDATE of the conversation row (a handoff committed first is seen; one that comes later waits
 * for this statement), so no part is claimed after a handoff. When the conversation is a
 * person's, this part and the plan's later pending parts are recorded as cancelled. Other
 * outbound messages (operator messages, templates, the resume notice) are always claimed.
 */
const CLAIM_PART = `
WITH part AS (
  SELECT id, conversation_id, reply_to_id, part_index, sending_at AS was_sending
  FROM messages WHERE id = $1 AND status = 'pending'
), conv AS (
  SELECT c.control FROM conversations c JOIN part ON c.id = part.conversation_id FOR SHARE OF c
), claim AS (
  UPDATE messages m SET sending_at = now() FROM part, conv
  WHERE m.id = part.id AND (part.reply_to_id IS NULL OR conv.control = 'bot') RETURNING m.id
), cancel AS (
  UPDATE messages m SET status = 'failed', error_title = 'cancelled_by_handoff',
    error_details = 'the conversation was handed over to a person before this part was sent', failed_at = now(),
    updated_at = now()
  FROM part, conv
  WHERE part.reply_to_id IS NOT NULL AND conv.control = 'human' AND m.reply_to_id = part.reply_to_id
    AND m.part_index >= part.part_index AND m.status = 'pending'
  RETURNING m.id
)
SELECT (SELECT count(*)::int FROM claim) AS claimed, coalesce((SELECT json_agg(id::text) FROM cancel), '[]'::json) AS cancelled,
  (SELECT conversation_id::text FROM part) AS conversation_id, (SELECT was_sending FROM part) AS was_sending`;

/** A part whose send got an answer that was no acceptance: no longer in flight. */
const RELEASE_CLAIM = `UPDATE messages SET sending_at = NULL WHERE id = $1 AND status = 'pending'`;

/** What a part's row says about its send: a wamid learnt from a status webhook, its status. */
const SELECT_SEND_STATE = `SELECT meta_message_id, status FROM messages WHERE id = $1`;

/**
 * A status webhook for a wamid no row has: the part named by its biz_opaque_callback_data (our
 * part id), sent before a crash kept its wamid from being recorded, learns it.
 */
const LEARN_WAMID = `UPDATE messages SET meta_message_id = $3, updated_at = now()
  WHERE id = $2::uuid AND bot_id = $1 AND direction = 'outbound' AND meta_message_id IS NULL RETURNING id`;

/**
 * A handoff the worker sees (a keyword, or an echo): the conversation goes to a person unless it
 * is already one's. Returns the row only when it changed.
 */
const HAND_OFF = `UPDATE conversations SET control = 'human', handoff_reason = $2, handoff_summary = NULL,
  handed_off_at = now(), resume_at = $3 WHERE id = $1 AND control = 'bot'
  RETURNING id::text AS conversation_id, control::text AS control, assignee, handoff_reason, resume_at`;

/**
 * A coexistence echo (the business wrote from the WhatsApp Business app): the conversation is
 * upserted, the message stored once as an outbound, sent message of the business (unique bot +
 * wamid), and the conversation handed over with reason business_app_reply (or, when already a
 * person's, its resume time moved). The echo never opens or extends the 24-hour window.
 */
const RECORD_ECHO = `
WITH before AS (
  SELECT control FROM conversations WHERE bot_id = $1 AND user_key = $2
), conv AS (
  INSERT INTO conversations AS c (id, bot_id, user_key, wa_id, user_id, last_message_at, created_at, control,
    handoff_reason, handed_off_at, resume_at, last_operator_message_at)
  VALUES (gen_random_uuid(), $1, $2, $3, $4, now(), now(), 'human', 'business_app_reply', now(), $9, now())
  ON CONFLICT (bot_id, user_key) DO UPDATE SET
    wa_id = COALESCE(EXCLUDED.wa_id, c.wa_id),
    user_id = COALESCE(EXCLUDED.user_id, c.user_id),
    last_message_at = now(),
    last_operator_message_at = now(),
    control = 'human',
    handoff_reason = CASE WHEN c.control = 'bot' THEN 'business_app_reply' ELSE c.handoff_reason END,
    handoff_summary = CASE WHEN c.control = 'bot' THEN NULL ELSE c.handoff_summary END,
    handed_off_at = CASE WHEN c.control = 'bot' THEN now() ELSE c.handed_off_at END,
    resume_at = EXCLUDED.resume_at
  RETURNING c.id, c.assignee, c.handoff_reason, c.resume_at
), ins AS (
  INSERT INTO messages (id, bot_id, conversation_id, direction, meta_message_id, type, text, metadata, status, author,
    meta_timestamp, sent_at, created_at, updated_at)
  SELECT gen_random_uuid(), $1, conv.id, 'outbound', $5, $6, $7, $8::jsonb, 'sent', 'business_app', $10, $10, now(), now()
  FROM conv
  ON CONFLICT (bot_id, meta_message_id) DO NOTHING
  RETURNING id, conversation_id
)
SELECT ins.id::text AS message_id, ins.conversation_id::text AS conversation_id,
  coalesce((SELECT control::text FROM before), 'bot') AS was, conv.assignee, conv.handoff_reason, conv.resume_at
FROM ins, conv`;

/**
 * The Business app edited (`edit` echo) or deleted (`revoke`) one of the business's messages:
 * the change is stored on that message (its text replaced by the edit's, the time recorded, the
 * change kept in metadata.edit / metadata.revoked). Unknown originals change nothing.
 */
const APPLY_ECHO_CHANGE = `
UPDATE messages SET
  text = CASE WHEN $3 = 'edit' AND $4::text IS NOT NULL THEN $4 ELSE text END,
  edited_at = CASE WHEN $3 = 'edit' THEN $5 ELSE edited_at END,
  revoked_at = CASE WHEN $3 = 'revoke' THEN $5 ELSE revoked_at END,
  metadata = metadata || CASE WHEN $3 = 'edit' THEN jsonb_build_object('edit', $6::jsonb, 'edit_wamid', $7::text)
    ELSE jsonb_build_object('revoked', true, 'revoke_wamid', $7::text) END,
  updated_at = now()
WHERE bot_id = $1 AND meta_message_id = $2 AND direction = 'outbound'
RETURNING id::text AS id, conversation_id::text AS conversation_id`;

/**
 * Auto-resume, exactly once: the conversation goes back to the bot only if it is still a
 * person's with exactly the resume time the job was scheduled for (a later operator message moved
 * it, and scheduled its own job). With a notice, its outbound row is inserted in the same
 * statement under an id derived from the conversation and resume time, so a retried job finds
 * the same row and never sends the notice twice.
 */
const RESUME_IF_DUE = `
WITH conv AS (
  UPDATE conversations SET control = 'bot', resume_at = NULL
  WHERE id = $1 AND control = 'human' AND resume_at = $2 RETURNING id, bot_id, assignee, handoff_reason
), notice AS (
  INSERT INTO messages (id, bot_id, conversation_id, direction, type, text, status, author, created_at, updated_at)
  SELECT md5($1::text || extract(epoch FROM $2::timestamptz)::text)::uuid, conv.bot_id, conv.id, 'outbound', 'text', $3, 'pending', 'bot',
    now(), now()
  FROM conv WHERE $3::text IS NOT NULL
  ON CONFLICT (id) DO NOTHING
  RETURNING id
)
SELECT (SELECT count(*)::int FROM conv) AS resumed, (SELECT assignee FROM conv) AS assignee,
  (SELECT handoff_reason FROM conv) AS handoff_reason,
  coalesce((SELECT id::text FROM notice), (SELECT id::text FROM messages
    WHERE id = md5($1::text || extract(epoch FROM $2::timestamptz)::text)::uuid AND status = 'pending')) AS notice_id`;

/**
 * Coexistence history of one chat (shared/reference/meta-cloud-api.md §11.2), imported as an
 * archive in one statement: the conversation upserted without touching its window
 * (last_inbound_at) or its place in the chat list (last_message_at: only a new conversation takes
 * its newest message's time), each message inserted once by wamid (a live message, an echo or an
 * earlier import with that id wins) as `imported_at` now, at its own time, inbound ones `handled`
 * (never answered). A media webhook's message fills in the `media_placeholder` imported under its
 * id. Returns the conversation and the ids of the rows inserted or filled in.
 */
const IMPORT_HISTORY = `
WITH conv AS (
  INSERT INTO conversations AS c (id, bot_id, user_key, wa_id, user_id, last_message_at, created_at)
  VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, now())
  ON CONFLICT (bot_id, user_key) DO UPDATE SET
    wa_id = COALESCE(c.wa_id, EXCLUDED.wa_id),
    user_id = COALESCE(c.user_id, EXCLUDED.user_id)
  RETURNING c.id
), ins AS (
  INSERT INTO messages AS t (id, bot_id, conversation_id, direction, meta_message_id, type, text, metadata, status, author,
    meta_timestamp, sent_at, delivered_at, read_at, handled_at, imported_at, created_at, updated_at)
  SELECT gen_random_uuid(), $1, conv.id, m.direction::"MessageDirection", m.wamid, m.type, m.text, m.metadata,
    m.status::"MessageStatus", m.author::"MessageAuthor", m.at,
    CASE WHEN m.direction = 'outbound' THEN m.at END,
    CASE WHEN m.status IN ('delivered', 'read') THEN m.at END,
    CASE WHEN m.status = 'read' THEN m.at END,
    CASE WHEN m.direction = 'inbound' THEN now() END, now(), m.at, now()
  FROM conv, json_to_recordset($6::json) AS m(direction text, wamid text, type text, text text, metadata jsonb,
    status text, author text, at timestamptz)
  ON CONFLICT (bot_id, meta_message_id) DO UPDATE SET type = EXCLUDED.type, text = EXCLUDED.text,
    metadata = EXCLUDED.metadata, updated_at = now()
  WHERE t.type = 'media_placeholder' AND t.imported_at IS NOT NULL AND EXCLUDED.type <> 'media_placeholder'
  RETURNING t.id
)
SELECT (SELECT id::text FROM conv) AS conversation_id, coalesce((SELECT json_agg(id::text) FROM ins), '[]'::json) AS ids`;

// The bot's unassigned-handoff threshold (settings.handoff.unassigned_alert_after_s), null when unset.
const ALERT_AFTER = `CASE WHEN jsonb_typeof(b.settings->'handoff'->'unassigned_alert_after_s') = 'number'
  THEN (b.settings->'handoff'->>'unassigned_alert_after_s')::float8 END`;

/**
 * The waiting-handoff alert, exactly once per handoff fleet-wide: a conversation a person holds,
 * assigned to nobody, handed off longer ago than its bot's threshold, is marked with the
 * handed_off_at it is alerted for, in the statement that picks it (rows another sweep holds are
 * skipped; the conditions are checked again on the locked row). A new handoff has a new
 * handed_off_at, so it can alert again.
 */
const CLAIM_WAITING_ALERTS = `
UPDATE conversations c SET waiting_alert_for = c.handed_off_at
FROM bots b
WHERE c.id IN (
    SELECT c2.id FROM conversations c2 JOIN bots b ON b.id = c2.bot_id
    WHERE c2.control = 'human' AND c2.assignee IS NULL AND c2.handed_off_at IS NOT NULL
      AND c2.waiting_alert_for IS DISTINCT FROM c2.handed_off_at AND b.deleted_at IS NULL
      AND c2.handed_off_at <= now() - make_interval(secs => ${ALERT_AFTER})
    ORDER BY c2.handed_off_at LIMIT $1 FOR UPDATE OF c2 SKIP LOCKED)
  AND b.id = c.bot_id AND c.control = 'human' AND c.assignee IS NULL
  AND c.waiting_alert_for IS DISTINCT FROM c.handed_off_at
RETURNING c.id::text AS conversation_id, c.bot_id, b.workspace_id::text AS workspace_id, c.handed_off_at,
  ${ALERT_AFTER} AS threshold_s, extract(epoch FROM now() - c.handed_off_at)::float8 AS age_s`;

/** Conversations still a person's more than $1 ms after their resume time: their resume job was lost (or is very late). */
const OVERDUE_RESUMES = `
SELECT c.id::text AS conversation_id, c.bot_id, c.resume_at FROM conversations c JOIN bots b ON b.id = c.bot_id
WHERE c.control = 'human' AND c.resume_at IS NOT NULL AND c.resume_at < now() - make_interval(secs => $1::float8 / 1000)
  AND b.deleted_at IS NULL
ORDER BY c.resume_at LIMIT $2`;

/** One message of a chat's history, as {@link MessageRepository.importHistory} stores it (`HistoryMessage` of @wabot/whatsapp fits). */
export interface HistoryRecord {
  messageId: string;
  direction: 'inbound' | 'outbound';
  /** Epoch seconds. */
  timestamp: number;
  type: string;
  text: string;
  metadata: Record<string, unknown>;
  /** A business message's delivery state; null: `sent`. */
  status: 'sent' | 'delivered' | 'read' | 'failed' | null;
}

interface RecordRow {
  conversation_id: string;
  control: string;
  wa_id: string | null;
  user_id: string | null;
  last_inbound_at: Date | null;
  message_id: string | null;
  message_conversation_id: string | null;
  status: string | null;
  created_at: Date | null;
  turn_id: string | null;
  inserted: boolean | null;
  plan: unknown;
  history: unknown;
}

/** How the bot's history marks what a person of the team wrote (an operator, or the Business app). */
export const TEAM_MARK = '[from the team] ';
const byTeam = (author: string | null | undefined) => author === 'operator' || author === 'business_app';

function pickHistory(
  rows: { direction: string; text: string; author?: string | null | undefined }[] | null,
  chars: number,
): HistoryTurn[] {
  if (!rows) return [];
  const picked: HistoryTurn[] = [];
  let total = 0;
  // Newest first until the character budget is spent, then back to oldest first.
  for (let i = rows.length - 1; i >= 0; i--) {
    const row = rows[i];
    if (!row?.text) continue;
    total += row.text.length;
    if (total > chars) break;
    picked.push({
      role: row.direction === 'inbound' ? 'user' : 'assistant',
      content: byTeam(row.author) ? `${TEAM_MARK}${row.text}` : row.text,
    });
  }
  return picked.reverse();
}

// A status webhook in one statement: the status only moves forward (never read → delivered), a
// failure records Meta's code and title, and each milestone time is set once. The row comes back
// whether or not it moved, so "unknown message id" is told apart from "already further along".
const APPLY_STATUS = `WITH old AS (
  SELECT id, status FROM messages WHERE bot_id = $1 AND meta_message_id = $2 AND direction = 'outbound' FOR UPDATE
)
UPDATE messages m SET
    status = CASE WHEN m.status = ANY($4::"MessageStatus"[]) THEN $3::"MessageStatus" ELSE m.status END,
    error_code = CASE WHEN $3 = 'failed' AND m.status = ANY($4::"MessageStatus"[]) THEN $6::int ELSE m.error_code END,
    error_title = CASE WHEN $3 = 'failed' AND m.status = ANY($4::"MessageStatus"[]) THEN $7 ELSE m.error_title END,
    error_details = CASE WHEN $3 = 'failed' AND m.status = ANY($4::"MessageStatus"[]) THEN $8 ELSE m.error_details END,
    failed_at = CASE WHEN $3 = 'failed' AND m.status = ANY($4::"MessageStatus"[]) THEN $5 ELSE m.failed_at END,
    sent_at = CASE WHEN $3 = 'sent' THEN coalesce(m.sent_at, $5) ELSE m.sent_at END,
    delivered_at = CASE WHEN $3 = 'delivered' THEN coalesce(m.delivered_at, $5) ELSE m.delivered_at END,
    read_at = CASE WHEN $3 = 'read' THEN coalesce(m.read_at, $5) ELSE m.read_at END,
    updated_at = CASE WHEN m.status = ANY($4::"MessageStatus"[]) THEN now() ELSE m.updated_at END
  FROM old WHERE m.id = old.id
  RETURNING m.id::text AS id, m.conversation_id::text AS conversation_id, m.status::text AS status, m.error_code,
    m.error_title, old.status = ANY($4::"MessageStatus"[]) AS moved`;

/** A turn's usage as stored in messages.usage (the API's snake_case shape). */
const toUsageJson = (usage: TurnUsage) => ({
  provider: usage.provider,
  model: usage.model,
  input_tokens: usage.inputTokens,
  output_tokens: usage.outputTokens,
  ...(usage.cachedInputTokens !== undefined ? { cached_input_tokens: usage.cachedInputTokens } : {}),
});

const partStatus = (part: PlannedPart) => ('failed' in part ? MessageStatus.failed : MessageStatus.pending);

/**
 * Messages on the worker's delivery pipeline: conversations, inbound messages (unique per bot +
 * wamid, the durable idempotency key), reply plans and delivery status. `sql` is the process's pg
 * pool (hot path, hand-written named statements); `db` is Prisma (rare paths).
 */
export function createMessageRepository(db: Database, sql: SqlPool) {
  const one = async <R extends object>(name: string, text: string, values: unknown[]): Promise<R | undefined> => {
    const result = await sql.query<R>({ name, text, values });
    return result.rows[0];
  };

  const readPlan = async (inboundId: string): Promise<OutboundRow[]> => {
    const row = await one<{ plan: unknown }>('worker_select_plan', SELECT_PLAN, [inboundId]);
    return planSchema.parse(row?.plan ?? []) ?? [];
  };

  return {
    /**
     * Upserts the conversation and inserts the inbound message once (a redelivered message finds
     * its earlier row, whose status tells whether it was handled), and reads the stored reply
     * plan and up to `history.turns` earlier turns (at most `history.chars` characters) — one
     * round trip.
     */
    async recordInbound(
      botId: string,
      inbound: InboundRecord,
      history: { turns: number; chars: number } = { turns: 0, chars: 0 },
    ): Promise<RecordedInbound> {
      const sentAt = new Date(inbound.timestamp * 1000);
      const values = [
        botId,
        inbound.userKey,
        inbound.waId || null,
        inbound.userId || null,
        inbound.profileName || null,
        sentAt,
        inbound.messageId,
        inbound.type,
        inbound.text,
        JSON.stringify(inbound.metadata),
        history.chars > 0 ? history.turns : 0,
      ];
      let row = await one<RecordRow>('worker_record_inbound', RECORD_INBOUND, values);
      // A concurrent attempt inserted the same message after this statement's snapshot was taken:
      // a second statement sees its row.
      if (!row?.message_id) row = await one<RecordRow>('worker_record_inbound', RECORD_INBOUND, values);
      if (!row?.message_id || !row.message_conversation_id || !row.created_at) {
        throw new Error(`inbound message ${inbound.messageId} could not be stored or read back`);
      }
      const recipient = row.wa_id ?? inbound.waId ?? row.user_id ?? inbound.userId ?? inbound.userKey;
      return {
        conversationId: row.conversation_id,
        control: row.control === 'human' ? 'human' : 'bot',
        recipient,
        lastInboundAt: row.last_inbound_at ?? sentAt,
        message: {
          id: row.message_id,
          botId,
          conversationId: row.message_conversation_id,
          status: statusSchema.parse(row.status),
          createdAt: row.created_at,
          turnId: row.turn_id,
        },
        plan: planSchema.parse(row.plan) ?? [],
        history: pickHistory(historySchema.parse(row.history), history.chars),
        inserted: row.inserted === true,
      };
    },

    /** The stored reply plan of an inbound message (outbound parts in order); empty if none yet. */
    replyPlan: readPlan,

    /**
     * Stores the reply plan of a turn in one statement: the parts answer the turn's last message
     * (`inbound`), and every message of the turn (`turnMessageIds`, `inbound` included) is tagged
     * with it. A plan stored by an earlier attempt wins (the unique reply_to_id + part_index makes
     * a second insert a no-op), so a reply is never regenerated after a crash. The turn's token
     * `usage` is recorded on each of its parts (totals count a turn once: its part 0). `inserted`:
     * this call stored the plan.
     */
    async createReplyPlan(
      inbound: InboundRow,
      parts: PlannedPart[],
      turnMessageIds: string[] = [inbound.id],
      usage: TurnUsage | null = null,
    ): Promise<{ plan: OutboundRow[]; inserted: boolean }> {
      const usageJson = usage ? toUsageJson(usage) : null;
      const rows = parts.map((part, partIndex) => ({
        ...toPartRow(part),
        status: partStatus(part),
        error_code: 'failed' in part ? part.failed.code : null,
        error_title: 'failed' in part ? part.failed.title : null,
        error_details: 'failed' in part ? part.failed.details : null,
        part_index: partIndex,
        usage: usageJson,
      }));
      const result = await one<{ inserted: number; plan: unknown }>('worker_insert_plan', INSERT_PLAN, [
        inbound.botId,
        inbound.conversationId,
        inbound.id,
        parts.length,
        JSON.stringify(rows),
        turnMessageIds,
      ]);
      if (result?.inserted === parts.length) return { plan: planSchema.parse(result.plan) ?? [], inserted: true };
      return { plan: await readPlan(inbound.id), inserted: false };
    },

    /**
     * Records Meta's wamid for an accepted part, moving it from pending to sent, and marks the
     * inbound messages `handledInboundIds` (the turn, with its last part) handled — one statement.
     * Returns the part's conversation id (null: no such part).
     */
    async markSent(id: string, metaMessageId: string, handledInboundIds: string[] = []): Promise<string | null> {
      const row = await one<{ conversation_id: string | null }>('worker_mark_sent', MARK_SENT, [
        id,
        metaMessageId,
        handledInboundIds,
      ]);
      return row?.conversation_id ?? null;
    },

    /**
     * Records a pending outbound message `failed` with the reason; `countAttempt` false when the
     * failed attempt was already counted ({@link recordRetry}). Returns its conversation id when
     * it moved (null: it was not pending).
     */
    async markFailed(id: string, failure: DeliveryFailure, countAttempt = true): Promise<string | null> {
      const row = await one<{ conversation_id: string }>('worker_mark_failed', MARK_FAILED, [
        id,
        failure.code,
        failure.title,
        failure.details ?? null,
        countAttempt ? 1 : 0,
      ]);
      return row?.conversation_id ?? null;
    },

    /** Parts after a failed one are not sent: the reply would make no sense with a gap. Returns their ids. */
    async markRestSkipped(inboundId: string, afterPart: number, reason: string): Promise<string[]> {
      const result = await sql.query<{ id: string }>({
        name: 'worker_mark_rest_skipped',
        text: MARK_REST_SKIPPED,
        values: [inboundId, afterPart, reason],
      });
      return result.rows.map((row) => row.id);
    },

    /**
     * Applies a handoff part (RECORD_HANDOFF): conversation → `human` with reason and summary, the
     * plan's later parts not sent, the turn's inbound messages handled. Returns the conversation's
     * control and the parts not sent, or null when the part was not pending (handled by an earlier
     * attempt).
     */
    async recordHandoff(
      partId: string,
      handoff: { reason: string; summary: string },
      handledInboundIds: string[],
      resumeAt: Date | null = null,
    ): Promise<{ control: ControlState; skipped: string[] } | null> {
      const row = await one<
        Omit<ControlRow, 'control' | 'conversation_id'> & {
          handed_off: number;
          conversation_id: string | null;
          skipped: string[];
        }
      >('worker_record_handoff', RECORD_HANDOFF, [
        partId,
        handoff.reason,
        handoff.summary,
        handledInboundIds,
        resumeAt,
      ]);
      if (!row?.conversation_id || row.handed_off === 0) return null;
      return {
        control: toControlState({ ...row, conversation_id: row.conversation_id, control: 'human' }),
        skipped: row.skipped,
      };
    },

    /**
     * Records one more failed attempt on messages being retried (`attempts`, `last_error`, the
     * start of the retry budget; inbound ones become `processing`).
     */
    async recordRetry(ids: string[], failure: RetryFailure): Promise<RetryState> {
      const row = await one<{ attempts: number | null; retrying_since: Date | null }>(
        'worker_record_retry',
        RECORD_RETRY,
        [ids, failure.code, failure.title.slice(0, 500)],
      );
      return { attempts: row?.attempts ?? 0, retryingSince: row?.retrying_since ?? new Date() };
    },

    /** Marks inbound messages whose reply could not be produced `failed` with the reason (handled ones stay). */
    async markInboundFailed(ids: string[], failure: DeliveryFailure): Promise<void> {
      if (ids.length === 0) return;
      await one('worker_mark_inbound_failed', MARK_INBOUND_FAILED, [
        ids,
        failure.code,
        failure.title,
        failure.details ?? null,
      ]);
    },

    /** Meta refused outbound message `id` with 131047: its conversation's window shows closed. */
    async markWindowClosed(id: string): Promise<void> {
      await one('worker_mark_window_closed', MARK_WINDOW_CLOSED, [id]);
    },

    /**
     * Stores the bot's health for one kind of outside call; `error` (kept until the next failure)
     * is the failure's `{code?, title, at}`. With `credentialsVersion`, credentials still
     * `unknown` at that bot version become `ok`.
     */
    async recordHealth(
      botId: string,
      kind: HealthKind,
      status: HealthStatus,
      error: RetryFailure | null,
      credentialsVersion: number | null = null,
    ): Promise<void> {
      const lastError = error ? JSON.stringify({ code: error.code, title: error.title, at: new Date() }) : null;
      await one(`worker_record_${kind}_health`, recordHealthSql(kind), [botId, status, lastError, credentialsVersion]);
    },

    /**
     * Claims a pending outbound part right before its Graph send (CLAIM_PART): 'send' when it may
     * go out, with `inFlightSince` when an earlier claim was never settled (a send in flight at a
     * crash: Meta may have accepted it); 'cancelled' when its conversation was handed to a person
     * (this part and the reply's later ones are recorded `cancelled_by_handoff`, their ids in
     * `cancelled`); 'done' when it is no longer pending.
     */
    async claimForSend(id: string): Promise<PartClaim> {
      const row = await one<{
        claimed: number;
        cancelled: string[];
        conversation_id: string | null;
        was_sending: Date | null;
      }>('worker_claim_part', CLAIM_PART, [id]);
      const cancelled = row?.cancelled ?? [];
      const conversationId = row?.conversation_id ?? null;
      if ((row?.claimed ?? 0) > 0) return { outcome: 'send', inFlightSince: row?.was_sending ?? null };
      if (cancelled.length > 0) return { outcome: 'cancelled', cancelled, conversationId };
      return { outcome: 'done' };
    },

    /** The part's send was answered without an acceptance (an error): it is no longer in flight. */
    async releaseClaim(id: string): Promise<void> {
      await one('worker_release_claim', RELEASE_CLAIM, [id]);
    },

    /** The wamid a status webhook taught the part (null while none came) and its status. */
    async findSendState(id: string): Promise<{ wamid: string | null; status: MessageStatus } | null> {
      const row = await one<{ meta_message_id: string | null; status: MessageStatus }>(
        'worker_select_send_state',
        SELECT_SEND_STATE,
        [id],
      );
      return row ? { wamid: row.meta_message_id, status: row.status } : null;
    },

    /**
     * Hands a conversation to a person (a keyword, say) unless it is one's already; `resumeAt` is
     * when the bot takes it back (null: not on its own). Its new control when it changed, else null.
     */
    async handOff(conversationId: string, reason: string, resumeAt: Date | null): Promise<ControlState | null> {
      const row = await one<ControlRow>('worker_hand_off', HAND_OFF, [conversationId, reason, resumeAt]);
      return row ? toControlState(row) : null;
    },

    /**
     * Stores a coexistence echo once as the business's sent message and hands the conversation
     * over (RECORD_ECHO). Returns the stored message's id, whether the conversation was the bot's
     * (now handed over) and its control, or null for a redelivered echo.
     */
    async recordEcho(
      botId: string,
      echo: {
        messageId: string;
        userKey: string;
        waId: string | null;
        userId: string | null;
        timestamp: number;
        type: string;
        text: string;
        metadata: Record<string, unknown>;
      },
      resumeAt: Date | null,
    ): Promise<{ messageId: string; handedOff: boolean; control: ControlState } | null> {
      const row = await one<Omit<ControlRow, 'control'> & { message_id: string; was: string }>(
        'worker_record_echo',
        RECORD_ECHO,
        [
          botId,
          echo.userKey,
          echo.waId,
          echo.userId,
          echo.messageId,
          echo.type,
          echo.text,
          JSON.stringify(echo.metadata),
          resumeAt,
          new Date(echo.timestamp * 1000),
        ],
      );
      if (!row) return null;
      return {
        messageId: row.message_id,
        handedOff: row.was === 'bot',
        control: toControlState({ ...row, control: 'human' }),
      };
    },

    /**
     * Stores a Business-app `edit` or `revoke` echo on the business's message it changes
     * (APPLY_ECHO_CHANGE); returns that message, or null when no message has that wamid.
     */
    async applyEchoChange(
      botId: string,
      change: {
        kind: 'edit' | 'revoke';
        originalMessageId: string;
        /** The echo's own wamid. */
        messageId: string;
        timestamp: number;
        /** The edited message's readable text (edit only). */
        text: string | null;
        /** The edit as normalized (edit only). */
        edit: Record<string, unknown> | null;
      },
    ): Promise<{ id: string; conversationId: string } | null> {
      const row = await one<{ id: string; conversation_id: string }>('worker_apply_echo_change', APPLY_ECHO_CHANGE, [
        botId,
        change.originalMessageId,
        change.kind,
        change.text,
        new Date(change.timestamp * 1000),
        JSON.stringify(change.edit ?? {}),
        change.messageId,
      ]);
      return row ? { id: row.id, conversationId: row.conversation_id } : null;
    },

    /**
     * Gives the conversation back to the bot if it is still a person's with exactly `resumeAt`
     * (RESUME_IF_DUE) — once, however many workers run the job — and returns its new control
     * (null when this call did not resume it) and the pending notice row to send (also on a retry
     * after the resume itself succeeded), or null.
     */
    async resumeIfDue(
      conversationId: string,
      resumeAt: Date,
      notice: string | null,
    ): Promise<{ resumed: ControlState | null; noticeId: string | null }> {
      const row = await one<{
        resumed: number;
        notice_id: string | null;
        assignee: string | null;
        handoff_reason: string | null;
      }>('worker_resume_if_due', RESUME_IF_DUE, [conversationId, resumeAt, notice]);
      const resumed =
        (row?.resumed ?? 0) > 0
          ? toControlState({
              conversation_id: conversationId,
              control: 'bot',
              assignee: row?.assignee ?? null,
              handoff_reason: row?.handoff_reason ?? null,
              resume_at: null,
            })
          : null;
      return { resumed, noticeId: row?.notice_id ?? null };
    },

    /**
     * Imports one chat's history messages (IMPORT_HISTORY), each once by wamid; returns the
     * conversation id and the rows stored (inserted, or a media placeholder filled in).
     */
    async importHistory(
      botId: string,
      chat: { userKey: string; waId: string | null; userId: string | null },
      messages: HistoryRecord[],
    ): Promise<{ conversationId: string; stored: string[] }> {
      // One row per wamid (the last one wins: a media webhook's content over its placeholder).
      const byId = new Map(messages.map((m) => [m.messageId, m]));
      const rows = [...byId.values()].map((m) => ({
        direction: m.direction,
        wamid: m.messageId,
        type: m.type,
        text: m.text,
        metadata: m.metadata,
        status: m.direction === 'inbound' ? 'handled' : (m.status ?? 'sent'),
        author: m.direction === 'inbound' ? 'user' : 'business_app',
        at: new Date(m.timestamp * 1000).toISOString(),
      }));
      const newest = new Date(Math.max(...messages.map((m) => m.timestamp * 1000)));
      const row = await one<{ conversation_id: string; ids: string[] }>('worker_import_history', IMPORT_HISTORY, [
        botId,
        chat.userKey,
        chat.waId,
        chat.userId,
        newest,
        JSON.stringify(rows),
      ]);
      if (!row) throw new Error(`history of ${chat.userKey} could not be imported`);
      return { conversationId: row.conversation_id, stored: row.ids };
    },

    /**
     * Marks up to `limit` unassigned handoffs past their bot's threshold as alerted
     * (CLAIM_WAITING_ALERTS) and returns them: each handoff once, whichever worker sweeps.
     */
    async claimWaitingAlerts(
      limit = 500,
    ): Promise<
      { conversationId: string; botId: string; workspaceId: string; since: Date; thresholdS: number; ageS: number }[]
    > {
      const result = await sql.query<{
        conversation_id: string;
        bot_id: string;
        workspace_id: string;
        handed_off_at: Date;
        threshold_s: number;
        age_s: number;
      }>({ name: 'worker_claim_waiting_alerts', text: CLAIM_WAITING_ALERTS, values: [limit] });
      return result.rows.map((row) => ({
        conversationId: row.conversation_id,
        botId: row.bot_id,
        workspaceId: row.workspace_id,
        since: row.handed_off_at,
        thresholdS: row.threshold_s,
        ageS: row.age_s,
      }));
    },

    /** Conversations still a person's `graceMs` after their resume time (OVERDUE_RESUMES), oldest first. */
    async overdueResumes(
      graceMs: number,
      limit = 200,
    ): Promise<{ conversationId: string; botId: string; resumeAt: Date }[]> {
      const result = await sql.query<{ conversation_id: string; bot_id: string; resume_at: Date }>({
        name: 'worker_overdue_resumes',
        text: OVERDUE_RESUMES,
        values: [graceMs, limit],
      });
      return result.rows.map((row) => ({
        conversationId: row.conversation_id,
        botId: row.bot_id,
        resumeAt: row.resume_at,
      }));
    },

    /** Who answers the conversation now (a turn being generated checks it, to stop at a handoff); null: no such conversation. */
    async conversationControl(conversationId: string): Promise<'bot' | 'human' | null> {
      const row = await one<{ control: string }>(
        'worker_conversation_control',
        'SELECT control::text AS control FROM conversations WHERE id = $1',
        [conversationId],
      );
      if (!row) return null;
      return row.control === 'human' ? 'human' : 'bot';
    },

    async markHandled(ids: string[]): Promise<void> {
      if (ids.length > 0) await one('worker_mark_handled', MARK_HANDLED, [ids]);
    },

    /**
     * Applies a status webhook to the outbound message with that wamid. Never moves a message
     * backwards; an unknown id is ignored. Returns the message as it stands after it (`moved`: this
     * update changed it), or null when no message has that id.
     */
    async applyStatus(botId: string, update: StatusRecord): Promise<AppliedStatus | null> {
      const status: MessageStatus = update.status === 'played' ? MessageStatus.read : update.status;
      const first = update.errors[0];
      const failed = status === MessageStatus.failed;
      type Applied = {
        id: string;
        conversation_id: string;
        status: string;
        error_code: number | null;
        error_title: string | null;
        moved: boolean;
      };
      const apply = () =>
        one<Applied>('worker_apply_status', APPLY_STATUS, [
          botId,
          update.messageId,
          status,
          below(status),
          new Date(update.timestamp * 1000),
          failed ? (first?.code ?? null) : null,
          failed ? (first?.title ?? 'failed') : null,
          failed ? (first?.details ?? first?.message ?? null) : null,
        ]);
      let row = await apply();
      const partId = update.bizOpaqueCallbackData;
      if (row === undefined && partId && isUuid(partId)) {
        // A part whose send was accepted but not recorded (a crash): its wamid, learnt here.
        const learnt = await one<{ id: string }>('worker_learn_wamid', LEARN_WAMID, [botId, partId, update.messageId]);
        if (learnt) row = await apply();
      }
      if (row !== undefined && failed && update.errors.some((e) => e.code === 131047)) {
        await one('worker_mark_window_closed_by_wamid', MARK_WINDOW_CLOSED_BY_WAMID, [botId, update.messageId]);
      }
      if (!row) return null;
      return {
        id: row.id,
        conversationId: row.conversation_id,
        status: statusSchema.parse(row.status),
        errorCode: row.error_code,
        errorTitle: row.error_title,
        moved: row.moved,
      };
    },

    /** The outbound message a send-template job is about, with its conversation. */
    findOutbound(id: string): Promise<(MessageModel & { conversation: ConversationModel }) | null> {
      return db.message.findUnique({ where: { id }, include: { conversation: true } });
    },
  };
}

export type MessageRepository = ReturnType<typeof createMessageRepository>;
