import { createHash } from 'node:crypto';
import { eventually, startRedisCluster, toClusterNode, useTestRedisCluster } from '@wabot/testing';
import { Queue, Worker } from 'bullmq';
import { Cluster, Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createRedisConnection,
  pingRedis,
  type RedisClient,
  type RedisRole,
  redisTargetOf,
} from './redis-connection.js';

const cluster = useTestRedisCluster();

/** Connections opened by a test; closed before the cluster stops. */
const opened: RedisClient[] = [];
afterAll(() => {
  for (const client of opened.splice(0)) client.disconnect();
});

/** A connection as a service would open it: config → redisTargetOf → createRedisConnection. */
function connect(role: RedisRole, extra = {}): RedisClient {
  const target = redisTargetOf({ REDIS_URL: 'redis://127.0.0.1:6379', REDIS_CLUSTER_NODES: cluster.current.nodes });
  const client = createRedisConnection(target, role, extra);
  opened.push(client);
  return client;
}

/** A plain connection to one node (not cluster-aware), closed after the file. */
function direct(node: string): Redis {
  const redis = new Redis({ ...toClusterNode(node), lazyConnect: true });
  opened.push(redis);
  return redis;
}

/** The master serving `key`'s slot. */
async function ownerOf(key: string): Promise<string> {
  const { client } = cluster.current;
  const slot = await client.cluster('KEYSLOT', key);
  const owner = client.slots[slot]?.[0];
  if (!owner) throw new Error(`no owner for slot ${slot}`);
  return owner;
}

/** Two hash tags whose slots differ but live on the same master, and one on another master. */
async function tags(): Promise<{ a: string; sameNode: string; otherNode: string }> {
  const a = '{conv:bot-1:user-1}';
  const home = await ownerOf(a);
  let sameNode: string | undefined;
  let otherNode: string | undefined;
  for (let i = 0; !sameNode || !otherNode; i++) {
    const tag = `{conv:bot-1:user-${i + 2}}`;
    const owner = await ownerOf(tag);
    if (owner === home) sameNode ??= tag;
    else otherNode ??= tag;
  }
  return { a, sameNode, otherNode };
}

