import { type Database, type MessageModel as Message, MessageStatus, type Prisma } from '@wabot/db';
import type { InboundMessage, StatusUpdate } from '@wabot/whatsapp';
import type { EngineTurn } from '../engine/bot-engine.js';

export interface RecordedInbound {
  conversationId: string;
  /** Where replies go: the phone number when known, else the business-scoped user id. */
  recipient: string;
  /** The latest inbound time of the conversation (Meta's send time), this message included. */
  lastInboundAt: Date;
  message: Message;
}

/** One planned part of a reply: a text chunk, a template, or a part already known to fail. */
export type PlannedPart =
  | { type: 'text'; text: string }
  | { type: 'template'; template: { name: string; language: string; parameters: string[] } }
  | { type: 'text'; text: string; failed: { code: number | null; title: string; details: string } };

/** A failure recorded on an outbound message (Meta's code and title, or our own reason). */
export interface DeliveryFailure {
  code: number | null;
  title: string;
  details?: string | null;
}

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

const toJson = (value: Record<string, unknown>): Prisma.InputJsonObject => JSON.parse(JSON.stringify(value));

/**
 * PostgreSQL access of the worker: conversations, inbound messages (unique per bot + wamid, the
 * durable idempotency key), reply plans and delivery status.
 */
export function createMessageStore(db: Database) {
  return {
    /**
     * Upserts the conversation and inserts the inbound message once (a redelivered message finds
     * its earlier row, whose status tells whether it was handled).
     */
    async recordInbound(botId: string, inbound: InboundMessage): Promise<RecordedInbound> {
      const sentAt = new Date(inbound.timestamp * 1000);
      const conversation = await db.conversation.upsert({
        where: { botId_userKey: { botId, userKey: inbound.userKey } },
        create: {
          botId,
          userKey: inbound.userKey,
          waId: inbound.waId,
          userId: inbound.userId,
          profileName: inbound.profileName,
          lastInboundAt: sentAt,
        },
        update: {
          ...(inbound.waId ? { waId: inbound.waId } : {}),
          ...(inbound.userId ? { userId: inbound.userId } : {}),
          ...(inbound.profileName ? { profileName: inbound.profileName } : {}),
          lastMessageAt: new Date(),
        },
      });
      let lastInboundAt = conversation.lastInboundAt ?? sentAt;
      if (lastInboundAt < sentAt) {
        await db.conversation.updateMany({
          where: { id: conversation.id, OR: [{ lastInboundAt: null }, { lastInboundAt: { lt: sentAt } }] },
          data: { lastInboundAt: sentAt },
        });
        lastInboundAt = sentAt;
      }
      await db.message.createMany({
        data: [
          {
            botId,
            conversationId: conversation.id,
            direction: 'inbound',
            metaMessageId: inbound.messageId,
            type: inbound.type,
            text: inbound.text,
            metadata: toJson(inbound.metadata),
            status: MessageStatus.received,
            metaTimestamp: sentAt,
          },
        ],
        skipDuplicates: true,
      });
      const message = await db.message.findUniqueOrThrow({
        where: { botId_metaMessageId: { botId, metaMessageId: inbound.messageId } },
      });
      const recipient = conversation.waId ?? inbound.waId ?? conversation.userId ?? inbound.userId ?? inbound.userKey;
      return { conversationId: conversation.id, recipient, lastInboundAt, message };
    },

    /** The conversation's turns before `message`, oldest first, bounded by count and characters. */
    async history(message: Message, turns: number, chars: number): Promise<EngineTurn[]> {
      if (turns <= 0 || chars <= 0) return [];
      const rows = await db.message.findMany({
        where: {
          conversationId: message.conversationId,
          id: { not: message.id },
          createdAt: { lte: message.createdAt },
          OR: [
            { direction: 'inbound' },
            { direction: 'outbound', type: 'text', status: { in: ['sent', 'delivered', 'read'] } },
          ],
        },
        orderBy: [{ createdAt: 'desc' }, { partIndex: 'desc' }],
        take: turns,
        select: { direction: true, text: true },
      });
      const picked: EngineTurn[] = [];
      let total = 0;
      for (const row of rows) {
        if (!row.text) continue;
        total += row.text.length;
        if (total > chars) break;
        picked.push({ role: row.direction === 'inbound' ? 'user' : 'assistant', content: row.text });
      }
      return picked.reverse();
    },

    /** The stored reply plan of an inbound message (outbound parts in order); empty if none yet. */
    replyPlan(inboundId: string): Promise<Message[]> {
      return db.message.findMany({ where: { replyToId: inboundId }, orderBy: { partIndex: 'asc' } });
    },

    /**
     * Stores the reply plan in one statement; a plan stored by an earlier attempt wins (the
     * unique reply_to_id + part_index makes a second insert a no-op), so a reply is never
     * regenerated after a crash.
     */
    async createReplyPlan(inbound: Message, parts: PlannedPart[]): Promise<Message[]> {
      await db.message.createMany({
        data: parts.map((part, partIndex) => ({
          botId: inbound.botId,
          conversationId: inbound.conversationId,
          direction: 'outbound' as const,
          type: part.type,
          text: part.type === 'text' ? part.text : `[Template: ${part.template.name}]`,
          metadata: part.type === 'template' ? toJson({ template: part.template }) : {},
          status: 'failed' in part ? MessageStatus.failed : MessageStatus.pending,
          ...('failed' in part
            ? {
                errorCode: part.failed.code,
                errorTitle: part.failed.title,
                errorDetails: part.failed.details,
                failedAt: new Date(),
              }
            : {}),
          replyToId: inbound.id,
          partIndex,
          partCount: parts.length,
        })),
        skipDuplicates: true,
      });
      return this.replyPlan(inbound.id);
    },

    /** Records Meta's wamid for an accepted part, moving it from pending to sent in one statement. */
    async markSent(id: string, metaMessageId: string): Promise<void> {
      const accepted = { metaMessageId, sentAt: new Date(), attempts: { increment: 1 } };
      const moved = await db.message.updateMany({
        where: { id, status: MessageStatus.pending },
        data: { ...accepted, status: MessageStatus.sent },
      });
      if (moved.count === 0) await db.message.update({ where: { id }, data: accepted });
    },

    async markFailed(id: string, failure: DeliveryFailure): Promise<void> {
      await db.message.update({
        where: { id },
        data: {
          status: MessageStatus.failed,
          errorCode: failure.code,
          errorTitle: failure.title,
          errorDetails: failure.details ?? null,
          failedAt: new Date(),
          attempts: { increment: 1 },
        },
      });
    },

    /** Parts after a failed one are not sent: the reply would make no sense with a gap. */
    async markRestSkipped(inboundId: string, afterPart: number, reason: string): Promise<void> {
      await db.message.updateMany({
        where: { replyToId: inboundId, partIndex: { gt: afterPart }, status: MessageStatus.pending },
        data: {
          status: MessageStatus.failed,
          errorTitle: 'not_sent',
          errorDetails: reason,
          failedAt: new Date(),
        },
      });
    },

    async countAttempt(id: string): Promise<void> {
      await db.message.update({ where: { id }, data: { attempts: { increment: 1 } } });
    },

    async markHandled(id: string): Promise<void> {
      await db.message.update({ where: { id }, data: { status: MessageStatus.handled, handledAt: new Date() } });
    },

    /**
     * Applies a status webhook to the outbound message with that wamid. Never moves a message
     * backwards; an unknown id is ignored. Returns whether a message with that id exists.
     */
    async applyStatus(botId: string, update: StatusUpdate): Promise<boolean> {
      const where = { botId, metaMessageId: update.messageId, direction: 'outbound' as const };
      const at = new Date(update.timestamp * 1000);
      const status: MessageStatus = update.status === 'played' ? MessageStatus.read : update.status;
      const first = update.errors[0];
      const moved = await db.message.updateMany({
        where: { ...where, status: { in: below(status) } },
        data: {
          status,
          ...(status === MessageStatus.failed
            ? {
                errorCode: first?.code ?? null,
                errorTitle: first?.title ?? 'failed',
                errorDetails: first?.details ?? first?.message ?? null,
                failedAt: at,
              }
            : {}),
        },
      });
      if (status === MessageStatus.sent) {
        await db.message.updateMany({ where: { ...where, sentAt: null }, data: { sentAt: at } });
      } else if (status === MessageStatus.delivered) {
        await db.message.updateMany({ where: { ...where, deliveredAt: null }, data: { deliveredAt: at } });
      } else if (status === MessageStatus.read) {
        await db.message.updateMany({ where: { ...where, readAt: null }, data: { readAt: at } });
      }
      if (moved.count > 0) return true;
      return (await db.message.count({ where })) > 0;
    },

    /**
     * Flags the bot's credentials as invalid unless the bot changed since `version` (its token may
     * have been replaced meanwhile). Returns the new version, or null when nothing was flagged.
     */
    async flagCredentialsInvalid(
      botId: string,
      version: number,
      failure: { code: number; message: string },
    ): Promise<number | null> {
      const result = await db.bot.updateMany({
        where: { id: botId, version, credentialsStatus: { not: 'invalid' } },
        data: {
          credentialsStatus: 'invalid',
          credentialsError: failure.message.slice(0, 1000),
          credentialsErrorCode: failure.code,
          credentialsCheckedAt: new Date(),
          version: { increment: 1 },
        },
      });
      return result.count > 0 ? version + 1 : null;
    },

    /** The outbound message a send-template job is about, with its conversation. */
    findOutbound(id: string) {
      return db.message.findUnique({ where: { id }, include: { conversation: true } });
    },
  };
}

export type MessageStore = ReturnType<typeof createMessageStore>;
