import { createHash } from 'node:crypto';
import type { RedisClient } from '@wabot/queue';

export interface RedisScript {
  /** Runs the script (EVALSHA, falling back to EVAL when Redis does not know it yet). */
  run(redis: RedisClient, keys: string[], args: (string | number)[]): Promise<unknown>;
}

/** A Lua script loaded lazily by its SHA-1, so each call sends only the hash. */
export function createRedisScript(lua: string): RedisScript {
  const sha = createHash('sha1').update(lua).digest('hex');
  return {
    async run(redis, keys, args) {
      try {
        return await redis.evalsha(sha, keys.length, ...keys, ...args);
      } catch (error) {
        if (!(error instanceof Error) || !error.message.includes('NOSCRIPT')) throw error;
        return redis.eval(lua, keys.length, ...keys, ...args);
      }
    },
  };
}
