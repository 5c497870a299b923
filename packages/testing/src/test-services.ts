import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { applyMigrations, createDatabaseClient, type Database, listMigrations } from '@wabot/db';
import { Cluster, Redis } from 'ioredis';
import pg from 'pg';
import { toClusterNode } from './test-redis-cluster.js';

/** Where the real services are: REDIS_URL / DATABASE_URL, else the contract defaults (or containers, see global setup). */
export interface ServiceUrls {
  redisUrl: string;
  databaseUrl: string;
}

const repoRoot = path.resolve(import.meta.dirname, '../../..');
export const migrationsDir = path.join(repoRoot, 'prisma/migrations');

const adminUrlOf = (databaseUrl: string) => {
  const url = new URL(databaseUrl);
  url.pathname = '/postgres';
  return url.toString();
};

const withDatabaseName = (databaseUrl: string, name: string) => {
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  return url.toString();
};

/**
 * Creates (once per migration set) a migrated template database and returns its name. Test files
 * clone it, which takes milliseconds instead of re-running migrations.
 */
export async function prepareTemplateDatabase(databaseUrl: string): Promise<string> {
  const migrations = await listMigrations(migrationsDir);
  const hash = migrations
    .map((m) => m.checksum.slice(0, 6))
    .join('')
    .slice(-24);
  const name = `wabot_test_tpl_${hash}`;
  const admin = new pg.Client({ connectionString: adminUrlOf(databaseUrl) });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!exists.rowCount) {
      const building = `${name}_build_${randomBytes(3).toString('hex')}`;
      await applyMigrations(withDatabaseName(databaseUrl, building), migrationsDir);
      try {
        await admin.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
      } catch {
        // A parallel run won the race; ours is redundant.
        await admin.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
      }
    }
    // Drop stale per-file databases left by killed runs more than an hour ago.
    const stale = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE 'wabot_test_f_%' AND substring(datname from 14 for 10)::bigint < $1`,
      [Math.floor(Date.now() / 1000) - 3600],
    );
    for (const row of stale.rows)
      await admin.query(`DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`).catch(() => {});
  } finally {
    await admin.end();
  }
  return name;
}

export interface TestDatabase {
  url: string;
  name: string;
  db: Database;
  /** Drops the database (and closes the client). */
  drop(): Promise<void>;
}

/** A fresh, migrated database of this test file's own, cloned from the template. */
export async function createTestDatabase(databaseUrl: string, template: string): Promise<TestDatabase> {
  const name = `wabot_test_f_${Math.floor(Date.now() / 1000)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrlOf(databaseUrl) });
  await admin.connect();
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
        break;
      } catch (error) {
        // "source database is being accessed by other users": another file is cloning right now.
        if (attempt >= 20) throw error;
        await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
      }
    }
  } finally {
    await admin.end();
  }
  const url = withDatabaseName(databaseUrl, name);
  const db = createDatabaseClient(url, { poolSize: 5 });
  return {
    url,
    name,
    db,
    async drop() {
      await db.$disconnect();
      const client = new pg.Client({ connectionString: adminUrlOf(databaseUrl) });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

export interface TestRedis {
  url: string;
  /**
   * Seeds of the Redis Cluster this file runs on (`REDIS_CLUSTER_NODES`), or undefined on a single
   * Redis: the `cluster` test project runs the end-to-end tests on a local 3-node cluster.
   */
  clusterNodes: string[] | undefined;
  /** What a service process needs to reach the same Redis: REDIS_URL, and REDIS_CLUSTER_NODES on a cluster. */
  env: { REDIS_URL: string; REDIS_CLUSTER_NODES?: string };
  /** Key prefix of this test file: pass it as REDIS_PREFIX / BullMQ prefix. */
  prefix: string;
  redis: Redis | Cluster;
  /** Deletes every key under the prefix and closes the connection. */
  cleanup(): Promise<void>;
}

/**
 * Deletes every key starting with `prefix` (SCAN, never KEYS). On a Cluster every master is
 * scanned and keys are deleted one by one (a multi-key DEL must stay in one slot).
 */
export async function deleteKeysWithPrefix(redis: Redis | Cluster, prefix: string): Promise<number> {
  if (!(redis instanceof Redis)) {
    const counts = await Promise.all(redis.nodes('master').map((node) => deleteKeysOnNode(node, prefix)));
    return counts.reduce((sum, count) => sum + count, 0);
  }
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) deleted += await redis.del(...keys);
  } while (cursor !== '0');
  return deleted;
}

/** Every key matching `pattern` (SCAN, never KEYS); on a Cluster, over every master. */
export async function scanKeys(redis: Redis | Cluster, pattern: string): Promise<string[]> {
  return (await keysPerNode(redis, pattern)).flat();
}

/** The keys matching `pattern` on each node: one list for a single Redis, one per master of a Cluster. */
export async function keysPerNode(redis: Redis | Cluster, pattern: string): Promise<string[][]> {
  const nodes = redis instanceof Redis ? [redis] : redis.nodes('master');
  return Promise.all(
    nodes.map(async (node) => {
      const found: string[] = [];
      let cursor = '0';
      do {
        const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        cursor = next;
        found.push(...keys);
      } while (cursor !== '0');
      return found;
    }),
  );
}

/** The keys matching `pattern` on the single Redis at `url` (a connection of its own, closed after). */
export async function keysAt(url: string, pattern: string): Promise<string[]> {
  const redis = new Redis(url, { maxRetriesPerRequest: 3 });
  try {
    return await scanKeys(redis, pattern);
  } finally {
    redis.disconnect();
  }
}

async function deleteKeysOnNode(node: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await node.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) {
      const pipeline = node.pipeline();
      for (const key of keys) pipeline.del(key);
      const results = (await pipeline.exec()) ?? [];
      for (const [error, count] of results) {
        if (error) throw error;
        deleted += Number(count);
      }
    }
  } while (cursor !== '0');
  return deleted;
}

/**
 * A Redis connection and a key prefix no other test file uses — on the Redis Cluster whose seeds
 * are given (comma-separated), else on the single Redis at `redisUrl`.
 */
export async function createTestRedis(redisUrl: string, clusterSeeds = ''): Promise<TestRedis> {
  const prefix = `wabot-test-${randomBytes(5).toString('hex')}`;
  const clusterNodes = clusterSeeds ? clusterSeeds.split(',') : undefined;
  const redis = clusterNodes
    ? new Cluster(clusterNodes.map(toClusterNode), { lazyConnect: true, redisOptions: { maxRetriesPerRequest: 3 } })
    : new Redis(redisUrl, { maxRetriesPerRequest: 3, lazyConnect: true });
  await redis.connect();
  return {
    url: redisUrl,
    clusterNodes,
    env: clusterNodes ? { REDIS_URL: redisUrl, REDIS_CLUSTER_NODES: clusterNodes.join(',') } : { REDIS_URL: redisUrl },
    prefix,
    redis,
    async cleanup() {
      await deleteKeysWithPrefix(redis, prefix);
      redis.disconnect();
    },
  };
}
