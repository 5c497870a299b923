import { randomBytes } from 'node:crypto';
import { Cluster } from 'ioredis';
import { type RedisCluster, type RedisClusterOptions, startRedisCluster } from './redis-cluster.js';

export interface TestRedisCluster {
  /** `127.0.0.1:<port>` of every master. */
  nodes: string[];
  /** Comma-joined nodes: the value of REDIS_CLUSTER_NODES. */
  seeds: string;
  /** Key prefix of this test file: pass it as REDIS_PREFIX / BullMQ prefix. */
  prefix: string;
  /** A ready Cluster client (plain ioredis, not the services' connection factory). */
  client: Cluster;
  /** The cluster itself, e.g. to read its logs. */
  cluster: RedisCluster;
  /** Closes the client and stops the cluster. */
  cleanup(): Promise<void>;
}

/** The `{host, port}` of a `host:port` node address. */
export function toClusterNode(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(':');
  return { host: address.slice(0, colon), port: Number(address.slice(colon + 1)) };
}

/** A Redis Cluster of this test file's own (see {@link startRedisCluster}), a connected client and a key prefix. */
export async function createTestRedisCluster(options: RedisClusterOptions = {}): Promise<TestRedisCluster> {
  const cluster = await startRedisCluster(options);
  const client = new Cluster(cluster.nodes.map(toClusterNode), {
    lazyConnect: true,
    redisOptions: { maxRetriesPerRequest: 3 },
  });
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    await cluster.stop();
    throw error;
  }
  return {
    nodes: cluster.nodes,
    seeds: cluster.seeds,
    prefix: `wabot-test-${randomBytes(5).toString('hex')}`,
    client,
    cluster,
    async cleanup() {
      client.disconnect();
      await cluster.stop();
    },
  };
}
