import { startStack } from '@wabot/stack';
import { useTestDatabase, useTestRedis } from '@wabot/testing';
import { describe, expect, it } from 'vitest';

const database = useTestDatabase();
const redis = useTestRedis();

describe('ingress process: WEBHOOK_SHARDS', () => {
  it('records its shard count in Redis, and a second ingress with another count refuses to start', async () => {
    const env = {
      DATABASE_URL: database.current.url,
      REDIS_URL: redis.current.url,
      REDIS_PREFIX: redis.current.prefix,
      LOG_LEVEL: 'warn',
    };
    const first = await startStack({ services: ['ingress'], env: { ...env, WEBHOOK_SHARDS: '4' } });
    try {
      expect(await redis.current.redis.get(`${redis.current.prefix}:{meta}:webhook-shards`)).toBe('4');
      const other = await startStack({
        services: ['ingress'],
        env: { ...env, WEBHOOK_SHARDS: '16' },
        waitForReady: false,
      });
      try {
        const refused = other.get('ingress');
        expect((await refused.exited).code).toBe(1);
        expect(refused.output()).toMatch(/WEBHOOK_SHARDS is 16 here but 4 for this deployment/);
      } finally {
        await other.stop();
      }
    } finally {
      expect((await first.stop()).ingress?.code).toBe(0);
    }
  }, 30_000);
});
