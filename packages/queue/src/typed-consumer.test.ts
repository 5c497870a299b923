import type { DrainConversationJob, MetaWebhookBatchJob, MetaWebhookJob, SendTemplateJob } from '@wabot/contracts';
import type { Job } from 'bullmq';
import { describe, expectTypeOf, it } from 'vitest';
import { type ConsumerHandlers, type ConsumerOptions, createConsumer, type JobHandler } from './typed-consumer.js';

// Type-level: `pnpm typecheck` compiles this file, so every `@ts-expect-error` below must be an
// error (an unused one is itself an error). The calls sit in a function that never runs.
declare const options: ConsumerOptions;
const done = async () => {};

function compileOnly() {
  // Every job name of the queue, each handler typed by its job's schema.
  createConsumer(
    'conversations',
    {
      'drain-conversation': async (data, job, token) => {
        expectTypeOf(data).toEqualTypeOf<DrainConversationJob>();
        expectTypeOf(job).toEqualTypeOf<Job<unknown>>();
        expectTypeOf(token).toEqualTypeOf<string | undefined>();
      },
    },
    options,
  );
  createConsumer(
    'webhook-events',
    {
      'meta-webhook': async (data) => expectTypeOf(data).toEqualTypeOf<MetaWebhookJob>(),
      'meta-webhook-batch': async (data) => expectTypeOf(data).toEqualTypeOf<MetaWebhookBatchJob>(),
    },
    { ...options, shard: 0 },
  );

  // A job name without a handler.
  // @ts-expect-error: 'meta-webhook-batch' has no handler
  createConsumer('webhook-events', { 'meta-webhook': done }, { ...options, shard: 0 });
  // @ts-expect-error: 'send-template' has no handler
  createConsumer('outbound', {}, options);

  // A handler for a job name the queue does not have, written in the call …
  // @ts-expect-error: 'send-template' is not a job of conversations
  createConsumer('conversations', { 'drain-conversation': done, 'send-template': done }, options);
  // … or declared before it (no excess-property check reaches there).
  const withStray = { 'drain-conversation': done, 'drain-conversations': done };
  // @ts-expect-error: 'drain-conversations' is not a job of conversations
  createConsumer('conversations', withStray, options);

  // A handler typed for another job's data.
  const sendTemplate: JobHandler<SendTemplateJob> = done;
  // @ts-expect-error: drain-conversation data is not send-template data
  createConsumer('conversations', { 'drain-conversation': sendTemplate }, options);

  // The sharded queue needs its shard; the others have none.
  const webhookHandlers: ConsumerHandlers<'webhook-events'> = { 'meta-webhook': done, 'meta-webhook-batch': done };
  // @ts-expect-error: webhook-events is sharded
  createConsumer('webhook-events', webhookHandlers, options);
  // @ts-expect-error: conversations is not sharded
  createConsumer('conversations', { 'drain-conversation': done }, { ...options, shard: 0 });
}

describe('createConsumer (types)', () => {
  it('derives the handlers from the contract: exhaustive, no strays, typed data', () => {
    expectTypeOf(compileOnly).toBeFunction();
    expectTypeOf<keyof ConsumerHandlers<'webhook-events'>>().toEqualTypeOf<'meta-webhook' | 'meta-webhook-batch'>();
    expectTypeOf<ConsumerHandlers<'outbound'>['send-template']>().toEqualTypeOf<JobHandler<SendTemplateJob>>();
  });
});
