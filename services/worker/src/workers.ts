import type { Logger } from '@wabot/logger';
import { DelayedError, type Job, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { ZodError } from 'zod';
import { ConversationHeld } from './handlers/conversation-held.js';
import { handleDrainConversation } from './handlers/handle-drain-conversation.js';
import { handleMetaWebhook, handleMetaWebhookBatch } from './handlers/handle-meta-webhook.js';
import { handleSendTemplate } from './handlers/handle-send-template.js';
import { rememberHeldForCredentials } from './handlers/held-for-credentials.js';
import type { WorkerDeps } from './worker-deps.js';

export interface WorkerPoolOptions {
  /** A connection with maxRetriesPerRequest: null (BullMQ duplicates it for blocking calls). */
  connection: Redis;
  prefix: string;
  concurrency: number;
  stalledIntervalMs: number;
  lockDurationMs: number;
}

export interface WorkerPool {
  readonly workers: Worker[];
  /** Stops taking jobs and waits for the ones in flight. */
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

/**
 * Starts one BullMQ Worker per queue. Held conversations go to the delayed set without using an
 * attempt; malformed jobs fail at once (UnrecoverableError); failures are logged once, here, and
 * a job out of attempts stays in the failed set (dead letters) with a readable failedReason.
 */
export function startWorkerPool(deps: WorkerDeps, options: WorkerPoolOptions, logger: Logger): WorkerPool {
  const build = <Q extends keyof typeof handlers>(queue: Q, concurrency: number) => {
    const byName: Record<string, Handler> = handlers[queue];
    const worker = new Worker(
      queue,
      async (job: Job, token?: string) => {
        const handler = byName[job.name];
        if (!handler) throw new UnrecoverableError(`queue ${queue} has no handler for job name "${job.name}"`);
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
          if (error instanceof ZodError) {
            throw new UnrecoverableError(
              `malformed ${queue}/${job.name} job: ${error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
            );
          }
          throw error;
        }
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
        { queue, jobId: job?.id, job: job?.name, attemptsMade: job?.attemptsMade, attempts, err: error },
        final ? `job failed for good (dead letter): ${describe(error)}` : `job failed, will retry: ${describe(error)}`,
      );
    });
    worker.on('stalled', (jobId) =>
      logger.warn({ queue, jobId }, 'job stalled (its worker died or blocked); re-queued for another worker'),
    );
    worker.on('error', (error) => logger.error({ queue, err: error }, 'worker error'));
    return worker;
  };
  const workers = [
    build('webhook-events', options.concurrency),
    build('conversations', options.concurrency),
    build('outbound', Math.max(1, Math.ceil(options.concurrency / 4))),
  ];
  return {
    workers,
    async close() {
      await Promise.all(workers.map((worker) => worker.close()));
    },
  };
}
