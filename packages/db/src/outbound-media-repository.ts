import type { DatabaseOrTransaction } from './create-database-client.js';
import type { OutboundMediaModel } from './generated/prisma/models.js';

/** Operators' uploaded files (`outbound_media`): what the worker needs to upload them to Meta once. */
export function createOutboundMediaRepository(db: DatabaseOrTransaction) {
  return {
    /** The uploaded file of an outbound message, or null. */
    findByMessage(messageId: string): Promise<OutboundMediaModel | null> {
      return db.outboundMedia.findUnique({ where: { messageId } });
    },

    /** Records Meta's media id for the file, so a retried send reuses it instead of uploading again. */
    async recordUploaded(id: string, metaMediaId: string): Promise<void> {
      await db.outboundMedia.update({ where: { id }, data: { metaMediaId, uploadedAt: new Date() } });
    },
  };
}

export type OutboundMediaRepository = ReturnType<typeof createOutboundMediaRepository>;
