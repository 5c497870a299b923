import { execFileSync } from 'node:child_process';
import { startServiceProcess, useTestDatabase, useTestRedis } from '@wabot/testing';
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
});
