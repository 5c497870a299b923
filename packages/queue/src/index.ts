export {
  createLiveEventPublisher,
  createLiveEventReader,
  type LiveEventEntry,
  type LiveEventPublisher,
  type LiveEventReader,
} from './live-events.js';
export {
  createRedisConnection,
  pingRedis,
  type RedisClient,
  type RedisRole,
  type RedisTarget,
  redisTargetOf,
} from './redis-connection.js';
export { isConnectionError, logQueueErrors, logRedisErrors, workerErrorListener } from './redis-error-log.js';
export {
  type Consumer,
  type ConsumerHandlers,
  type ConsumerOptions,
  type ConsumerWorkerOptions,
  createConsumer,
  type JobHandler,
} from './typed-consumer.js';
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
