import { setTimeout as sleep } from 'node:timers/promises';
import { createCaptureStream, createLogger } from '@wabot/logger';
import { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { createRedisConnection } from './redis-connection.js';
import { logQueueErrors } from './redis-error-log.js';

describe('Redis connection errors', () => {
  it('are logged once while Redis stays unreachable, for the connection and the queues on it together', async () => {
    const out = createCaptureStream();
    const logger = createLogger({ name: 'errors', destination: out });
    // Nothing listens on port 1: every reconnect attempt fails.
    const redis = createRedisConnection('redis://127.0.0.1:1', 'client', { retryStrategy: () => 50 }, logger);
    const queue = new Queue('errors-test', { connection: redis });
    logQueueErrors(queue, redis, logger);
    try {
      await sleep(600);
      const warnings = out.entries().filter((e) => e.level === 'warn');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({ connection: 'redis wabot-client' });
      expect(JSON.stringify(warnings[0])).toContain('ECONNREFUSED');
    } finally {
      await queue.close().catch(() => {});
      redis.disconnect();
    }
  });
});
