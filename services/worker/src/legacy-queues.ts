import type { Logger } from '@wabot/logger';
import { logQueueErrors, type RedisClient } from '@wabot/queue';
import { Queue } from 'bullmq';

/**
 * The physical queue names before pipeline v2 (docs/adr/0004-pipeline-v2.md): no worker reads them
 * any more. Jobs left there are webhooks, drains or template sends this version never runs.
 */
const LEGACY_QUEUE_NAMES = ['webhook-events', 'conversations', 'outbound'] as const;

const PENDING_STATES = ['wait', 'active', 'delayed', 'prioritized', 'waiting-children'] as const;

/**
 * Logs a warning for each legacy queue that still holds unfinished jobs (BullMQ's `getJobCounts`,
 * not its keys), so an upgrade that skipped the drain (worker README, *Upgrading*) is visible.
 * Resolves with the pending count per legacy queue that has any; never throws.
 */
export async function warnAboutLegacyQueues(
  connection: RedisClient,
  prefix: string,
  logger: Logger,
): Promise<Record<string, number>> {
  const found: Record<string, number> = {};
  for (const name of LEGACY_QUEUE_NAMES) {
    const queue = new Queue(name, { connection, prefix });
    logQueueErrors(queue, connection, logger);
    try {
      const counts = await queue.getJobCounts(...PENDING_STATES);
      const pending = Object.values(counts).reduce((sum, n) => sum + n, 0);
      if (pending > 0) {
        found[name] = pending;
        logger.warn(
          { queue: name, prefix, counts },
          `legacy queue ${name} still holds ${pending} unfinished job(s) that no worker of this version runs: ` +
            'drain it with the previous version (stop the ingress, let the old workers finish) — see the worker README, Upgrading',
        );
      }
    } catch (err) {
      logger.warn({ err, queue: name }, 'could not check the legacy queue for leftover jobs');
    } finally {
      await queue.close().catch(() => {});
    }
  }
  return found;
}
