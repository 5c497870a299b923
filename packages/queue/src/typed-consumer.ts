import {
  cappedExponentialDelay,
  describeIssues,
  type JobData,
  type JobName,
  physicalQueueName,
  type QueueName,
  queueDefinitions,
  type SingleQueueName,
  safeParseJobData,
} from '@wabot/contracts';
import { type Job, type JobsOptions, UnrecoverableError, Worker, type WorkerOptions } from 'bullmq';
import type { RedisClient } from './redis-connection.js';

/**
 * Handles one job of a contract's job name: `data` is the job's payload already parsed by the
 * contract's zod schema, `job` the BullMQ job (its `data` is the raw payload, not to be re-read),
 * `token` the job's lock token (for `moveToDelayed` / `moveToWait`).
 */
export type JobHandler<Data> = (data: Data, job: Job<unknown>, token: string | undefined) => Promise<unknown>;

/** One handler per job name of logical queue `Q`, each typed by its job's schema. */
export type ConsumerHandlers<Q extends QueueName> = {
  readonly [J in JobName<Q>]: JobHandler<JobData<Q, J>>;
};

/**
 * Nothing when every key of `H` is a job name of `Q`; otherwise a required option naming the
 * strays, so a handler for a job name the contract does not have fails to compile (also when the
 * handlers object was declared before the call, where no excess-property check reaches). The
 * handlers parameter stays a plain `H` so its functions are typed from the contract.
 */
type OnlyContractJobNames<Q extends QueueName, H> = [Exclude<keyof H, JobName<Q>>] extends [never]
  ? unknown
  : { readonly handlersForJobNamesNotInTheContract: Exclude<keyof H, JobName<Q>> };

/** The BullMQ Worker settings a consumer passes through (connection and prefix are its own). */
export type ConsumerWorkerOptions = Pick<
  WorkerOptions,
  'concurrency' | 'stalledInterval' | 'lockDuration' | 'maxStalledCount'
>;

export interface ConsumerOptions extends ConsumerWorkerOptions {
  /** A connection with maxRetriesPerRequest: null (BullMQ duplicates it for blocking calls). */
  connection: RedisClient;
  prefix: string;
}

export interface Consumer<Q extends QueueName> {
  /** The logical queue (the contract's key). */
  readonly name: Q;
  /** The BullMQ Worker on the physical queue (`worker.name`, e.g. `{webhooks-3}`); attach listeners here. */
  readonly worker: Worker;
  /** Stops taking jobs and waits for the ones in flight. */
  close(): Promise<void>;
}

const isJobName = <Q extends QueueName>(queue: Q, name: string): name is JobName<Q> =>
  Object.hasOwn(queueDefinitions[queue].jobs, name);

/**
 * A BullMQ Worker for one logical queue of `@wabot/contracts` that must handle every job name of
 * it: `handlers` has exactly the contract's job names as keys (a missing or an extra one does not
 * compile), each typed by its job's zod schema. Each job's data is parsed by that schema once,
 * before its handler runs; a malformed job, or a job name the contract does not know (a producer
 * of a newer version), fails at once with an {@link UnrecoverableError} naming the queue, the job
 * name and the issues. Handler errors pass through unchanged. The sharded `webhook-events` needs
 * its shard: one consumer per physical queue `{webhooks-<shard>}`.
 */
export function createConsumer<H extends ConsumerHandlers<'webhook-events'>>(
  name: 'webhook-events',
  handlers: H,
  options: ConsumerOptions & { shard: number } & OnlyContractJobNames<'webhook-events', H>,
): Consumer<'webhook-events'>;
export function createConsumer<Q extends SingleQueueName, H extends ConsumerHandlers<Q>>(
  name: Q,
  handlers: H,
  options: ConsumerOptions & OnlyContractJobNames<Q, H>,
): Consumer<Q>;
export function createConsumer<Q extends QueueName>(
  name: Q,
  handlers: ConsumerHandlers<Q>,
  options: ConsumerOptions & { shard?: number },
): Consumer<Q> {
  const { connection, prefix, shard, ...workerOptions } = options;
  const physical = physicalQueueOf(name, shard);
  const run = async <J extends JobName<Q>>(jobName: J, job: Job<unknown>, token: string | undefined) => {
    const parsed = safeParseJobData(name, jobName, job.data);
    if (!parsed.success) {
      throw new UnrecoverableError(`malformed ${name}/${jobName} job: ${describeIssues(parsed.error)}`);
    }
    const handler: JobHandler<JobData<Q, J>> = handlers[jobName];
    return handler(parsed.data, job, token);
  };
  const worker = new Worker(
    physical,
    async (job: Job<unknown>, token?: string) => {
      const jobName = job.name;
      if (!isJobName(name, jobName)) {
        throw new UnrecoverableError(`queue ${name} has no handler for job name "${jobName}"`);
      }
      return run(jobName, job, token);
    },
    { ...workerOptions, connection, prefix, autorun: true, settings: { backoffStrategy } },
  );
  return { name, worker, close: () => worker.close() };
}

/** The contract's custom back-off (`capped-exponential`), from the job's own `backoff.delay`. */
const backoffStrategy = (attemptsMade: number, _type?: string, _error?: Error, job?: { opts: JobsOptions }) => {
  const backoff = job?.opts.backoff;
  const baseMs = typeof backoff === 'number' ? backoff : (backoff?.delay ?? 1000);
  return cappedExponentialDelay(attemptsMade, baseMs);
};

function physicalQueueOf(name: QueueName, shard: number | undefined): string {
  if (name === 'webhook-events') {
    if (shard === undefined) throw new RangeError('createConsumer: webhook-events is sharded, pass the shard');
    return physicalQueueName(name, shard);
  }
  return physicalQueueName(name);
}
