import { parseBotSettings } from '@wabot/bot-registry';
import type { WorkerDeps } from '../worker-deps.js';

const DAY_MS = 24 * 3600 * 1000;
/** Files removed per statement round: a long backlog is worked through in batches. */
const BATCH = 200;

/**
 * Queue outbound, job media-retention (scheduled every MEDIA_RETENTION_INTERVAL_MS): removes from
 * MEDIA_STORE the inbound files each bot keeps no longer (`settings.media_retention_days` after
 * their fetch; null keeps them). The rows keep their metadata, with `deleted_at`. A file the
 * store fails to delete stays for the next run; deleting a missing file is no error, so a run
 * cut short and repeated removes nothing twice.
 */
export async function handleMediaRetention(
  deps: Pick<WorkerDeps, 'media' | 'logger' | 'metrics'>,
  now = new Date(),
): Promise<{ removed: number; failed: number }> {
  const { repo, store } = deps.media;
  let removed = 0;
  let failed = 0;
  for (const bot of await repo.botsWithStoredMedia()) {
    const days = parseBotSettings(bot.settings).media_retention_days;
    if (days === null) continue;
    const before = new Date(now.getTime() - days * DAY_MS);
    for (;;) {
      const rows = await repo.storedBefore(bot.id, before, BATCH);
      const deleted: string[] = [];
      for (const row of rows) {
        if (row.storeKey === null) continue;
        try {
          await store.delete(row.storeKey);
          deleted.push(row.messageId);
        } catch (err) {
          failed++;
          deps.logger.warn(
            { err, botId: bot.id, messageId: row.messageId },
            'retention: could not remove a media file',
          );
        }
      }
      await repo.markDeleted(deleted);
      removed += deleted.length;
      if (rows.length < BATCH || deleted.length < rows.length) break;
    }
  }
  if (removed > 0) deps.metrics.media.inc({ kind: 'any', outcome: 'removed_by_retention' }, removed);
  if (removed > 0 || failed > 0) deps.logger.info({ removed, failed }, 'media retention: old files removed');
  return { removed, failed };
}
