import { publishBotChanged } from '@wabot/bot-registry';
import type { BotModel, JsonInput, Repositories } from '@wabot/db';
import type { AdminDeps } from '../deps.js';
import { toPhoneNumberConflict } from './phone-number-guard.js';

/** What a bot change needs: the repositories, and Redis under REDIS_PREFIX for the announcement. */
export type BotChangeDeps = Pick<AdminDeps, 'repositories' | 'redis' | 'logger'> & {
  config: Pick<AdminDeps['config'], 'REDIS_PREFIX'>;
};

/**
 * Tells every ingress and worker to drop its cached copy of the bot (call after commit). A lost
 * announcement is not fatal, the caches expire on their own, so a Redis failure is logged, not thrown.
 */
export async function announceBotChange(deps: BotChangeDeps, bot: { id: string; version: number }): Promise<void> {
  try {
    await publishBotChanged(deps.redis, deps.config.REDIS_PREFIX, { botId: bot.id, version: bot.version });
  } catch (err) {
    deps.logger.error({ err, botId: bot.id }, 'could not announce a bot change; caches will catch up on expiry');
  }
}

export interface BotChange {
  /** The user making the change (JWT `sub`). */
  actor: string;
  /** The audit action, e.g. `bot.update`. */
  action: string;
  /** The audit details, from the row as written. Names and ids only: never a credential or message text. */
  details?: (bot: BotModel) => JsonInput;
  /** When set, the unique index on active phone number ids failing becomes the 409 naming this number. */
  phoneNumberId?: string;
}

/**
 * The one way a bot changes: `write` (through the transaction's repositories: `bots.update`
 * bumps `version`, `bots.create` makes the row) and its audit entry commit in one transaction,
 * then the change is announced so ingress and worker caches drop the bot. Nothing is announced
 * when the transaction fails. Resolves with the written row.
 */
export async function changeBot(
  deps: BotChangeDeps,
  change: BotChange,
  write: (tx: Repositories) => Promise<BotModel>,
): Promise<BotModel> {
  let bot: BotModel;
  try {
    bot = await deps.repositories.transaction(async (tx) => {
      const written = await write(tx);
      await tx.auditLog.record({
        workspaceId: written.workspaceId,
        actor: change.actor,
        action: change.action,
        botId: written.id,
        ...(change.details ? { details: change.details(written) } : {}),
      });
      return written;
    });
  } catch (error) {
    throw change.phoneNumberId === undefined ? error : toPhoneNumberConflict(error, change.phoneNumberId);
  }
  await announceBotChange(deps, bot);
  return bot;
}
