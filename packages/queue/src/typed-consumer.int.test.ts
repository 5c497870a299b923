import { randomUUID } from 'node:crypto';
import type { SendTemplateJob } from '@wabot/contracts';
import { eventually, useTestRedis } from '@wabot/testing';
import { type Job, Queue, UnrecoverableError } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisConnection, type RedisClient, redisTargetOf } from './redis-connection.js';
import { type Consumer, createConsumer } from './typed-consumer.js';
import { createProducer } from './typed-queue.js';

const redis = useTestRedis();

const closers: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

function connect(): RedisClient {
  const connection = createRedisConnection(redisTargetOf({ REDIS_URL: redis.current.url }), 'worker');
  closers.push(() => connection.disconnect());
  return connection;
}

/** A consumer of `outbound` under its own prefix, with the failures it saw. */
function startOutbound(handled: { data: SendTemplateJob; job: Job<unknown> }[]) {
  const connection = connect();
  const prefix = `${redis.current.prefix}:${randomUUID()}`;
  const failures: { name: string | undefined; attemptsMade: number | undefined; error: Error }[] = [];
  const consumer: Consumer<'outbound'> = createConsumer(
    'outbound',
    {
      'send-template': async (data, job) => {
        handled.push({ data, job });
      },
      'send-message': async () => {},
      'resume-conversation': async () => {},
      'media-retention': async () => {},
    },
    { connection, prefix, concurrency: 1 },
  );
  consumer.worker.on('failed', (job, error) =>
    failures.push({ name: job?.name, attemptsMade: job?.attemptsMade, error }),
  );
  consumer.worker.on('error', () => {});
  // Raw adds (no producer-side validation), as an older or buggy producer would write them.
  const queue = new Queue(consumer.worker.name, { connection, prefix });
  queue.on('error', () => {});
  closers.push(
    () => queue.close(),
    () => consumer.close(),
  );
  return { consumer, queue, failures, prefix, connection };
}

const template = {
  botId: 'bt_1',
  conversationId: randomUUID(),
  messageId: randomUUID(),
  template: { name: 'hello_world', language: 'en_US' },
};

describe('createConsumer', () => {
  it('consumes the physical queue and hands the handler the data parsed by the contract', async () => {
    const handled: { data: SendTemplateJob; job: Job<unknown> }[] = [];
    const { consumer, prefix, connection } = startOutbound(handled);
    expect(consumer.name).toBe('outbound');
    expect(consumer.worker.name).toBe('{outbound}');
    const producer = createProducer('outbound', connection, prefix);
    closers.push(() => producer.close());
    const queue = new Queue('{outbound}', { connection, prefix });
    queue.on('error', () => {});
    closers.push(() => queue.close());
    // The schema's default (parameters: []) is in the handler's data, not in the raw job.
    await queue.add('send-template', template);
    await eventually(() => handled.length === 1, 5_000, 'the job handled');
    expect(handled[0]?.data.template.parameters).toEqual([]);
    expect(handled[0]?.job.data).toEqual(template);
  });

  it('fails a malformed job, and a job name the contract lacks, at once and for good', async () => {
    const handled: { data: SendTemplateJob; job: Job<unknown> }[] = [];
    const { queue, failures } = startOutbound(handled);
    await queue.add('send-template', { ...template, conversationId: 'not-a-uuid' }, { attempts: 5 });
    await queue.add('send-templates', template, { attempts: 5 });
    await eventually(() => failures.length === 2, 5_000, 'both jobs failed');
    expect(handled).toEqual([]);
    const [malformed, unknown] = failures;
    expect(malformed?.error).toBeInstanceOf(UnrecoverableError);
    expect(malformed?.error.message).toMatch(/^malformed outbound\/send-template job: conversationId: /);
    expect(unknown?.error).toBeInstanceOf(UnrecoverableError);
    expect(unknown?.error.message).toBe('queue outbound has no handler for job name "send-templates"');
    // One attempt each of the five: BullMQ does not retry an UnrecoverableError.
    expect(failures.map((failure) => failure.attemptsMade)).toEqual([1, 1]);
    expect(await queue.getFailedCount()).toBe(2);
  });

  it('consumes one shard of webhook-events', async () => {
    const connection = connect();
    const prefix = `${redis.current.prefix}:${randomUUID()}`;
    const seen: string[] = [];
    const consumer = createConsumer(
      'webhook-events',
      {
        'meta-webhook': async (data) => {
          seen.push(data.requestId);
        },
        'meta-webhook-batch': async ({ events }) => {
          seen.push(...events.map((event) => event.requestId));
        },
      },
      { connection, prefix, shard: 3, concurrency: 1 },
    );
    consumer.worker.on('error', () => {});
    const producer = createProducer('webhook-events', connection, prefix, 3);
    closers.push(
      () => producer.close(),
      () => consumer.close(),
    );
    expect(consumer.worker.name).toBe('{webhooks-3}');
    const event = { botId: 'bt_1', rawBody: '{}', receivedAt: Date.now(), requestId: 'r1' };
    await producer.add('meta-webhook', event);
    await producer.add('meta-webhook-batch', {
      events: [
        { ...event, requestId: 'r2' },
        { ...event, requestId: 'r3' },
      ],
    });
    await eventually(() => seen.length === 3, 5_000, 'every event');
    expect(seen).toEqual(['r1', 'r2', 'r3']);
  });
});
