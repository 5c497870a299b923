import type { LiveEvent } from '@wabot/contracts';
import type { BotModel, ConversationModel } from '@wabot/db';

type EventBot = Pick<BotModel, 'id' | 'workspaceId'>;

/** `conversation.control` for a conversation as committed, changed by `by` (the caller's user id). */
export const controlEvent = (bot: EventBot, conversation: ConversationModel, by: string): LiveEvent => ({
  type: 'conversation.control',
  workspace_id: bot.workspaceId,
  bot_id: bot.id,
  conversation_id: conversation.id,
  control: conversation.control,
  assignee: conversation.assignee,
  handoff_reason: conversation.handoffReason,
  resume_at: conversation.resumeAt ? conversation.resumeAt.toISOString() : null,
  by,
});

/** `message.created` for a message an operator stored (a text, a template send). */
export const messageCreatedEvent = (bot: EventBot, message: { id: string; conversationId: string }): LiveEvent => ({
  type: 'message.created',
  workspace_id: bot.workspaceId,
  bot_id: bot.id,
  conversation_id: message.conversationId,
  message_id: message.id,
});
