import type { RedisClient } from '@wabot/queue';
import type { Queue } from 'bullmq';

/** Jobs of one bot waiting for its credentials: `<prefix>:held-credentials:<botId>` (a set of job ids). */
const heldKey = (prefix: string, botId: string) => `${prefix}:held-credentials:${botId}`;
const HELD_TTL_SECONDS = 7 * 24 * 3600;

/** Remembers that `jobId` waits for `botId`'s credentials to be fixed (see {@link releaseHeldForCredentials}). */
export async function rememberHeldForCredentials(
  redis: RedisClient,
  prefix: string,
  botId: string,
  jobId: string,
): Promise<void> {
  const key = heldKey(prefix, botId);
  await redis.multi().sadd(key, jobId).expire(key, HELD_TTL_SECONDS).exec();
}

/**
 * Moves the jobs held for `botId`'s credentials back to waiting at once, so replacing an expired
 * token resumes its conversations in seconds instead of at their next re-check. A job another worker
 * already promoted (or that ran meanwhile) is skipped. Returns how many were promoted.
 */
export async function releaseHeldForCredentials(
  redis: RedisClient,
  prefix: string,
  queue: Queue,
  botId: string,
): Promise<number> {
  const key = heldKey(prefix, botId);
  const ids = await redis.smembers(key);
  if (ids.length === 0) return 0;
  await redis.srem(key, ...ids);
  let promoted = 0;
  for (const id of ids) {
    const job = await queue.getJob(id);
    if (!job || !(await job.isDelayed())) continue;
    try {
      await job.promote();
      promoted++;
    } catch {
      // Promoted by another worker between the check and here: nothing to do.
    }
  }
  return promoted;
}
