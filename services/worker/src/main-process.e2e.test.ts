import { execFileSync } from 'node:child_process';
import { startStack } from '@wabot/stack';
import { useTestDatabase, useTestRedis } from '@wabot/testing';
import { describe, expect, it } from 'vitest';

const database = useTestDatabase();
const redis = useTestRedis();

const niceOf = (pid: number) =>
  Number(execFileSync('ps', ['-o', 'ni=', '-p', String(pid)], { encoding: 'utf8' }).trim());

describe('worker process', () => {
  it('lowers its own scheduling priority by WORKER_NICE, and exits 0 on SIGTERM', async () => {
    const stack = await startStack({
      services: ['worker'],
      env: {
        DATABASE_URL: database.current.url,
        REDIS_URL: redis.current.url,
        REDIS_PREFIX: redis.current.prefix,
        LOG_LEVEL: 'warn',
        WORKER_NICE: '7',
      },
    });
    try {
      expect(niceOf(stack.get('worker').pid ?? 0)).toBe(Math.max(7, niceOf(process.pid)));
    } finally {
      expect((await stack.stop()).worker?.code).toBe(0);
    }
  }, 30_000);

  it('refuses to start (exit 1, naming WEBHOOK_SHARDS) when the deployment recorded another shard count', async () => {
    const prefix = `${redis.current.prefix}:shards`;
    await redis.current.redis.set(`${prefix}:{meta}:webhook-shards`, '16');
    const stack = await startStack({
      services: ['worker'],
      env: {
        DATABASE_URL: database.current.url,
        REDIS_URL: redis.current.url,
        REDIS_PREFIX: prefix,
        LOG_LEVEL: 'warn',
        WEBHOOK_SHARDS: '8',
      },
      waitForReady: false,
    });
    try {
      const worker = stack.get('worker');
      expect((await worker.exited).code).toBe(1);
      expect(worker.output()).toMatch(/WEBHOOK_SHARDS is 8 here but 16 for this deployment/);
    } finally {
      await stack.stop();
    }
  }, 30_000);
});
