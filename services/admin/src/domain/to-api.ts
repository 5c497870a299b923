import { parseBotSettings } from '@wabot/bot-registry';
import type {
  AuditLogModel,
  BotModel,
  BotToolModel,
  ConversationModel,
  InboundMediaModel,
  MessageModel,
  ToolCallModel,
  UsageTotals,
} from '@wabot/db';
import { actionPartMetadataSchema, toWebhookUrl } from '@wabot/whatsapp';
import { z } from 'zod';
import type { botSchema } from '../schemas/bot.js';
import { iso, isoOrNull, type lastErrorSchema } from '../schemas/common.js';
import {
  type conversationSchema,
  type messageMediaSchema,
  type messageSchema,
  messageUsageSchema,
} from '../schemas/conversation.js';
import type { toolCallSchema, toolSchema } from '../schemas/tool.js';
import type { auditEntrySchema } from '../schemas/workspace.js';
import { parseStoredToolHeaders } from './tool-headers.js';
import { webhookUrlWarnings } from './webhook-url-warnings.js';
import { toWindowState } from './window-state.js';

/** Totals of a bot or conversation whose turns reported no usage yet. */
const NO_USAGE: UsageTotals = { turns: 0, input_tokens: 0, output_tokens: 0 };

const secretState = (cipher: string | null, hint: string | null) => ({
  set: cipher !== null,
  hint: cipher ? hint : null,
});

/** A bot as the API shows it: credentials reduced to "set" and a masked hint, never the value. */
export function toBotResponse(
  bot: BotModel,
  webhookBaseUrl: string,
  usageTotals: UsageTotals = NO_USAGE,
): z.output<typeof botSchema> {
  const webhookUrl = toWebhookUrl(webhookBaseUrl, bot.id);
  return {
    id: bot.id,
    workspace_id: bot.workspaceId,
    name: bot.name,
    platform: bot.platform,
    system_prompt: bot.systemPrompt,
    status: bot.status,
    phone_number_id: bot.phoneNumberId,
    business_account_id: bot.businessAccountId,
    platform_config: {
      phone_number_id: bot.phoneNumberId,
      business_account_id: bot.businessAccountId,
      access_token: secretState(bot.accessTokenCipher, bot.accessTokenHint),
      verify_token: secretState(bot.verifyTokenCipher, bot.verifyTokenHint),
      app_secret: secretState(bot.appSecretCipher, bot.appSecretHint),
    },
    settings: parseBotSettings(bot.settings),
    llm_api_key: secretState(bot.llmApiKeyCipher, bot.llmApiKeyHint),
    usage_totals: usageTotals,
    credentials_status: bot.credentialsStatus,
    credentials: {
      status: bot.credentialsStatus,
      error: bot.credentialsError,
      error_code: bot.credentialsErrorCode,
      checked_at: isoOrNull(bot.credentialsCheckedAt),
    },
    health: toBotHealth(bot),
    webhook_url: webhookUrl,
    webhook_url_warnings: webhookUrlWarnings(webhookUrl),
    version: bot.version,
    created_at: iso(bot.createdAt),
    updated_at: iso(bot.updatedAt),
  };
}

const storedErrorSchema = z.object({
  code: z.number().int().nullable().catch(null),
  title: z.string(),
  at: z.coerce.date(),
});

/** A stored `last_error` JSON (`{code?, title, at}`) as the API shows it; null when absent or unreadable. */
function toLastError(value: unknown): z.output<typeof lastErrorSchema> | null {
  const parsed = storedErrorSchema.safeParse(value);
  if (!parsed.success || Number.isNaN(parsed.data.at.getTime())) return null;
  return { code: parsed.data.code, title: parsed.data.title, at: iso(parsed.data.at) };
}

const HEALTH_LABELS = { llm: 'LLM', graph: 'Graph' } as const;

/** The bot's LLM / Graph API health and credentials, with what is wrong now in words. */
function toBotHealth(bot: BotModel): z.output<typeof botSchema>['health'] {
  const call = (kind: 'llm' | 'graph') => {
    const status = kind === 'llm' ? bot.llmStatus : bot.graphStatus;
    return {
      status: status ?? ('unknown' as const),
      last_error: toLastError(kind === 'llm' ? bot.llmError : bot.graphError),
      at: isoOrNull(kind === 'llm' ? bot.llmStatusAt : bot.graphStatusAt),
    };
  };
  const llm = call('llm');
  const graph = call('graph');
  const alerts: string[] = [];
  for (const [kind, health] of [
    ['llm', llm],
    ['graph', graph],
  ] as const) {
    if (health.status === 'ok' || health.status === 'unknown') continue;
    const what = health.status === 'unreachable' ? 'unreachable' : 'failing';
    const since = health.at ? ` (last seen ${health.at})` : '';
    alerts.push(`${HEALTH_LABELS[kind]} ${what}${since}${health.last_error ? `: ${health.last_error.title}` : ''}`);
  }
  if (bot.credentialsStatus === 'invalid') {
    alerts.push(`Credentials rejected by Meta${bot.credentialsError ? `: ${bot.credentialsError}` : ''}`);
  }
  return { llm, graph, credentials: bot.credentialsStatus, alerts };
}

const storedUsageSchema = messageUsageSchema.unwrap();

