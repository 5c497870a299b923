import {
  type JobData,
  type JobName,
  parseJobData,
  physicalQueueName,
  type QueueName,
  queueDefinitions,
  type SingleQueueName,
  webhookShardOf,
} from '@wabot/contracts';
import { type JobsOptions, Queue } from 'bullmq';
import type { Redis } from 'ioredis';

export interface TypedProducer<Q extends QueueName> {
  /** The physical BullMQ queue (its name is the physical one, e.g. `{webhooks-3}`). */
  readonly queue: Queue;
  /** Validates `data` against the job's schema, then adds it; resolves once Redis confirmed the write. */
  add<J extends JobName<Q>>(job: J, data: JobData<Q, J>, options?: JobsOptions): Promise<{ id: string }>;
  close(): Promise<void>;
}

function typedProducer<Q extends QueueName>(name: Q, physical: string, connection: Redis, prefix: string) {
  const queue = new Queue(physical, {
    connection,
    prefix,
    defaultJobOptions: { ...queueDefinitions[name].defaultJobOptions },
  });
  queue.on('error', () => {});
  const producer: TypedProducer<Q> = {
    queue,
    async add(job, data, options) {
      const parsed = parseJobData(name, job, data);
      const added = await queue.add(job, parsed, options);
      if (!added.id) throw new Error(`queue ${physical}: Redis returned no job id`);
      return { id: added.id };
    },
    close: () => queue.close(),
  };
  return producer;
}

/**
 * A producer for one queue of the contract, sharing the caller's Redis connection. The queue is
 * named by its logical name; the physical BullMQ queue is {@link physicalQueueName}'s. The
 * sharded `webhook-events` needs its shard (see {@link createShardedProducer}).
 */
export function createProducer(
  name: 'webhook-events',
  connection: Redis,
  prefix: string,
  shard: number,
): TypedProducer<'webhook-events'>;
export function createProducer<Q extends SingleQueueName>(name: Q, connection: Redis, prefix: string): TypedProducer<Q>;
export function createProducer(
  name: QueueName,
  connection: Redis,
  prefix: string,
  shard?: number,
): TypedProducer<QueueName> {
  if (name === 'webhook-events') {
    if (shard === undefined) throw new RangeError('createProducer: webhook-events is sharded, pass the shard');
    return typedProducer(name, physicalQueueName(name, shard), connection, prefix);
  }
  return typedProducer(name, physicalQueueName(name), connection, prefix);
}

export interface ShardedProducer {
  /** WEBHOOK_SHARDS: how many physical queues there are. */
  readonly shards: number;
  /** Each shard's producer, in shard order (`{webhooks-0}` first). */
  readonly producers: readonly TypedProducer<'webhook-events'>[];
  /** The shard of a bot's webhooks ({@link webhookShardOf}). */
  shardOf(botId: string): number;
  /** The producer of the shard a bot's webhooks go to. */
  forBot(botId: string): TypedProducer<'webhook-events'>;
  close(): Promise<void>;
}

/**
 * Producers for every shard of `webhook-events`, sharing one connection. Every event of a job
 * must belong to bots of the job's shard: the worker applies each shard's jobs in order, and
 * only within a shard.
 */
export function createShardedProducer(connection: Redis, prefix: string, shards: number): ShardedProducer {
  const producers = Array.from({ length: shards }, (_, shard) =>
    createProducer('webhook-events', connection, prefix, shard),
  );
  const shardOf = (botId: string) => webhookShardOf(botId, shards);
  return {
    shards,
    producers,
    shardOf,
    forBot(botId) {
      const producer = producers[shardOf(botId)];
      if (!producer) throw new RangeError(`no producer for the shard of bot ${botId}`);
      return producer;
    },
    async close() {
      await Promise.all(producers.map((producer) => producer.close()));
    },
  };
}
