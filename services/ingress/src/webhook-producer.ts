import { createProducer, createRedisConnection, type TypedProducer } from '@wabot/queue';
import type { Redis } from 'ioredis';

export interface WebhookProducer {
  producer: TypedProducer<'webhook-events'>;
  /** The producer's own connection (fails fast while Redis is away; readiness checks it). */
  connection: Redis;
}

/**
 * The ingress's producer for `webhook-events`. No auto-pipelining: the webhook batcher already
 * turns one event-loop turn of webhooks into one command, and ioredis builds a fresh pipeline
 * object per tick (copying every BullMQ script onto it), which cost more than it saved.
 */
export function createWebhookProducer(redisUrl: string, prefix: string): WebhookProducer {
  const connection = createRedisConnection(redisUrl, 'producer');
  return { producer: createProducer('webhook-events', connection, prefix), connection };
}
