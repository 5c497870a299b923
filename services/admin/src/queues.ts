import { physicalQueueName, webhookQueueNames } from '@wabot/contracts';
import type { Logger } from '@wabot/logger';
import { createProducer, logQueueErrors, type RedisClient, type TypedProducer } from '@wabot/queue';
import { Queue } from 'bullmq';
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
export function createAdminQueues(
  connection: RedisClient,
  prefix: string,
  shards: number,
  logger: Logger,
): AdminQueues {
  const outbound = createProducer('outbound', connection, prefix);
  const open = (name: string) => {
    const queue = new Queue(name, { connection, prefix });
    logQueueErrors(queue, connection, logger);
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
