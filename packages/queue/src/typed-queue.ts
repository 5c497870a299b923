import { type JobData, type JobName, parseJobData, type QueueName, queueDefinitions } from '@wabot/contracts';
import { type JobsOptions, Queue } from 'bullmq';
import type { Redis } from 'ioredis';

export interface TypedProducer<Q extends QueueName> {
  readonly queue: Queue;
  /** Validates `data` against the job's schema, then adds it; resolves once Redis confirmed the write. */
  add<J extends JobName<Q>>(job: J, data: JobData<Q, J>, options?: JobsOptions): Promise<{ id: string }>;
  close(): Promise<void>;
}

/** A producer for one queue of the contract, sharing the caller's Redis connection. */
export function createProducer<Q extends QueueName>(name: Q, connection: Redis, prefix: string): TypedProducer<Q> {
  const queue = new Queue(name, {
    connection,
    prefix,
    defaultJobOptions: { ...queueDefinitions[name].defaultJobOptions },
  });
  queue.on('error', () => {});
  return {
    queue,
    async add(job, data, options) {
      const parsed = parseJobData(name, job, data);
      const added = await queue.add(job, parsed, options);
      if (!added.id) throw new Error(`queue ${name}: Redis returned no job id`);
      return { id: added.id };
    },
    close: () => queue.close(),
  };
}
