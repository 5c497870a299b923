import type { Logger } from '@wabot/logger';
import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';
import { logRedisErrors } from './redis-error-log.js';

/** A connection to a single Redis or to a Redis Cluster; both speak the same commands. */
export type RedisClient = Redis | Cluster;

export type RedisRole = 'producer' | 'worker' | 'client';

/**
 * Where Redis is. With `clusterNodes` (REDIS_CLUSTER_NODES: `host:port` seeds) it is a Redis
 * Cluster and `url` lends only its credentials and TLS (`rediss:`); otherwise the single Redis
 * at `url`, whose `/N` database index is honoured.
 */
export interface RedisTarget {
  url: string;
  clusterNodes?: readonly string[] | undefined;
}

/** The Redis target of a parsed service config (the `commonEnv` keys REDIS_URL and REDIS_CLUSTER_NODES). */
export function redisTargetOf(config: {
  REDIS_URL: string;
  REDIS_CLUSTER_NODES?: readonly string[] | undefined;
}): RedisTarget {
  return { url: config.REDIS_URL, clusterNodes: config.REDIS_CLUSTER_NODES };
}

const reconnectDelay = (times: number) => Math.min(times * 200, 2_000);

const byRole: Record<RedisRole, RedisOptions> = {
  producer: { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2_000, commandTimeout: 2_000 },
  worker: { maxRetriesPerRequest: null, enableReadyCheck: true },
  client: { maxRetriesPerRequest: 2, connectTimeout: 2_000 },
};

/**
 * Redis connections in one place, per BullMQ's production guide: producers fail fast while Redis
 * is unreachable (no offline queue, one retry) so a webhook is never ACKed for an event not
 * stored; workers and blocking clients wait for Redis to come back.
 *
 * A URL (or a target without cluster nodes) gives a single-node `Redis`, a `/N` database index in
 * the URL honoured (ioredis parses it). A target with cluster nodes gives an ioredis `Cluster`:
 * the role's options apply to every node connection, and `extra` is split between the cluster
 * and its nodes the way ioredis expects (see {@link toClusterOptions}). BullMQ accepts either
 * as `connection` and duplicates it for its blocking connections. Throws on a seed that is not
 * `host:port` and on a database index other than 0 with cluster nodes.
 *
 * With `logger`, the connection's `error` events are logged once per state change (the first
 * error after being healthy at warn, then again only after it was ready again); without one
 * (tests, one-shot tools) they are only kept from crashing the process.
 */
export function createRedisConnection(url: string, role: RedisRole, extra?: RedisOptions, logger?: Logger): Redis;
export function createRedisConnection(
  target: string | RedisTarget,
  role: RedisRole,
  extra?: RedisOptions,
  logger?: Logger,
): RedisClient;
export function createRedisConnection(
  target: string | RedisTarget,
  role: RedisRole,
  extra: RedisOptions = {},
  logger?: Logger,
): RedisClient {
  const { url, clusterNodes } = typeof target === 'string' ? { url: target, clusterNodes: undefined } : target;
  const options: RedisOptions = {
    connectionName: `wabot-${role}`,
    retryStrategy: reconnectDelay,
    lazyConnect: false,
    ...byRole[role],
    ...extra,
  };
  const redis = clusterNodes?.length ? createCluster(clusterNodes, url, role, options, extra) : new Redis(url, options);
  // An unhandled 'error' event would crash the process.
  if (logger) logRedisErrors(redis, logger, `redis ${options.connectionName ?? role}`);
  else redis.on('error', () => {});
  return redis;
}

