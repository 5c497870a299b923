import type { DatabaseOrTransaction, JsonInput } from './create-database-client.js';
import { Prisma } from './generated/prisma/client.js';
import type { ConversationModel, MessageModel } from './generated/prisma/models.js';
import { type KeysetPage, keysetArgs } from './keyset-page.js';

/** An operator's template send, stored as a pending outbound message before it is queued. */
export interface NewTemplateSend {
  botId: string;
  conversationId: string;
  text: string;
  metadata: JsonInput;
}

const ofMember = (userId: string) =>
  ({
    bot: { deletedAt: null, workspace: { memberships: { some: { userId } } } },
  }) satisfies Prisma.ConversationWhereInput;

/**
 * Conversations and their messages as the admin API reads them (lists, last messages) and its
 * template sends. The worker's delivery pipeline is the message repository.
 */
export function createConversationRepository(db: DatabaseOrTransaction) {
  return {
    /** The conversation if its bot is live and in one of `userId`'s workspaces, else null. */
    findForMember(id: string, userId: string): Promise<ConversationModel | null> {
      return db.conversation.findFirst({ where: { id, ...ofMember(userId) } });
    },

    /** One page of a bot's conversations, most recently active first. */
    listByBot(botId: string, page: KeysetPage): Promise<ConversationModel[]> {
      const args = keysetArgs('lastMessageAt', page);
      return db.conversation.findMany({ where: { botId, ...args.where }, orderBy: args.orderBy, take: args.take });
    },

    /** The newest message of each conversation, in one query (DISTINCT ON uses the (conversation_id, created_at) index). */
    async lastMessagesOf(conversationIds: string[]): Promise<Map<string, MessageModel>> {
      if (conversationIds.length === 0) return new Map();
      const ids = await db.$queryRaw<{ id: string }[]>(Prisma.sql`
        SELECT DISTINCT ON (conversation_id) id::text AS id FROM messages
        WHERE conversation_id = ANY(${conversationIds}::uuid[])
        ORDER BY conversation_id, created_at DESC, id DESC`);
      const messages = await db.message.findMany({ where: { id: { in: ids.map((row) => row.id) } } });
      return new Map(messages.map((m) => [m.conversationId, m]));
    },

    /** One page of a conversation's messages, both directions, newest first. */
    listMessages(conversationId: string, page: KeysetPage): Promise<MessageModel[]> {
      const args = keysetArgs('createdAt', page);
      return db.message.findMany({ where: { conversationId, ...args.where }, orderBy: args.orderBy, take: args.take });
    },

    /** Stores a template send as a pending outbound `template` message. */
    createTemplateSend(send: NewTemplateSend): Promise<MessageModel> {
      return db.message.create({
        data: {
          botId: send.botId,
          conversationId: send.conversationId,
          direction: 'outbound',
          type: 'template',
          text: send.text,
          metadata: send.metadata,
          status: 'pending',
        },
      });
    },

    /** Marks a stored template send failed because it could not be queued. */
    async markEnqueueFailed(messageId: string, details: string): Promise<void> {
      await db.message.update({
        where: { id: messageId },
        data: { status: 'failed', failedAt: new Date(), errorTitle: 'enqueue_failed', errorDetails: details },
      });
    },
  };
}

export type ConversationRepository = ReturnType<typeof createConversationRepository>;
