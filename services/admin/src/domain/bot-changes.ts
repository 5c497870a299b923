import { publishBotChanged } from '@wabot/bot-registry';
import type { Prisma } from '@wabot/db';
import type { AdminDeps } from '../deps.js';

export type Transaction = Prisma.TransactionClient;

export interface AuditEntry {
  workspaceId: string;
  actor: string;
  action: string;
  botId?: string | null;
  /** Names and ids only: never a credential or message text. */
  details?: Prisma.InputJsonValue;
}

/** Writes one audit row inside the transaction of the change it records. */
export async function recordAudit(tx: Transaction, entry: AuditEntry): Promise<void> {
  await tx.auditLog.create({
    data: {
      workspaceId: entry.workspaceId,
      actor: entry.actor,
      action: entry.action,
      botId: entry.botId ?? null,
      details: entry.details ?? {},
    },
  });
}

/**
 * Tells every ingress and worker to drop its cached copy of the bot (call after commit). A lost
 * announcement is not fatal, the caches expire on their own, so a Redis failure is logged, not thrown.
 */
export async function announceBotChange(
  deps: Pick<AdminDeps, 'redis' | 'config' | 'logger'>,
  bot: { id: string; version: number },
): Promise<void> {
  try {
    await publishBotChanged(deps.redis, deps.config.REDIS_PREFIX, { botId: bot.id, version: bot.version });
  } catch (err) {
    deps.logger.error({ err, botId: bot.id }, 'could not announce a bot change; caches will catch up on expiry');
  }
}
