import type { QueueName } from '@wabot/contracts';
import type { Logger } from '@wabot/logger';
import { type Consumer, createConsumer, type JobHandler, type RedisClient, workerErrorListener } from '@wabot/queue';
import { DelayedError, UnrecoverableError, WaitingError, type Worker } from 'bullmq';
import { ZodError } from 'zod';
import { ConversationHeld } from './handlers/conversation-held.js';
import { handleDrainConversation } from './handlers/handle-drain-conversation.js';
import { handleMediaRetention } from './handlers/handle-media-retention.js';
import { handleMetaWebhook, handleMetaWebhookBatch } from './handlers/handle-meta-webhook.js';
import { handleResumeConversation } from './handlers/handle-resume-conversation.js';
import { handleSendMessage } from './handlers/handle-send-message.js';
import { handleSendTemplate } from './handlers/handle-send-template.js';
import { rememberHeldForCredentials } from './handlers/held-for-credentials.js';
import { outageOf } from './outage.js';
import { RetriesStopped, RetryBudgetExhausted, retryInProcess } from './stage1/retry-in-process.js';
import type { WorkerDeps } from './worker-deps.js';

export interface WorkerPoolOptions {
  /** A connection with maxRetriesPerRequest: null (BullMQ duplicates it for blocking calls). */
  connection: RedisClient;
  prefix: string;
  concurrency: number;
  stalledIntervalMs: number;
  lockDurationMs: number;
  /** WEBHOOK_SHARDS: one stage-1 worker per shard queue. */
  webhookShards: number;
  /** In-process retries of a failing stage-1 job (see {@link retryInProcess}). */
  stage1Retry: { budgetMs: number; baseMs: number; capMs: number };
  /** Longest wait before retrying work that failed because a dependency was away (OUTAGE_RETRY_MS; 0: no cap). */
  outageRetryMs: number;
}

export interface WorkerPool {
  readonly workers: Worker[];
  /** Stops taking jobs and waits for the ones in flight (a stage-1 job in back-off goes back to its queue's head). */
  close(): Promise<void>;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

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

  const workerOptions = {
    connection: options.connection,
    prefix: options.prefix,
    stalledInterval: options.stalledIntervalMs,
    lockDuration: options.lockDurationMs,
    maxStalledCount: 3,
  };

  // Metrics and the failed/stalled logging, once per physical queue.
  const observe = <Q extends QueueName>(consumer: Consumer<Q>) => {
    const queue = consumer.name;
    const { worker } = consumer;
    const physical = worker.name;
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
    worker.on(
      'error',
      workerErrorListener(options.connection, logger, (error) =>
        logger.error({ queue: physical, err: error }, 'worker error'),
      ),
    );
    return worker;
  };

  // A held conversation goes to the delayed set without using an attempt.
  const holding =
    <D extends { botId: string }>(queue: 'conversations' | 'outbound', handler: JobHandler<D>): JobHandler<D> =>
    async (data, job, token) => {
      try {
        return await handler(data, job, token);
      } catch (error) {
        if (error instanceof ConversationHeld && token) {
          await job.moveToDelayed(Date.now() + error.delayMs, token);
          if (error.reason === 'credentials_invalid' && job.id) {
            await rememberHeldForCredentials(deps.redis, deps.prefix, data.botId, job.id);
          }
          deps.metrics.jobs.inc({ queue, outcome: 'held' });
          // A turn collecting a burst is routine; the other holds are worth an info line.
          logger[error.reason === 'turn_waiting' ? 'debug' : 'info'](
            { queue, jobId: job.id, delayMs: error.delayMs, reason: error.reason },
            'job held',
          );
          throw new DelayedError();
        }
        // An unreachable dependency: back soon, without using an attempt (the retry budgets bound
        // Graph and LLM failures; nothing else can be done while PostgreSQL is away).
        const outage = error instanceof ConversationHeld ? null : outageOf(error);
        if (outage && token && options.outageRetryMs > 0) {
          await job.moveToDelayed(Date.now() + options.outageRetryMs, token);
          deps.metrics.outageHolds.inc({ dependency: outage });
          deps.metrics.jobs.inc({ queue, outcome: 'held' });
          logger.warn(
            { queue, jobId: job.id, delayMs: options.outageRetryMs, dependency: outage, err: error },
            `${outage} unreachable: job retried in ${options.outageRetryMs} ms`,
          );
          throw new DelayedError();
        }
        throw error;
      }
    };

  // Stage 1 never goes through BullMQ's delayed set: the next job of the shard would overtake.
  const inProcessRetries =
    <D>(shard: number, handler: JobHandler<D>): JobHandler<D> =>
    async (data, job, token) => {
      const label = String(shard);
      try {
        return await retryInProcess(() => handler(data, job, token), {
          ...options.stage1Retry,
          capFor: (error) => (options.outageRetryMs > 0 && outageOf(error) ? options.outageRetryMs : null),
          // The job's data was parsed at the boundary; a ZodError now is a bug no retry mends.
          isPermanent: (error) => error instanceof ZodError || error instanceof UnrecoverableError,
          signal: closing.signal,
          onRetry: ({ attempt, delayMs, error, firstAttemptAt }) => {
            deps.metrics.stage1Retries.inc({ shard: label });
            deps.metrics.stage1RetryingSince.set(label, firstAttemptAt);
            logger.warn(
              {
                queue: job.queueName,
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
          logger.info(
            { queue: job.queueName, shard, jobId: job.id },
            'stage 1: shutting down; job returned to its shard',
          );
          throw new WaitingError();
        }
        if (error instanceof RetryBudgetExhausted || error instanceof RetriesStopped) {
          throw new UnrecoverableError(`stage 1 shard ${shard}: ${error.message}`);
        }
        throw error;
      } finally {
        deps.metrics.stage1RetryingSince.delete(label);
      }
    };

  const workers = [
    // One consumer per shard, one job at a time; the shard queues' global concurrency of 1 makes that fleet-wide.
    ...Array.from({ length: options.webhookShards }, (_, shard) =>
      observe(
        createConsumer(
          'webhook-events',
          {
            'meta-webhook': inProcessRetries(shard, (data, job) => handleMetaWebhook(deps, data, job)),
            'meta-webhook-batch': inProcessRetries(shard, (data, job) => handleMetaWebhookBatch(deps, data, job)),
          },
          { ...workerOptions, shard, concurrency: 1 },
        ),
      ),
    ),
    observe(
      createConsumer(
        'conversations',
        {
          'drain-conversation': holding('conversations', (data, job) => handleDrainConversation(deps, data, job)),
        },
        { ...workerOptions, concurrency: options.concurrency },
      ),
    ),
    observe(
      createConsumer(
        'outbound',
        {
          'send-template': holding('outbound', (data, job) => handleSendTemplate(deps, data, job)),
          'send-message': holding('outbound', (data, job) => handleSendMessage(deps, data, job)),
          'resume-conversation': holding('outbound', (data, job) => handleResumeConversation(deps, data, job)),
          'media-retention': () => handleMediaRetention(deps),
        },
        { ...workerOptions, concurrency: Math.max(1, Math.ceil(options.concurrency / 4)) },
      ),
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
