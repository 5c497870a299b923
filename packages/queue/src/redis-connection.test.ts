import { Cluster, Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { createRedisConnection, type RedisClient, type RedisTarget, redisTargetOf } from './redis-connection.js';

// Nothing here connects: every connection is lazy and only its options are inspected.
const lazy = { lazyConnect: true };
const opened: RedisClient[] = [];
afterEach(() => {
  for (const client of opened.splice(0)) client.disconnect();
});

function open<T extends RedisClient>(client: T): T {
  opened.push(client);
  return client;
}

function asCluster(client: RedisClient): Cluster {
  if (!(client instanceof Cluster)) throw new Error('expected a Cluster');
  return client;
}

const seeds = ['127.0.0.1:7000', 'redis-1.internal:7001', '[::1]:7002'];

describe('redisTargetOf', () => {
  it('carries REDIS_URL and REDIS_CLUSTER_NODES', () => {
    expect(redisTargetOf({ REDIS_URL: 'redis://h:1', REDIS_CLUSTER_NODES: seeds })).toEqual({
      url: 'redis://h:1',
      clusterNodes: seeds,
    });
    expect(redisTargetOf({ REDIS_URL: 'redis://h:1', REDIS_CLUSTER_NODES: undefined }).clusterNodes).toBeUndefined();
  });
});

describe('createRedisConnection, single node', () => {
  it('keeps the URL form and honours a /N database index', () => {
    const redis = open(createRedisConnection('redis://127.0.0.1:6380/3', 'worker', lazy));
    expect(redis).toBeInstanceOf(Redis);
    expect(redis.options.db).toBe(3);
    expect(redis.options.port).toBe(6380);
    expect(redis.options.maxRetriesPerRequest).toBeNull();
    expect(redis.options.connectionName).toBe('wabot-worker');
  });

  it('is a single Redis for a target without cluster nodes (or with none)', () => {
    for (const clusterNodes of [undefined, []]) {
      const redis = open(createRedisConnection({ url: 'redis://127.0.0.1:6379/2', clusterNodes }, 'producer', lazy));
      expect(redis).toBeInstanceOf(Redis);
      expect(redis.options).toMatchObject({
        db: 2,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        connectTimeout: 2_000,
        commandTimeout: 2_000,
      });
    }
  });

  it('accepts a URL or a target where either may come (string | RedisTarget)', () => {
    const targets: (string | RedisTarget)[] = ['redis://127.0.0.1:6379/1', { url: 'redis://127.0.0.1:6379/1' }];
    for (const target of targets) {
      const client: RedisClient = open(createRedisConnection(target, 'client', lazy));
      expect(client).toBeInstanceOf(Redis);
    }
  });

  it('applies extra options last', () => {
    const redis = open(
      createRedisConnection('redis://127.0.0.1:6379', 'client', { ...lazy, enableAutoPipelining: true }),
    );
    expect(redis.options).toMatchObject({ maxRetriesPerRequest: 2, enableAutoPipelining: true });
  });
});

describe('createRedisConnection, cluster', () => {
  const target = { url: 'redis://127.0.0.1:6379', clusterNodes: seeds };

  it('is a Cluster over the seeds, IPv6 brackets removed', () => {
    const cluster = asCluster(open(createRedisConnection(target, 'client', lazy)));
    expect(cluster.isCluster).toBe(true);
    expect(Reflect.get(cluster, 'startupNodes')).toEqual([
      { host: '127.0.0.1', port: 7000 },
      { host: 'redis-1.internal', port: 7001 },
      { host: '::1', port: 7002 },
    ]);
  });

  it('producer: fail fast at the cluster (no offline queue) and on every node (1 retry, 2 s timeouts)', () => {
    const cluster = asCluster(open(createRedisConnection(target, 'producer', lazy)));
    expect(cluster.options.enableOfflineQueue).toBe(false);
    expect(cluster.options.redisOptions).toMatchObject({
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      commandTimeout: 2_000,
      connectionName: 'wabot-producer',
    });
    expect(cluster.options.redisOptions).not.toHaveProperty('enableOfflineQueue');
  });

  it('worker: maxRetriesPerRequest null on the nodes (what BullMQ checks on a Cluster), offline queue kept', () => {
    const cluster = asCluster(open(createRedisConnection(target, 'worker', lazy)));
    expect(cluster.options.redisOptions?.maxRetriesPerRequest).toBeNull();
    expect(cluster.options.enableOfflineQueue).toBe(true);
    expect(cluster.options.enableReadyCheck).toBe(true);
  });

  it('client: 2 retries per node; the reconnect delay becomes the cluster retry strategy', () => {
    const cluster = asCluster(open(createRedisConnection(target, 'client', lazy)));
    expect(cluster.options.redisOptions?.maxRetriesPerRequest).toBe(2);
    expect(cluster.options.redisOptions).not.toHaveProperty('retryStrategy');
    expect(cluster.options.clusterRetryStrategy?.(3)).toBe(600);
    expect(cluster.options.clusterRetryStrategy?.(50)).toBe(2_000);
  });

  it('puts cluster-level extras (auto-pipelining, lazy connect, key prefix) on the cluster, the rest on the nodes', () => {
    const cluster = asCluster(
      open(
        createRedisConnection(target, 'client', {
          ...lazy,
          enableAutoPipelining: true,
          autoPipeliningIgnoredCommands: ['ping'],
          keepAlive: 5_000,
        }),
      ),
    );
    expect(cluster.options).toMatchObject({
      enableAutoPipelining: true,
      autoPipeliningIgnoredCommands: ['ping'],
      lazyConnect: true,
    });
    expect(cluster.status).toBe('wait');
    expect(cluster.options.redisOptions).toMatchObject({ keepAlive: 5_000 });
    for (const key of ['enableAutoPipelining', 'autoPipeliningIgnoredCommands', 'lazyConnect'])
      expect(cluster.options.redisOptions).not.toHaveProperty(key);
  });

  it('takes credentials and TLS from the URL', () => {
    const cluster = asCluster(
      open(createRedisConnection({ url: 'rediss://app:p%40ss@ignored:6379', clusterNodes: seeds }, 'client', lazy)),
    );
    expect(cluster.options.redisOptions).toMatchObject({ username: 'app', password: 'p@ss', tls: {} });
    const plain = asCluster(open(createRedisConnection(target, 'client', lazy)));
    expect(plain.options.redisOptions).not.toHaveProperty('tls');
    expect(plain.options.redisOptions).not.toHaveProperty('password');
  });

  it('refuses a database index other than 0, which a cluster does not have', () => {
    expect(() => createRedisConnection({ url: 'redis://127.0.0.1:6379/3', clusterNodes: seeds }, 'client')).toThrow(
      /database 3.*Redis Cluster has database 0 only/,
    );
    expect(() => createRedisConnection(target, 'client', { db: 1 })).toThrow(/database 1/);
    open(createRedisConnection({ url: 'redis://127.0.0.1:6379/0', clusterNodes: seeds }, 'client', lazy));
  });

  it('refuses a seed that is not host:port', () => {
    for (const seed of ['127.0.0.1', ':7000', 'h:0', 'h:70000', 'h:x'])
      expect(() => createRedisConnection({ url: target.url, clusterNodes: [seed] }, 'client', lazy)).toThrow(
        /not host:port/,
      );
  });
});
