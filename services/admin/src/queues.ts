import { physicalQueueName, webhookQueueNames } from '@wabot/contracts';
import { createProducer, type TypedProducer } from '@wabot/queue';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { DeadLetterQueue } from './schemas/dead-letter.js';

/**
 * The physical BullMQ queues behind each logical dead-letter queue: one for `conversations` and
 * `outbound`, one per shard (index = shard) for `webhook-events`.
 */
export type DeadLetterQueues = Record<DeadLetterQueue, readonly Queue[]>;

export interface AdminQueues {
  outbound: TypedProducer<'outbound'>;
  deadLetterQueues: DeadLetterQueues;
  close(): Promise<void>;
}

/**
 * The admin's handles on the worker queues, all under `prefix` (REDIS_PREFIX), sharing one
 * connection; `shards` is WEBHOOK_SHARDS (every stage-1 shard's failed set is a dead-letter list).
 */
export function createAdminQueues(connection: Redis, prefix: string, shards: number): AdminQueues {
  const outbound = createProducer('outbound', connection, prefix);
  const open = (name: string) => {
    const queue = new Queue(name, { connection, prefix });
    queue.on('error', () => {});
    return queue;
  };
  const conversations = open(physicalQueueName('conversations'));
  const webhookShards = webhookQueueNames(shards).map(open);
  return {
    outbound,
    deadLetterQueues: { outbound: [outbound.queue], conversations: [conversations], 'webhook-events': webhookShards },
    async close() {
      await Promise.all([outbound.close(), conversations.close(), ...webhookShards.map((queue) => queue.close())]);
    },
  };
}
