import { Redis, type RedisOptions } from 'ioredis';

export type RedisRole = 'producer' | 'worker' | 'client';

/**
 * Redis connections in one place, per BullMQ's production guide: producers fail fast while Redis
 * is unreachable (no offline queue, one retry) so a webhook is never ACKed for an event not
 * stored; workers and blocking clients wait for Redis to come back. A `/N` database index in the
 * URL is honoured (ioredis parses it).
 */
export function createRedisConnection(redisUrl: string, role: RedisRole, extra: RedisOptions = {}): Redis {
  const base: RedisOptions = {
    connectionName: `wabot-${role}`,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
    lazyConnect: false,
  };
  const byRole: Record<RedisRole, RedisOptions> = {
    producer: { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2_000, commandTimeout: 2_000 },
    worker: { maxRetriesPerRequest: null, enableReadyCheck: true },
    client: { maxRetriesPerRequest: 2, connectTimeout: 2_000 },
  };
  const redis = new Redis(redisUrl, { ...base, ...byRole[role], ...extra });
  // Connection errors surface through readiness checks and failed commands; an unhandled 'error'
  // event would crash the process.
  redis.on('error', () => {});
  return redis;
}

/** True when the connection is ready and Redis answers PING. Never throws (the health route bounds the wait). */
export async function pingRedis(redis: Redis): Promise<boolean> {
  if (redis.status !== 'ready') return false;
  try {
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  }
}
