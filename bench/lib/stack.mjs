// Sets up an isolated database + Redis prefix + bots for a benchmark run, and tears them down.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { applyMigrations, createDatabaseClient } from '@wabot/db';
import { createSecretBox } from '@wabot/secrets';
import { createTestBot } from '@wabot/testing';
import { Redis } from 'ioredis';
import pg from 'pg';

const root = path.resolve(import.meta.dirname, '../..');

export async function createBenchStack({
  databaseBase = process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/wabot',
  redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379',
} = {}) {
  const dbName = `wabot_bench_${randomBytes(4).toString('hex')}`;
  const dbUrl = new URL(databaseBase);
  dbUrl.pathname = `/${dbName}`;
  const databaseUrl = dbUrl.toString();
  await applyMigrations(databaseUrl, path.join(root, 'prisma/migrations'));
  const db = createDatabaseClient(databaseUrl, { poolSize: 4 });
  const secretsKey = randomBytes(32);
  const box = createSecretBox(secretsKey);
  const prefix = `wabot-bench-${randomBytes(4).toString('hex')}`;
  const redis = new Redis(redisUrl);
  const workspace = await db.workspace.create({ data: { name: 'bench' } });

  const env = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    SECRETS_KEY: secretsKey.toString('base64'),
    JWT_SECRET: randomBytes(24).toString('hex'),
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
  };

  let botSeq = 0;
  /**
   * Creates an active bot directly in the database; returns its id and plaintext credentials.
   * `settings` are further per-bot settings (`bots.settings`, e.g. `turn`) beside the rate limit.
   */
  async function createBot({
    rateLimitPerSecond = 1000,
    settings = {},
    appSecret = randomBytes(16).toString('hex'),
  } = {}) {
    botSeq++;
    const bot = await createTestBot(db, box, {
      workspaceId: workspace.id,
      id: `bt_bench${String(botSeq).padStart(4, '0')}${randomBytes(4).toString('hex')}`,
      phoneNumberId: String(106_000_000_000_000 + Math.floor(Math.random() * 1e9)),
      systemPrompt: 'You are a benchmark bot.',
      appSecret,
      settings: { ...settings, rate_limit_per_second: rateLimitPerSecond },
    });
    return {
      id: bot.id,
      phoneNumberId: bot.phoneNumberId,
      accessToken: bot.accessToken,
      appSecret,
      verifyToken: bot.verifyToken,
    };
  }

  async function flushRedis() {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  }

  /**
   * Refreshes the planner's statistics of the bench database. A fresh database has none until
   * autovacuum's first pass (a minute or more), and the workers' prepared statements planned on
   * empty tables scan `messages` sequentially; a production database has statistics.
   */
  async function analyze() {
    await db.$executeRawUnsafe('ANALYZE');
  }

  async function close() {
    await flushRedis().catch(() => {});
    redis.disconnect();
    await db.$disconnect();
    const admin = new pg.Client({ connectionString: new URL('/postgres', databaseBase).toString() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch(() => {});
    await admin.end();
  }

  return { env, db, redis, prefix, databaseUrl, createBot, flushRedis, analyze, close };
}
