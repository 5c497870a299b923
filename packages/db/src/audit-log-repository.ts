import type { DatabaseOrTransaction, JsonInput } from './create-database-client.js';
import type { AuditLogModel } from './generated/prisma/models.js';
import { type KeysetPage, keysetArgs } from './keyset-page.js';

export interface AuditEntry {
  workspaceId: string;
  actor: string;
  action: string;
  botId?: string | null;
  /** Names and ids only: never a credential or message text. */
  details?: JsonInput;
}

/** The audit log: who changed what in a workspace. */
export function createAuditLogRepository(db: DatabaseOrTransaction) {
  return {
    /** Writes one audit row (inside the transaction of the change it records, when given one). */
    async record(entry: AuditEntry): Promise<void> {
      await db.auditLog.create({
        data: {
          workspaceId: entry.workspaceId,
          actor: entry.actor,
          action: entry.action,
          botId: entry.botId ?? null,
          details: entry.details ?? {},
        },
      });
    },

    /** One page of a workspace's audit log, newest first (`page.take` rows at most). */
    listByWorkspace(workspaceId: string, page: KeysetPage): Promise<AuditLogModel[]> {
      const args = keysetArgs('createdAt', page);
      return db.auditLog.findMany({ where: { workspaceId, ...args.where }, orderBy: args.orderBy, take: args.take });
    },
  };
}

export type AuditLogRepository = ReturnType<typeof createAuditLogRepository>;
