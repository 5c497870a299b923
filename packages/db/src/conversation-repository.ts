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

/** A conversation's messages newest first; a reply's parts (one created_at) by part index. */
const MESSAGE_ORDER = Prisma.sql`created_at DESC, coalesce(part_index, -1) DESC, id DESC`;
/** An operator's text message, stored as a pending outbound message before it is queued. */
export interface NewOperatorMessage {
  botId: string;
  conversationId: string;
  text: string;
  /** The caller's user id. */
  userId: string;
}

/** LLM token totals of a bot or a conversation: engine turns that reported usage and their tokens. */
export interface UsageTotals {
  turns: number;
  input_tokens: number;
  output_tokens: number;
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

    /** Conversations of live bots a person holds with nobody assigned: how many, and the oldest handoff time. */
    async waitingHandoffs(): Promise<{ count: number; oldest: Date | null }> {
      const result = await db.conversation.aggregate({
        where: { control: 'human', assignee: null, bot: { deletedAt: null } },
        _count: { _all: true },
        _min: { handedOffAt: true },
      });
      return { count: result._count._all, oldest: result._min.handedOffAt };
    },

    /** Messages by id, in one query (the live event stream renders `message.created` with them). */
    async findMessagesByIds(ids: string[]): Promise<Map<string, MessageModel>> {
      if (ids.length === 0) return new Map();
      const messages = await db.message.findMany({ where: { id: { in: ids } } });
      return new Map(messages.map((m) => [m.id, m]));
    },

    /** The conversation by id (tenancy already checked by the caller). */
    findById(id: string): Promise<ConversationModel | null> {
      return db.conversation.findUnique({ where: { id } });
    },

    /** One page of a bot's conversations, most recently active first. */
    listByBot(botId: string, page: KeysetPage): Promise<ConversationModel[]> {
      const args = keysetArgs('lastMessageAt', page);
      return db.conversation.findMany({ where: { botId, ...args.where }, orderBy: args.orderBy, take: args.take });
    },

    /**
     * The newest message of each conversation (a reply's last part), in one query (DISTINCT ON
     * uses the (conversation_id, created_at) index).
     */
    async lastMessagesOf(conversationIds: string[]): Promise<Map<string, MessageModel>> {
      if (conversationIds.length === 0) return new Map();
      const ids = await db.$queryRaw<{ id: string }[]>(Prisma.sql`
        SELECT DISTINCT ON (conversation_id) id::text AS id FROM messages
        WHERE conversation_id = ANY(${conversationIds}::uuid[])
        ORDER BY conversation_id, ${MESSAGE_ORDER}`);
      const messages = await db.message.findMany({ where: { id: { in: ids.map((row) => row.id) } } });
      return new Map(messages.map((m) => [m.conversationId, m]));
    },

    /**
     * Token totals per bot or per conversation, in one query. A turn's usage is stored on each of
     * its outbound parts (messages.usage), so a turn counts once: its part 0.
     */
    async usageTotalsOf(by: 'bot' | 'conversation', ids: string[]): Promise<Map<string, UsageTotals>> {
      if (ids.length === 0) return new Map();
      const filter =
        by === 'bot' ? Prisma.sql`bot_id = ANY(${ids}::text[])` : Prisma.sql`conversation_id = ANY(${ids}::uuid[])`;
      const key = by === 'bot' ? Prisma.sql`bot_id` : Prisma.sql`conversation_id::text`;
      const rows = await db.$queryRaw<(UsageTotals & { key: string })[]>(Prisma.sql`
        SELECT ${key} AS key, count(*)::int AS turns,
          coalesce(sum((usage->>'input_tokens')::bigint), 0)::float8 AS input_tokens,
          coalesce(sum((usage->>'output_tokens')::bigint), 0)::float8 AS output_tokens
        FROM messages
        WHERE ${filter} AND direction = 'outbound' AND part_index = 0 AND usage IS NOT NULL
        GROUP BY 1`);
      return new Map(
        rows.map((row) => [
          row.key,
          { turns: row.turns, input_tokens: row.input_tokens, output_tokens: row.output_tokens },
        ]),
      );
    },

