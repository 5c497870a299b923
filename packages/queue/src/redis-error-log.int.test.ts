import { setTimeout as sleep } from 'node:timers/promises';
import { createCaptureStream, createLogger } from '@wabot/logger';
import { Queue, Worker } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { createRedisConnection } from './redis-connection.js';
import { isConnectionError, logQueueErrors, workerErrorListener } from './redis-error-log.js';

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

  it('a worker logs connection errors once per outage, and every other error each time', async () => {
    const out = createCaptureStream();
    const logger = createLogger({ name: 'errors', destination: out });
    const redis = createRedisConnection('redis://127.0.0.1:1', 'worker', { retryStrategy: () => 50 }, logger);
    const worker = new Worker('errors-worker-test', async () => {}, { connection: redis, autorun: false });
    const others: Error[] = [];
    worker.on(
      'error',
      workerErrorListener(redis, logger, (error) => others.push(error)),
    );
    try {
      await sleep(600);
      const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
      for (let i = 0; i < 5; i++) worker.emit('error', refused);
      worker.emit('error', new Error('Missing lock for job 7. moveToFinished'));
      worker.emit('error', new Error('Missing lock for job 8. moveToFinished'));
      expect(out.entries().filter((e) => e.level === 'warn')).toHaveLength(1);
      expect(others.map((e) => e.message)).toEqual([
        'Missing lock for job 7. moveToFinished',
        'Missing lock for job 8. moveToFinished',
      ]);
    } finally {
      await worker.close(true).catch(() => {});
      redis.disconnect();
    }
  });

  it('tells connection errors from command errors', () => {
    expect(isConnectionError(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isConnectionError(new Error('Connection is closed.'))).toBe(true);
    expect(isConnectionError(new Error('ERR unknown command'))).toBe(false);
    expect(isConnectionError('ECONNREFUSED')).toBe(false);
  });
});
