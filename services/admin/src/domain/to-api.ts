import { parseBotSettings } from '@wabot/bot-registry';
import type { AuditLogModel, BotModel, ConversationModel, MessageModel } from '@wabot/db';
import { actionPartMetadataSchema, toWebhookUrl } from '@wabot/whatsapp';
import type { z } from 'zod';
import type { botSchema } from '../schemas/bot.js';
import { iso, isoOrNull } from '../schemas/common.js';
import type { conversationSchema, messageSchema } from '../schemas/conversation.js';
import type { auditEntrySchema } from '../schemas/workspace.js';
import { toWindowState } from './window-state.js';

const secretState = (cipher: string | null, hint: string | null) => ({
  set: cipher !== null,
  hint: cipher ? hint : null,
});

/** A bot as the API shows it: credentials reduced to "set" and a masked hint, never the value. */
export function toBotResponse(bot: BotModel, webhookBaseUrl: string): z.output<typeof botSchema> {
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
    credentials_status: bot.credentialsStatus,
    credentials: {
      status: bot.credentialsStatus,
      error: bot.credentialsError,
      error_code: bot.credentialsErrorCode,
      checked_at: isoOrNull(bot.credentialsCheckedAt),
    },
    webhook_url: toWebhookUrl(webhookBaseUrl, bot.id),
    version: bot.version,
    created_at: iso(bot.createdAt),
    updated_at: iso(bot.updatedAt),
  };
}

export function toMessageResponse(message: MessageModel): z.output<typeof messageSchema> {
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
    attempts: message.attempts,
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
  };
}

export function toConversationResponse(
  conversation: ConversationModel,
  lastMessage: MessageModel | undefined,
  now = Date.now(),
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
    window: toWindowState(conversation.lastInboundAt, now),
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
