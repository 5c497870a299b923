import { physicalQueueName, type QueueName, webhookQueueNames } from '@wabot/contracts';
import type { Logger } from '@wabot/logger';
import { DelayedError, type Job, UnrecoverableError, WaitingError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { ZodError } from 'zod';
import { ConversationHeld } from './handlers/conversation-held.js';
import { handleDrainConversation } from './handlers/handle-drain-conversation.js';
import { handleMetaWebhook, handleMetaWebhookBatch } from './handlers/handle-meta-webhook.js';
import { handleSendTemplate } from './handlers/handle-send-template.js';
import { rememberHeldForCredentials } from './handlers/held-for-credentials.js';
import { RetriesStopped, RetryBudgetExhausted, retryInProcess } from './stage1/retry-in-process.js';
import type { WorkerDeps } from './worker-deps.js';

export interface WorkerPoolOptions {
  /** A connection with maxRetriesPerRequest: null (BullMQ duplicates it for blocking calls). */
  connection: Redis;
  prefix: string;
  concurrency: number;
  stalledIntervalMs: number;
  lockDurationMs: number;
  /** WEBHOOK_SHARDS: one stage-1 worker per shard queue. */
  webhookShards: number;
  /** In-process retries of a failing stage-1 job (see {@link retryInProcess}). */
  stage1Retry: { budgetMs: number; baseMs: number; capMs: number };
}

export interface WorkerPool {
  readonly workers: Worker[];
  /** Stops taking jobs and waits for the ones in flight (a stage-1 job in back-off goes back to its queue's head). */
  close(): Promise<void>;
}

type Handler = (deps: WorkerDeps, job: Job) => Promise<unknown>;

// Every queue and job name of the contract this process consumes, with its handler: a job name
// without a handler would be a compile error here.
const handlers: {
  'webhook-events': { 'meta-webhook': Handler; 'meta-webhook-batch': Handler };
  conversations: { 'drain-conversation': Handler };
  outbound: { 'send-template': Handler };
} = {
  'webhook-events': { 'meta-webhook': handleMetaWebhook, 'meta-webhook-batch': handleMetaWebhookBatch },
  conversations: { 'drain-conversation': handleDrainConversation },
  outbound: { 'send-template': handleSendTemplate },
};

const botIdOf = (data: unknown): string | null => {
  if (typeof data !== 'object' || data === null || !('botId' in data)) return null;
  return typeof data.botId === 'string' ? data.botId : null;
};

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const malformed = (queue: QueueName, job: Job, error: ZodError) =>
  new UnrecoverableError(
    `malformed ${queue}/${job.name} job: ${error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
  );

/**
 * Starts the BullMQ Workers: one per stage-1 shard queue (`{webhooks-<n>}`, one job at a time —
 * the shard queues' global concurrency of 1 makes that fleet-wide), plus `{conversations}` and
 * `{outbound}`. A stage-1 job that fails is retried in process, keeping its shard's place, until
 * `stage1Retry.budgetMs`; then it fails for good and the shard moves on. Held conversations go to
 * the delayed set without using an attempt; malformed jobs fail at once (UnrecoverableError);
 * failures are logged once, here, and a job out of attempts stays in the failed set (dead
 * letters) with a readable failedReason.
 */
export function startWorkerPool(deps: WorkerDeps, options: WorkerPoolOptions, logger: Logger): WorkerPool {
  // Aborted at close: a stage-1 job in back-off stops retrying and goes back to its queue's head.
  const closing = new AbortController();

  const build = <Q extends QueueName>(
    queue: Q,
    physical: string,
    concurrency: number,
    run: (job: Job, token: string | undefined, handler: Handler) => Promise<unknown>,
  ) => {
    const byName: Record<string, Handler> = handlers[queue];
    const worker = new Worker(
      physical,
      async (job: Job, token?: string) => {
        const handler = byName[job.name];
        if (!handler) throw new UnrecoverableError(`queue ${queue} has no handler for job name "${job.name}"`);
        return run(job, token, handler);
      },
      {
        connection: options.connection,
        prefix: options.prefix,
        concurrency,
        stalledInterval: options.stalledIntervalMs,
        lockDuration: options.lockDurationMs,
        maxStalledCount: 3,
        autorun: true,
      },
    );
    worker.on('completed', () => deps.metrics.jobs.inc({ queue, outcome: 'completed' }));
    worker.on('failed', (job, error) => {
      deps.metrics.jobs.inc({ queue, outcome: 'failed' });
      const attempts = job?.opts.attempts ?? 1;
      const final = !job || job.attemptsMade >= attempts || error instanceof UnrecoverableError;
      logger[final ? 'error' : 'warn'](
        { queue: physical, jobId: job?.id, job: job?.name, attemptsMade: job?.attemptsMade, attempts, err: error },
        final ? `job failed for good (dead letter): ${describe(error)}` : `job failed, will retry: ${describe(error)}`,
      );
    });
    worker.on('stalled', (jobId) =>
      logger.warn({ queue: physical, jobId }, 'job stalled (its worker died or blocked); re-queued for another worker'),
    );
    worker.on('error', (error) => logger.error({ queue: physical, err: error }, 'worker error'));
    return worker;
  };

  const runDefault =
    (queue: 'conversations' | 'outbound') => async (job: Job, token: string | undefined, handler: Handler) => {
      try {
        return await handler(deps, job);
      } catch (error) {
        if (error instanceof ConversationHeld && token) {
          await job.moveToDelayed(Date.now() + error.delayMs, token);
          const botId = botIdOf(job.data);
          if (error.reason === 'credentials_invalid' && job.id && botId) {
            await rememberHeldForCredentials(deps.redis, deps.prefix, botId, job.id);
          }
          deps.metrics.jobs.inc({ queue, outcome: 'held' });
          // A turn collecting a burst is routine; the other holds are worth an info line.
          logger[error.reason === 'turn_waiting' ? 'debug' : 'info'](
            { queue, jobId: job.id, delayMs: error.delayMs, reason: error.reason },
            'job held',
          );
          throw new DelayedError();
        }
        if (error instanceof ZodError) throw malformed(queue, job, error);
        throw error;
      }
    };

  // Stage 1 never goes through BullMQ's delayed set: the next job of the shard would overtake.
  const runStage1 = (shard: number) => {
    const label = String(shard);
    const physical = physicalQueueName('webhook-events', shard);
    return async (job: Job, token: string | undefined, handler: Handler) => {
      try {
        return await retryInProcess(() => handler(deps, job), {
          ...options.stage1Retry,
          isPermanent: (error) => error instanceof ZodError || error instanceof UnrecoverableError,
          signal: closing.signal,
          onRetry: ({ attempt, delayMs, error, firstAttemptAt }) => {
            deps.metrics.stage1Retries.inc({ shard: label });
            deps.metrics.stage1RetryingSince.set(label, firstAttemptAt);
            logger.warn(
              {
                queue: physical,
                shard,
                jobId: job.id,
                attempt,
                delayMs,
                failingForMs: Date.now() - firstAttemptAt,
                budgetMs: options.stage1Retry.budgetMs,
                err: error,
              },
              `stage 1: job failed, retrying in ${delayMs} ms (shard ${shard} waits for it): ${describe(error)}`,
            );
          },
        });
      } catch (error) {
        if (error instanceof RetriesStopped && token) {
          // Back to the processing end of the queue: the next worker to take this shard runs it first.
          await job.moveToWait(token);
          logger.info({ queue: physical, shard, jobId: job.id }, 'stage 1: shutting down; job returned to its shard');
          throw new WaitingError();
        }
        if (error instanceof ZodError) throw malformed('webhook-events', job, error);
        if (error instanceof RetryBudgetExhausted || error instanceof RetriesStopped) {
          throw new UnrecoverableError(`stage 1 shard ${shard}: ${error.message}`);
        }
        throw error;
      } finally {
        deps.metrics.stage1RetryingSince.delete(label);
      }
    };
  };

  const workers = [
    ...webhookQueueNames(options.webhookShards).map((physical, shard) =>
      build('webhook-events', physical, 1, runStage1(shard)),
    ),
    build('conversations', physicalQueueName('conversations'), options.concurrency, runDefault('conversations')),
    build(
      'outbound',
      physicalQueueName('outbound'),
      Math.max(1, Math.ceil(options.concurrency / 4)),
      runDefault('outbound'),
    ),
  ];
  return {
    workers,
    async close() {
      closing.abort();
      await Promise.all(workers.map((worker) => worker.close()));
    },
  };
}
