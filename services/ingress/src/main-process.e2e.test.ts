import { runServiceToExit, startServiceProcess, useTestDatabase, useTestRedis } from '@wabot/testing';
import { describe, expect, it } from 'vitest';

const database = useTestDatabase();
const redis = useTestRedis();

describe('ingress process: WEBHOOK_SHARDS', () => {
  it('records its shard count in Redis, and a second ingress with another count refuses to start', async () => {
    const env = {
      DATABASE_URL: database.current.url,
      REDIS_URL: redis.current.url,
      REDIS_PREFIX: redis.current.prefix,
    };
    const first = await startServiceProcess('ingress', { ...env, WEBHOOK_SHARDS: '4' });
    try {
      expect(await redis.current.redis.get(`${redis.current.prefix}:{meta}:webhook-shards`)).toBe('4');
      const other = await runServiceToExit('ingress', { ...env, WEBHOOK_SHARDS: '16' }, { timeoutMs: 15_000 });
      expect(other.code).toBe(1);
      expect(other.output).toMatch(/WEBHOOK_SHARDS is 16 here but 4 for this deployment/);
    } finally {
      expect((await first.stop()).code).toBe(0);
    }
  }, 30_000);
});
