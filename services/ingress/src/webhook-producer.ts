import type { Logger } from '@wabot/logger';
import {
  createRedisConnection,
  createShardedProducer,
  type RedisClient,
  type RedisTarget,
  type ShardedProducer,
} from '@wabot/queue';

export interface WebhookProducer {
  /** One producer per stage-1 shard (`{webhooks-<n>}`), all on {@link connection}. */
  webhooks: ShardedProducer;
  /** The producers' own connection (fails fast while Redis is away; readiness checks it). */
  connection: RedisClient;
}

/**
 * The ingress's producers for the shards of `webhook-events`. No auto-pipelining: the webhook
 * batcher already turns one event-loop turn of a shard's webhooks into one command, and ioredis
 * builds a fresh pipeline object per tick (copying every BullMQ script onto it), which cost more
 * than it saved.
 */
export function createWebhookProducer(
  target: string | RedisTarget,
  prefix: string,
  shards: number,
  logger?: Logger,
): WebhookProducer {
  const connection = createRedisConnection(target, 'producer', {}, logger);
  return { webhooks: createShardedProducer(connection, prefix, shards), connection };
}
