import { afterAll, beforeAll, inject } from 'vitest';
import type { RedisClusterOptions } from './redis-cluster.js';
import { createTestRedisCluster, type TestRedisCluster } from './test-redis-cluster.js';
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from './test-services.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
    /** Seeds of the Redis Cluster the `cluster` project runs on ('' elsewhere). */
    redisClusterNodes: string;
    databaseUrl: string;
    templateDatabase: string;
  }
}

/**
 * Gives the calling test file its own migrated database for the file's lifetime (dropped after).
 * Use inside a describe or at the top of an integration test file; read `.current` in tests.
 */
export function useTestDatabase(): { readonly current: TestDatabase } {
  let value: TestDatabase | undefined;
  beforeAll(async () => {
    value = await createTestDatabase(inject('databaseUrl'), inject('templateDatabase'));
  });
  afterAll(async () => {
    await value?.drop();
  });
  return {
    get current() {
      if (!value) throw new Error('useTestDatabase: database not ready (used outside a test?)');
      return value;
    },
  };
}

/** Gives the calling test file a Redis connection and a key prefix of its own (keys deleted after). */
export function useTestRedis(): { readonly current: TestRedis } {
  let value: TestRedis | undefined;
  beforeAll(async () => {
    value = await createTestRedis(inject('redisUrl'), inject('redisClusterNodes'));
  });
  afterAll(async () => {
    await value?.cleanup();
  });
  return {
    get current() {
      if (!value) throw new Error('useTestRedis: redis not ready (used outside a test?)');
      return value;
    },
  };
}

/**
 * Gives the calling test file a real 3-master Redis Cluster of its own (started in `beforeAll`,
 * stopped in `afterAll`), a ready client and a key prefix. Needs `redis-server` and `redis-cli` on PATH.
 */
export function useTestRedisCluster(options: RedisClusterOptions = {}): { readonly current: TestRedisCluster } {
  let value: TestRedisCluster | undefined;
  beforeAll(async () => {
    value = await createTestRedisCluster(options);
  });
  afterAll(async () => {
    await value?.cleanup();
  });
  return {
    get current() {
      if (!value) throw new Error('useTestRedisCluster: cluster not ready (used outside a test?)');
      return value;
    },
  };
}