function createCluster(
  seeds: readonly string[],
  url: string,
  role: RedisRole,
  options: RedisOptions,
  extra: RedisOptions,
): Cluster {
  const cluster = new Cluster(seeds.map(parseSeed), toClusterOptions(url, options));
  if (role === 'client' && extra.enableOfflineQueue === undefined) {
    // maxRetriesPerRequest bounds a command only on a node connection. While the whole cluster is
    // unreachable, commands wait in the Cluster's own offline queue, which nothing bounds: a
    // client would hang where a single-node one fails after two retries. So a client queues
    // offline only until it is first ready (startup) and fails fast on a lost cluster after that
    // (ioredis reads the option at every command).
    cluster.once('ready', () => {
      cluster.options.enableOfflineQueue = false;
    });
  }
  return cluster;
}

/** `host:port` (IPv6 hosts bracketed: `[::1]:7000`) → ioredis' startup node. */
function parseSeed(seed: string): { host: string; port: number } {
  const colon = seed.lastIndexOf(':');
  const host = seed.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
  const port = Number(seed.slice(colon + 1));
  if (colon < 1 || !host || !Number.isInteger(port) || port < 1 || port > 65535)
    throw new Error(`Redis Cluster seed ${JSON.stringify(seed)} is not host:port`);
  return { host, port };
}

/**
 * Splits options written for one `Redis` into a `Cluster`'s: the offline queue, auto-pipelining,
 * lazy connect, key prefix, custom scripts and ready check belong to the cluster (ioredis ignores
 * or overrides them on node connections: nodes always queue offline and connect lazily, and a
 * node's auto-pipelining is bypassed because the cluster hands commands to nodes directly); the
 * reconnect delay becomes `clusterRetryStrategy` (ioredis never reconnects a lost node by itself,
 * it re-reads the slot map); everything else (timeouts, retries per request, connection name,
 * credentials) goes to every node as `redisOptions`. Credentials and TLS come from `url`; a
 * database index cannot (a cluster has database 0 only) and is refused rather than dropped.
 */
function toClusterOptions(url: string, options: RedisOptions): ClusterOptions {
  const parsed = new URL(url);
  const database = parsed.pathname.replace(/^\//, '');
  if ((database && database !== '0') || (options.db !== undefined && options.db !== 0))
    throw new Error(
      `REDIS_URL selects database ${database || options.db}, but a Redis Cluster has database 0 only: remove it while REDIS_CLUSTER_NODES is set`,
    );
  const {
    // Per-server settings that make no sense for a cluster's nodes.
    host: _host,
    port: _port,
    path: _path,
    db: _db,
    sentinels: _sentinels,
    readOnly: _readOnly,
    // Cluster-level settings.
    retryStrategy,
    enableOfflineQueue,
    enableAutoPipelining,
    autoPipeliningIgnoredCommands,
    lazyConnect,
    keyPrefix,
    enableReadyCheck,
    scripts,
    ...nodeOptions
  } = options;
  const credentials: RedisOptions = {
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
  };
  // Undefined entries are fine: ioredis fills them from its defaults.
  return {
    clusterRetryStrategy: retryStrategy,
    enableOfflineQueue,
    enableAutoPipelining,
    autoPipeliningIgnoredCommands,
    lazyConnect,
    keyPrefix,
    enableReadyCheck,
    // A Redis's script options allow explicit undefined, a Cluster's do not; ioredis defaults both alike.
    scripts:
      scripts &&
      Object.fromEntries(
        Object.entries(scripts).map(([name, { lua, numberOfKeys, readOnly }]) => [
          name,
          {
            lua,
            ...(numberOfKeys === undefined ? {} : { numberOfKeys }),
            ...(readOnly === undefined ? {} : { readOnly }),
          },
        ]),
      ),
    redisOptions: { ...credentials, ...nodeOptions },
  };
}

/**
 * True when the connection is ready and Redis answers PING (for a Cluster: the slot map is loaded,
 * CLUSTER INFO said `cluster_state:ok`, and a node answered). Never throws (the health route bounds the wait).
 */
export async function pingRedis(redis: RedisClient): Promise<boolean> {
  if (redis.status !== 'ready') return false;
  try {
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  }
}
