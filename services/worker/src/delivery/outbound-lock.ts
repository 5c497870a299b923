import type { RedisClient } from '@wabot/queue';
import { createRedisScript } from '../inbox/redis-script.js';

/**
 * Deletes the lock only while it still holds our token, in one step: a get-then-delete could
 * delete the lock another holder took after ours expired between the two commands.
 */
const RELEASE = createRedisScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`);

/** The lock one outbound message's send holds (operator template sends). */
export const outboundLockKey = (prefix: string, messageId: string) => `${prefix}:outbound-lock:${messageId}`;

export interface OutboundLock {
  /** Takes the lock for `ttlMs`, or keeps it when `token` holds it already (a retried job); false when another holder has it. */
  acquire(messageId: string, token: string, ttlMs: number): Promise<boolean>;
  /** Releases the lock if `token` still holds it; true when it did. */
  release(messageId: string, token: string): Promise<boolean>;
}

/** Per-message send locks in Redis, released with compare-and-delete. */
export function createOutboundLock(redis: RedisClient, prefix: string): OutboundLock {
  return {
    async acquire(messageId, token, ttlMs) {
      const key = outboundLockKey(prefix, messageId);
      if ((await redis.set(key, token, 'PX', ttlMs, 'NX')) === 'OK') return true;
      return (await redis.get(key)) === token;
    },
    async release(messageId, token) {
      return (await RELEASE.run(redis, [outboundLockKey(prefix, messageId)], [token])) === 1;
    },
  };
}
