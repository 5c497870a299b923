import type { DatabaseOrTransaction } from './create-database-client.js';
import type { InboundMediaModel } from './generated/prisma/models.js';

/** What the webhook said about an inbound message's file, before it is fetched. */
export interface InboundAttachment {
  kind: string;
  mediaId: string | null;
  mimeType: string | null;
  filename: string | null;
  caption: string | null;
  voice: boolean | null;
}

/** A file fetched, checked and stored. */
export interface StoredFile {
  mimeType: string;
  fileSize: number;
  sha256: string;
  storeKey: string;
}

/** What the understanding steps made of a file (each field: set when known). */
export interface Understanding {
  transcript?: string | null;
  description?: string | null;
  error?: string | null;
}

const clip = (text: string | null, max = 2000) => (text === null ? null : text.slice(0, max));

/** Inbound media (`inbound_media`): one row per inbound media message, keyed by the message. */
export function createInboundMediaRepository(db: DatabaseOrTransaction) {
  return {
    /** The row of `messageId`, created `pending` from the webhook's attachment if there is none yet. */
    async ensure(messageId: string, botId: string, attachment: InboundAttachment): Promise<InboundMediaModel> {
      return db.inboundMedia.upsert({
        where: { messageId },
        create: {
          messageId,
          botId,
          kind: attachment.kind,
          mediaId: attachment.mediaId,
          mimeType: attachment.mimeType,
          filename: attachment.filename,
          caption: attachment.caption,
          voice: attachment.voice,
        },
        update: {},
      });
    },

    find(messageId: string): Promise<InboundMediaModel | null> {
      return db.inboundMedia.findUnique({ where: { messageId } });
    },

    /** The media of a message of a live bot in one of the member's workspaces; null otherwise (tenancy). */
    findForMember(messageId: string, userId: string): Promise<InboundMediaModel | null> {
      return db.inboundMedia.findFirst({
        where: { messageId, bot: { deletedAt: null, workspace: { memberships: { some: { userId } } } } },
      });
    },

    /** The rows of these messages, by message id (the admin's message lists). */
    async findMany(messageIds: readonly string[]): Promise<Map<string, InboundMediaModel>> {
      if (messageIds.length === 0) return new Map();
      const rows = await db.inboundMedia.findMany({ where: { messageId: { in: [...messageIds] } } });
      return new Map(rows.map((row) => [row.messageId, row]));
    },

    async recordStored(messageId: string, file: StoredFile): Promise<InboundMediaModel> {
      return db.inboundMedia.update({
        where: { messageId },
        data: { ...file, status: 'stored', error: null, fetchedAt: new Date() },
      });
    },

    /** The fetch failed for good: the engine gets the placeholder, the reason shows on the message. */
    async recordFailed(messageId: string, error: string): Promise<InboundMediaModel> {
      return db.inboundMedia.update({ where: { messageId }, data: { status: 'failed', error: clip(error) } });
    },

    async recordUnderstanding(messageId: string, understanding: Understanding): Promise<InboundMediaModel> {
      return db.inboundMedia.update({
        where: { messageId },
        data: {
          ...(understanding.transcript !== undefined ? { transcript: clip(understanding.transcript, 20_000) } : {}),
          ...(understanding.description !== undefined ? { description: clip(understanding.description, 20_000) } : {}),
          ...(understanding.error !== undefined ? { understandingError: clip(understanding.error) } : {}),
        },
      });
    },

    /**
     * A voice note's transcript, and the message's text with it (`[Voice message] <transcript>`),
     * so later turns' history reads what was said.
     */
    async recordTranscript(messageId: string, transcript: string, text: string): Promise<InboundMediaModel> {
      return db.inboundMedia.update({
        where: { messageId },
        data: { transcript: clip(transcript, 20_000), message: { update: { text } } },
      });
    },

    /** Bots that have stored files not yet removed, with their settings (retention is per bot). */
    async botsWithStoredMedia(): Promise<{ id: string; settings: unknown }[]> {
      return db.bot.findMany({
        where: { inboundMedia: { some: { storeKey: { not: null }, deletedAt: null } } },
        select: { id: true, settings: true },
      });
    },

    /** Up to `limit` stored files of the bot fetched before `before` (oldest first). */
    storedBefore(
      botId: string,
      before: Date,
      limit: number,
    ): Promise<{ messageId: string; storeKey: string | null }[]> {
      return db.inboundMedia.findMany({
        where: { botId, storeKey: { not: null }, deletedAt: null, fetchedAt: { lt: before } },
        orderBy: { fetchedAt: 'asc' },
        take: limit,
        select: { messageId: true, storeKey: true },
      });
    },

    /** The files are gone from the store: the rows keep their metadata, with `deleted_at`. */
    async markDeleted(messageIds: readonly string[]): Promise<void> {
      if (messageIds.length === 0) return;
      await db.inboundMedia.updateMany({
        where: { messageId: { in: [...messageIds] } },
        data: { storeKey: null, deletedAt: new Date() },
      });
    },
  };
}

export type InboundMediaRepository = ReturnType<typeof createInboundMediaRepository>;