describe('createRedisConnection on a Redis Cluster', () => {
  it('gives a ready Cluster for every role, and pingRedis is true', async () => {
    for (const role of ['producer', 'worker', 'client'] as const) {
      const client = connect(role);
      expect(client).toBeInstanceOf(Cluster);
      await eventually(() => client.status === 'ready', 5_000, `${role} ready`);
      expect(await pingRedis(client)).toBe(true);
    }
  });

  it('runs a BullMQ queue with a hash-tagged name, global concurrency 1: in order, one job at a time', async () => {
    const { prefix } = cluster.current;
    const name = '{rt-test}';
    const queue = new Queue(name, { connection: connect('worker'), prefix });
    queue.on('error', () => {});
    await queue.setGlobalConcurrency(1);
    const spans: { n: number; start: number; end: number }[] = [];
    let active = 0;
    let maxActive = 0;
    // Local concurrency 4: only the queue's global concurrency of 1 keeps the jobs apart.
    const worker = new Worker(
      name,
      async (job) => {
        active++;
        maxActive = Math.max(maxActive, active);
        const start = performance.now();
        await new Promise((resolve) => setTimeout(resolve, 25));
        spans.push({ n: Number(job.data.n), start, end: performance.now() });
        active--;
        return job.data.n;
      },
      { connection: connect('worker'), prefix, concurrency: 4 },
    );
    worker.on('error', () => {});
    try {
      const count = 8;
      for (let n = 0; n < count; n++) await queue.add('step', { n });
      await eventually(() => spans.length === count, 20_000, 'every job processed');
      expect(spans.map((span) => span.n)).toEqual([...Array(count).keys()]);
      expect(maxActive).toBe(1);
      for (let i = 1; i < spans.length; i++) {
        const [previous, current] = [spans[i - 1], spans[i]];
        if (previous && current) expect(current.start).toBeGreaterThanOrEqual(previous.end);
      }
      expect(await queue.getCompletedCount()).toBe(count);
      // Every key of the queue is in the slot of its tag: one node holds them all.
      const home = await ownerOf(name);
      const keys = await direct(home).keys(`${prefix}:${name}:*`);
      expect(keys.length).toBeGreaterThan(3);
      for (const node of cluster.current.nodes.filter((n) => n !== home))
        expect(await direct(node).keys(`${prefix}:${name}:*`)).toEqual([]);
      // The Worker duplicated the Cluster for its blocking connection, named after the queue.
      const blockingName = `${prefix}:${Buffer.from(name).toString('base64')}`;
      expect(await direct(home).client('LIST')).toContain(`name=${blockingName}`);
    } finally {
      await worker.close();
      await queue.close();
    }
  });

  it('fails on a queue name without a hash tag: its keys span slots (CROSSSLOT)', async () => {
    const queue = new Queue('untagged', { connection: connect('producer'), prefix: cluster.current.prefix });
    queue.on('error', () => {});
    try {
      await expect(queue.add('step', { n: 1 })).rejects.toThrow(/CROSSSLOT/);
    } finally {
      await queue.close();
    }
  });

  describe('a multi-key Lua script (EVALSHA, EVAL on NOSCRIPT)', () => {
    // The shape of services/worker/src/inbox/redis-script.ts, typed for either connection.
    const lua = `redis.call('RPUSH', KEYS[1], ARGV[1]); return redis.call('INCR', KEYS[2])`;
    const sha = createHash('sha1').update(lua).digest('hex');
    const calls: string[] = [];
    async function run(redis: RedisClient, keys: string[], args: string[]): Promise<unknown> {
      try {
        calls.push('evalsha');
        return await redis.evalsha(sha, keys.length, ...keys, ...args);
      } catch (error) {
        if (!(error instanceof Error) || !error.message.includes('NOSCRIPT')) throw error;
        calls.push('eval');
        return redis.eval(lua, keys.length, ...keys, ...args);
      }
    }
    const keysOf = (tag: string) => [
      `${cluster.current.prefix}:conv:${tag}:inbox`,
      `${cluster.current.prefix}:conv:${tag}:seq`,
    ];

    it('runs over keys sharing a hash tag; each node loads the script on its first call', async () => {
      const redis = connect('client', { enableAutoPipelining: true });
      const { a, otherNode } = await tags();
      calls.length = 0;
      expect(await run(redis, keysOf(a), ['m1'])).toBe(1);
      expect(await run(redis, keysOf(a), ['m2'])).toBe(2);
      expect(calls).toEqual(['evalsha', 'eval', 'evalsha']);
      // Script caches are per node: another master has not seen it yet.
      const [homeOwner, otherOwner] = [await ownerOf(a), await ownerOf(otherNode)];
      expect(await direct(homeOwner).script('EXISTS', sha)).toEqual([1]);
      expect(await direct(otherOwner).script('EXISTS', sha)).toEqual([0]);
      calls.length = 0;
      expect(await run(redis, keysOf(otherNode), ['m1'])).toBe(1);
      expect(calls).toEqual(['evalsha', 'eval']);
      expect(await direct(homeOwner).lrange(keysOf(a)[0] ?? '', 0, -1)).toEqual(['m1', 'm2']);
    });

    it('is refused over keys in different slots, even on the same node', async () => {
      const redis = connect('client');
      const { a, sameNode, otherNode } = await tags();
      for (const tag of [sameNode, otherNode]) {
        const keys = [keysOf(a)[0] ?? '', keysOf(tag)[1] ?? ''];
        await expect(run(redis, keys, ['x'])).rejects.toThrow(/CROSSSLOT/);
        await expect(redis.eval(lua, 2, ...keys, 'x')).rejects.toThrow(/CROSSSLOT/);
      }
    });

    it('auto-pipelines commands of many slots in one tick when asked (a cluster-level option)', async () => {
      const keys = Array.from({ length: 50 }, (_, i) => `${cluster.current.prefix}:ap:{${i}}`);
      for (const [enableAutoPipelining, queued] of [
        [true, keys.length],
        [false, 0],
      ] as const) {
        const redis = connect('client', { enableAutoPipelining });
        await eventually(() => redis.status === 'ready', 5_000, 'ready');
        const writes = keys.map((key, i) => redis.set(key, String(i)));
        // Queued for the next tick, grouped per node, instead of written one by one.
        expect(redis.autoPipelineQueueSize).toBe(queued);
        await Promise.all(writes);
        expect(await Promise.all(keys.map((key) => redis.get(key)))).toEqual(keys.map((_, i) => String(i)));
      }
    });

    it('routes a script without keys to a random node: one that touches a key works only where it lives', async () => {
      const redis = connect('client');
      const key = `${cluster.current.prefix}:{keyless}:k`;
      await redis.set(key, 'v');
      const outcomes = new Set<string>();
      for (let i = 0; i < 30; i++)
        outcomes.add(
          await redis.eval(`return redis.call('GET', ARGV[1])`, 0, key).then(
            (value) => `ok:${value}`,
            (error: Error) => (error.message.includes('non local key') ? 'non-local' : error.message),
          ),
        );
      // 30 random picks of 3 masters: missing either outcome has odds below 1e-5.
      expect([...outcomes].sort()).toEqual(['non-local', 'ok:v']);
      expect(await redis.eval(`return redis.call('GET', KEYS[1])`, 1, key)).toBe('v');
    });

    it('refuses a transaction or an explicit pipeline across slots', async () => {
      const redis = connect('client');
      const { a, sameNode, otherNode } = await tags();
      await expect(redis.multi().set(`${a}:1`, '1').set(`${otherNode}:1`, '1').exec()).rejects.toThrow(
        /same slots allocation group/,
      );
      // Same node, different slots: Redis refuses it (ioredis only checks nodes).
      await expect(redis.multi().set(`${a}:1`, '1').set(`${sameNode}:1`, '1').exec()).rejects.toThrow(/CROSSSLOT/);
      expect(await redis.multi().sadd(`${a}:held`, 'j1').expire(`${a}:held`, 60).exec()).toEqual([
        [null, 1],
        [null, 1],
      ]);
    });
  });

  it('delivers a publish on any node to a Cluster subscriber', async () => {
    const channel = `${cluster.current.prefix}:bot-changed`;
    const subscriber = connect('worker');
    const received: string[] = [];
    subscriber.on('message', (from: string, message: string) => {
      if (from === channel) received.push(message);
    });
    await subscriber.subscribe(channel);
    // Through the cluster connection, and straight into each master: PUBLISH is broadcast over the bus.
    const publisher = connect('producer');
    // A producer has no offline queue: it refuses commands until the cluster is ready (slot map read, CLUSTER INFO ok).
    await eventually(() => publisher.status === 'ready', 5_000, 'publisher ready');
    await publisher.publish(channel, 'via-cluster');
    for (const node of cluster.current.nodes) await direct(node).publish(channel, `via-${node}`);
    const expected = ['via-cluster', ...cluster.current.nodes.map((node) => `via-${node}`)];
    await eventually(() => received.length === expected.length, 5_000, 'every announcement');
    expect(received.sort()).toEqual(expected.sort());
    // Unlike a single Redis, a subscribed Cluster still runs ordinary commands (its subscriber is a separate connection).
    expect(await subscriber.ping()).toBe('PONG');
  });
});

