export { createRedisConnection, pingRedis, type RedisRole } from './redis-connection.js';
export { createProducer, type TypedProducer } from './typed-queue.js';
