import { execFileSync } from 'node:child_process';
import { runServiceToExit, startServiceProcess, useTestDatabase, useTestRedis } from '@wabot/testing';
import { describe, expect, it } from 'vitest';

const database = useTestDatabase();
const redis = useTestRedis();

const niceOf = (pid: number) =>
  Number(execFileSync('ps', ['-o', 'ni=', '-p', String(pid)], { encoding: 'utf8' }).trim());

describe('worker process', () => {
  it('lowers its own scheduling priority by WORKER_NICE, and exits 0 on SIGTERM', async () => {
    const worker = await startServiceProcess('worker', {
      DATABASE_URL: database.current.url,
      REDIS_URL: redis.current.url,
      REDIS_PREFIX: redis.current.prefix,
      WORKER_NICE: '7',
    });
    try {
      expect(niceOf(worker.child.pid ?? 0)).toBe(Math.max(7, niceOf(process.pid)));
    } finally {
      expect((await worker.stop()).code).toBe(0);
    }
  }, 30_000);

  it('refuses to start (exit 1, naming WEBHOOK_SHARDS) when the deployment recorded another shard count', async () => {
    const prefix = `${redis.current.prefix}:shards`;
    await redis.current.redis.set(`${prefix}:{meta}:webhook-shards`, '16');
    const run = await runServiceToExit(
      'worker',
      {
        DATABASE_URL: database.current.url,
        REDIS_URL: redis.current.url,
        REDIS_PREFIX: prefix,
        WEBHOOK_SHARDS: '8',
      },
      { timeoutMs: 15_000 },
    );
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/WEBHOOK_SHARDS is 8 here but 16 for this deployment/);
  }, 30_000);
});