describe('a stopped cluster', () => {
  it('pingRedis turns false; producers and clients fail fast while workers wait', async () => {
    const own = await startRedisCluster();
    const target = { url: 'redis://127.0.0.1:6379', clusterNodes: own.nodes };
    const roles = ['producer', 'client', 'worker'] as const;
    const [producer, client, worker] = roles.map((role) => createRedisConnection(target, role));
    if (!producer || !client || !worker) throw new Error('unreachable');
    try {
      await eventually(() => [producer, client, worker].every((c) => c.status === 'ready'), 5_000, 'ready');
      expect(await pingRedis(client)).toBe(true);
      expect(await producer.set('{x}:k', '1')).toBe('OK');
      await own.stop();
      // A ping still waiting is no answer: keep asking until one says false.
      const ping = () =>
        Promise.race([pingRedis(client), new Promise((resolve) => setTimeout(resolve, 1_000, 'pending'))]);
      await eventually(async () => (await ping()) === false, 10_000, 'pingRedis false');
      for (const role of [producer, client]) {
        const started = performance.now();
        await expect(role.get('{x}:k')).rejects.toThrow();
        expect(performance.now() - started).toBeLessThan(3_000);
      }
      // A worker's command waits for the cluster to come back (maxRetriesPerRequest: null).
      const waiting = worker.get('{x}:k').then(
        () => 'answered',
        () => 'failed',
      );
      expect(await Promise.race([waiting, new Promise((resolve) => setTimeout(resolve, 1_500, 'waiting'))])).toBe(
        'waiting',
      );
    } finally {
      for (const connection of [producer, client, worker]) connection.disconnect();
      await own.stop();
    }
  });
});
