export {
  createRedisConnection,
  pingRedis,
  type RedisClient,
  type RedisRole,
  type RedisTarget,
  redisTargetOf,
} from './redis-connection.js';
export { createProducer, type TypedProducer } from './typed-queue.js';
