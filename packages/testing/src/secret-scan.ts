import { Redis } from 'ioredis';
import pg from 'pg';
import { scanKeys } from './test-services.js';

/** Where a secret was found in clear: its name and the record that held it. */
export interface SecretLeak {
  secret: string;
  where: string;
  /** A few characters around the match, the secret itself replaced by `<name>`. */
  excerpt: string;
}

export interface SecretScan {
  /** A secret the suite must never show: a bot credential, a key, a token. Values under 8 characters are refused (they match by chance). */
  add(name: string, value: string | Buffer): void;
  /** A text the suite produced (a log line, a response body, a queue job), under a label for the report. */
  record(where: string, text: string): void;
  /** Every row of every table of the database at `databaseUrl`, one record per row (`table <name>`). */
  recordDatabase(databaseUrl: string): Promise<void>;
  /** Every key under `prefix` in the Redis at `redisUrl` (queues, job data, caches), one record per key (`redis <key>`). */
  recordRedis(redisUrl: string, prefix: string): Promise<void>;
  /** How many records were scanned so far (a scan of nothing proves nothing: assert it is large). */
  readonly records: number;
  /** Every secret found, in clear or in a plain encoding (JSON string, base64, base64url, hex, percent-encoded). */
  leaks(): SecretLeak[];
}

const MIN_SECRET_LENGTH = 8;

/** A Redis key's value whatever its type (queue jobs are hashes, queues lists, sets and streams). */
async function readValue(redis: Redis, key: string): Promise<unknown> {
  switch (await redis.type(key)) {
    case 'string':
      return redis.get(key);
    case 'hash':
      return redis.hgetall(key);
    case 'list':
      return redis.lrange(key, 0, -1);
    case 'set':
      return redis.smembers(key);
    case 'zset':
      return redis.zrange(key, 0, -1);
    case 'stream':
      return redis.xrange(key, '-', '+');
    default:
      return null;
  }
}

/** The forms a value is found under when it was only encoded, not protected. */
function encodingsOf(value: string | Buffer): string[] {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  const forms = new Set<string>([bytes.toString('base64'), bytes.toString('base64url'), bytes.toString('hex')]);
  if (typeof value === 'string') {
    forms.add(value);
    forms.add(JSON.stringify(value).slice(1, -1));
    forms.add(encodeURIComponent(value));
  }
  // base64 of a value ends with padding that depends on the length; the unpadded body still leaks it.
  return [...forms].map((form) => form.replace(/=+$/, '')).filter((form) => form.length >= MIN_SECRET_LENGTH);
}

/**
 * A scan for secrets in clear, for any suite: register the secrets, record every log line,
 * response body, database row and Redis value the suite produced, and assert `leaks()` is empty. Encrypted
 * columns and masked hints (`EAAB…x9Q`) pass; the value itself, or an encoding of it, is a leak.
 */
export function createSecretScan(): SecretScan {
  const secrets: { name: string; forms: string[] }[] = [];
  const records: { where: string; text: string }[] = [];
  return {
    add(name, value) {
      if (value.length < MIN_SECRET_LENGTH)
        throw new Error(`secret ${name} is too short to scan for (${value.length})`);
      secrets.push({ name, forms: encodingsOf(value) });
    },
    record(where, text) {
      records.push({ where, text });
    },
    async recordDatabase(databaseUrl) {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        const tables = await client.query<{ name: string }>(
          "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
        );
        for (const { name } of tables.rows) {
          const rows = await client.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM "${name}" t`);
          for (const { row } of rows.rows) records.push({ where: `table ${name}`, text: row });
        }
      } finally {
        await client.end();
      }
    },
    async recordRedis(redisUrl, prefix) {
      const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
      await redis.connect();
      try {
        for (const key of await scanKeys(redis, `${prefix}*`)) {
          const value = await readValue(redis, key);
          records.push({ where: `redis ${key}`, text: JSON.stringify(value) });
        }
      } finally {
        redis.disconnect();
      }
    },
    get records() {
      return records.length;
    },
    leaks() {
      const found: SecretLeak[] = [];
      for (const { where, text } of records)
        for (const { name, forms } of secrets) {
          const form = forms.find((candidate) => text.includes(candidate));
          if (form === undefined) continue;
          const at = text.indexOf(form);
          const excerpt = `${text.slice(Math.max(0, at - 40), at)}<${name}>${text.slice(at + form.length, at + form.length + 40)}`;
          found.push({ secret: name, where, excerpt });
        }
      return found;
    },
  };
}