    /**
     * One page of a conversation's messages, both directions, newest first; the parts of one reply
     * (stored in one statement, so one created_at) by part index, last first. `page.after.part`
     * is the part index of the cursor's message (-1 for other messages).
     */
    async listMessages(conversationId: string, page: KeysetPage): Promise<MessageModel[]> {
      const { after } = page;
      const where = after
        ? Prisma.sql`AND (created_at, coalesce(part_index, -1), id) < (${after.at}, ${after.part ?? -1}::int, ${after.id}::uuid)`
        : Prisma.empty;
      const ids = await db.$queryRaw<{ id: string }[]>(Prisma.sql`
        SELECT id::text AS id FROM messages WHERE conversation_id = ${conversationId}::uuid ${where}
        ORDER BY ${MESSAGE_ORDER} LIMIT ${page.take}`);
      const found = new Map(
        (await db.message.findMany({ where: { id: { in: ids.map((row) => row.id) } } })).map((m) => [m.id, m]),
      );
      return ids.flatMap((row) => found.get(row.id) ?? []);
    },

    /** The conversations named by bot + user key (how a drain job names its conversation). */
    findByUserKeys(
      keys: { botId: string; userKey: string }[],
    ): Promise<Pick<ConversationModel, 'id' | 'botId' | 'userKey'>[]> {
      if (keys.length === 0) return Promise.resolve([]);
      return db.conversation.findMany({ where: { OR: keys }, select: { id: true, botId: true, userKey: true } });
    },

    /** Each conversation's oldest inbound message not answered yet (received or processing): conversation id → message id. */
    async oldestUnansweredInbound(conversationIds: string[]): Promise<Map<string, string>> {
      if (conversationIds.length === 0) return new Map();
      const rows = await db.message.findMany({
        where: {
          conversationId: { in: conversationIds },
          direction: 'inbound',
          status: { in: ['received', 'processing'] },
        },
        orderBy: { createdAt: 'asc' },
        distinct: ['conversationId'],
        select: { id: true, conversationId: true },
      });
      return new Map(rows.map((m) => [m.conversationId, m.id]));
    },

    /** A template send recorded `failed` (never accepted by Meta) is `pending` again, for a retried job. */
    async reopenFailedTemplateSend(messageId: string, botId: string): Promise<void> {
      await db.message.updateMany({
        where: { id: messageId, botId, type: 'template', status: 'failed', metaMessageId: null },
        data: {
          status: 'pending',
          errorCode: null,
          errorTitle: null,
          errorDetails: null,
          failedAt: null,
          retryingSince: null,
        },
      });
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

    /**
     * Hands the conversation to a person: control `human`, the reason, the assignee when given,
     * and when the bot takes it back on its own (`resumeAt`, null: only by the API). The handoff
     * time is kept when it was a person's already.
     */
    async handOff(
      id: string,
      handoff: { reason: string | null; assignee?: string | null | undefined; resumeAt: Date | null },
    ): Promise<ConversationModel> {
      const current = await db.conversation.findUniqueOrThrow({ where: { id } });
      return db.conversation.update({
        where: { id },
        data: {
          control: 'human',
          handoffReason: handoff.reason ?? current.handoffReason,
          ...(current.control === 'bot' ? { handedOffAt: new Date(), handoffSummary: null } : {}),
          ...(handoff.assignee !== undefined ? { assignee: handoff.assignee } : {}),
          resumeAt: handoff.resumeAt,
        },
      });
    },

    /** Gives the conversation back to the bot (it answers the next message); no resume is pending after. */
    resume(id: string): Promise<ConversationModel> {
      return db.conversation.update({ where: { id }, data: { control: 'bot', resumeAt: null } });
    },

    /**
     * Reply parts of the conversation claimed for their Graph send (sending_at) and not recorded
     * yet: the ones a handoff cannot stop any more.
     */
    countInFlightParts(conversationId: string): Promise<number> {
      return db.message.count({
        where: { conversationId, status: 'pending', replyToId: { not: null }, sendingAt: { not: null } },
      });
    },

    /**
     * Stores an operator's message as a pending outbound text (author operator, the caller's user
     * id) and records the conversation's last operator message time.
     */
    async createOperatorMessage(message: NewOperatorMessage): Promise<MessageModel> {
      const created = await db.message.create({
        data: {
          botId: message.botId,
          conversationId: message.conversationId,
          direction: 'outbound',
          type: 'text',
          text: message.text,
          status: 'pending',
          author: 'operator',
          authorUserId: message.userId,
        },
      });
      await db.conversation.update({
        where: { id: message.conversationId },
        data: { lastOperatorMessageAt: created.createdAt, lastMessageAt: created.createdAt },
      });
      return created;
    },

    /** Marks a stored outbound message (a template send, an operator message) failed because it could not be queued. */
    async markEnqueueFailed(messageId: string, details: string): Promise<void> {
      await db.message.update({
        where: { id: messageId },
        data: { status: 'failed', failedAt: new Date(), errorTitle: 'enqueue_failed', errorDetails: details },
      });
    },
  };
}

export type ConversationRepository = ReturnType<typeof createConversationRepository>;