/** messages.usage as the API shows it; null when absent (or written in a shape this version does not read). */
function toMessageUsage(value: unknown): z.output<typeof messageUsageSchema> {
  const parsed = storedUsageSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** An inbound message's media row as the API shows it, with the URL of the file while it is stored. */
function toMessageMedia(media: InboundMediaModel | null | undefined): z.output<typeof messageMediaSchema> {
  if (!media) return null;
  const stored = media.status === 'stored' && media.storeKey !== null;
  return {
    kind: media.kind,
    media_id: media.mediaId,
    mime_type: media.mimeType,
    file_size: media.fileSize,
    sha256: media.sha256,
    filename: media.filename,
    caption: media.caption,
    voice: media.voice,
    fetch_status: media.deletedAt ? 'deleted' : media.status,
    error: media.error,
    transcript: media.transcript,
    description: media.description,
    understanding_error: media.understandingError,
    fetched_at: isoOrNull(media.fetchedAt),
    deleted_at: isoOrNull(media.deletedAt),
    url: stored ? `/api/messages/${media.messageId}/media` : null,
  };
}

/** A message as the API shows it; `media` is its inbound_media row, when it has one. */
export function toMessageResponse(
  message: MessageModel,
  media?: InboundMediaModel | null,
): z.output<typeof messageSchema> {
  return {
    id: message.id,
    conversation_id: message.conversationId,
    bot_id: message.botId,
    direction: message.direction,
    type: message.type,
    text: message.text,
    metadata: message.metadata,
    action:
      message.direction === 'outbound'
        ? (actionPartMetadataSchema.safeParse(message.metadata).data?.action ?? null)
        : null,
    status: message.status,
    error_code: message.errorCode,
    error_title: message.errorTitle,
    error_details: message.errorDetails,
    meta_message_id: message.metaMessageId,
    reply_to_id: message.replyToId,
    part_index: message.partIndex,
    part_count: message.partCount,
    usage: toMessageUsage(message.usage),
    media: toMessageMedia(media),
    attempts: message.attempts,
    last_error: toLastError(message.lastError),
    author: message.author ?? (message.direction === 'inbound' ? 'user' : message.replyToId ? 'bot' : 'operator'),
    author_user_id: message.authorUserId,
    created_at: iso(message.createdAt),
    updated_at: iso(message.updatedAt),
    meta_timestamp: isoOrNull(message.metaTimestamp),
    sent_at: isoOrNull(message.sentAt),
    delivered_at: isoOrNull(message.deliveredAt),
    read_at: isoOrNull(message.readAt),
    failed_at: isoOrNull(message.failedAt),
    handled_at: isoOrNull(message.handledAt),
    imported_at: isoOrNull(message.importedAt),
    edited_at: isoOrNull(message.editedAt),
    revoked_at: isoOrNull(message.revokedAt),
  };
}

export function toConversationResponse(
  conversation: ConversationModel,
  lastMessage: MessageModel | undefined,
  now = Date.now(),
  usageTotals: UsageTotals = NO_USAGE,
): z.output<typeof conversationSchema> {
  return {
    id: conversation.id,
    bot_id: conversation.botId,
    user_key: conversation.userKey,
    wa_id: conversation.waId,
    user_id: conversation.userId,
    profile_name: conversation.profileName,
    last_inbound_at: isoOrNull(conversation.lastInboundAt),
    last_message_at: iso(conversation.lastMessageAt),
    created_at: iso(conversation.createdAt),
    control: conversation.control,
    handoff_reason: conversation.handoffReason,
    handoff_summary: conversation.handoffSummary,
    handed_off_at: isoOrNull(conversation.handedOffAt),
    assignee: conversation.assignee,
    resume_at: isoOrNull(conversation.resumeAt),
    last_operator_message_at: isoOrNull(conversation.lastOperatorMessageAt),
    window: toWindowState(conversation.lastInboundAt, now, conversation.windowClosedAt),
    usage_totals: usageTotals,
    last_message: lastMessage
      ? {
          id: lastMessage.id,
          direction: lastMessage.direction,
          type: lastMessage.type,
          text: lastMessage.text,
          status: lastMessage.status,
          error_code: lastMessage.errorCode,
          created_at: iso(lastMessage.createdAt),
        }
      : null,
  };
}

export function toAuditEntryResponse(entry: AuditLogModel): z.output<typeof auditEntrySchema> {
  return {
    id: entry.id,
    workspace_id: entry.workspaceId,
    actor: entry.actor,
    action: entry.action,
    bot_id: entry.botId,
    details: entry.details,
    created_at: iso(entry.createdAt),
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** An HTTP tool as the API shows it: each header reduced to "set" and a masked hint, never its value. */
export function toToolResponse(tool: BotToolModel): z.output<typeof toolSchema> {
  const headers = parseStoredToolHeaders(tool.headers);
  return {
    id: tool.id,
    bot_id: tool.botId,
    name: tool.name,
    description: tool.description,
    parameters: isRecord(tool.parameters) ? tool.parameters : {},
    url: tool.url,
    method: tool.method,
    headers: Object.fromEntries(Object.entries(headers).map(([name, { hint }]) => [name, { set: true, hint }])),
    timeout_ms: tool.timeoutMs,
    max_response_bytes: tool.maxResponseBytes,
    created_at: iso(tool.createdAt),
    updated_at: iso(tool.updatedAt),
  };
}

export function toToolCallResponse(call: ToolCallModel): z.output<typeof toolCallSchema> {
  return {
    id: call.id,
    bot_id: call.botId,
    turn_id: call.turnId,
    tool_id: call.toolId,
    tool: call.toolName,
    arguments_bytes: call.argumentsBytes,
    status: call.status,
    http_status: call.httpStatus,
    duration_ms: call.durationMs,
    error: call.error,
    at: iso(call.createdAt),
  };
}
