export { createRedisConnection, pingRedis, type RedisRole } from './redis-connection.js';
export {
  createProducer,
  createShardedProducer,
  type ShardedProducer,
  type TypedProducer,
} from './typed-queue.js';
export {
  verifyWebhookShards,
  verifyWebhookShardsWhenReachable,
  WebhookShardsMismatchError,
} from './webhook-shards.js';
