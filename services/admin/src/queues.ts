import { createProducer, type TypedProducer } from '@wabot/queue';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { DeadLetterQueue } from './schemas/dead-letter.js';

export interface AdminQueues {
  outbound: TypedProducer<'outbound'>;
  deadLetterQueues: Record<DeadLetterQueue, Queue>;
  close(): Promise<void>;
}

/** The admin's handles on the worker queues, all under `prefix` (REDIS_PREFIX), sharing one connection. */
export function createAdminQueues(connection: Redis, prefix: string): AdminQueues {
  const outbound = createProducer('outbound', connection, prefix);
  const open = (name: 'conversations' | 'webhook-events') => {
    const queue = new Queue(name, { connection, prefix });
    queue.on('error', () => {});
    return queue;
  };
  const conversations = open('conversations');
  const webhookEvents = open('webhook-events');
  return {
    outbound,
    deadLetterQueues: { outbound: outbound.queue, conversations, 'webhook-events': webhookEvents },
    async close() {
      await Promise.all([outbound.close(), conversations.close(), webhookEvents.close()]);
    },
  };
}
