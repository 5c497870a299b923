import { DEFAULT_WEBHOOK_SHARDS, MAX_WEBHOOK_SHARDS } from '@wabot/contracts';
import { z } from 'zod';

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

const url = (protocols: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    `must be a URL with protocol ${protocols.join(' or ')}`,
  );

// `host:port`, the host a name, an IPv4 address or a bracketed IPv6 address (`[::1]:7000`).
const seedPattern = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?):(\d{1,5})$/;

/** Whether `seed` is `host:port` with a port from 1 to 65535. */
function isRedisSeed(seed: string): boolean {
  const match = seedPattern.exec(seed);
  const port = Number(match?.[1]);
  return port >= 1 && port <= 65535;
}

/**
 * Comma-separated `host:port` seeds of a Redis Cluster (surrounding spaces ignored) → the seeds;
 * unset or empty → undefined (a single Redis at REDIS_URL). Every bad seed is named.
 */
const redisSeeds = z
  .string()
  .optional()
  .transform((value, ctx) => {
    if (value === undefined || value.trim() === '') return undefined;
    const seeds = value.split(',').map((seed) => seed.trim());
    const bad = seeds.filter((seed) => !isRedisSeed(seed));
    if (bad.length) {
      ctx.addIssue({
        code: 'custom',
        message: `${bad.map((seed) => JSON.stringify(seed)).join(', ')} not host:port with a port 1-65535 (expected comma-separated seeds, e.g. 10.0.0.1:7000,10.0.0.2:7000)`,
      });
      return z.NEVER;
    }
    return seeds;
  });

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Environment fragments shared by every service (docs/contract.md, Configuration). */
export const commonEnv = {
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** Listen address; unset: 127.0.0.1 outside production (nothing on the network), 0.0.0.0 in production. */
  HOST: z.preprocess((value) => (value === '' ? undefined : value), z.string().min(1).optional()),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `auto`: readable lines at a terminal, JSON otherwise; `json` or `pretty` to force one. */
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  REDIS_URL: url(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
  /**
   * Seeds of a Redis Cluster, used instead of REDIS_URL's host (REDIS_URL then lends only its
   * credentials and TLS); unset means a single Redis at REDIS_URL.
   */
  REDIS_CLUSTER_NODES: redisSeeds,
  /** Prefix of every Redis key this deployment writes (BullMQ queues included); lets tests and tenants share a server. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'letters, digits, _ . : - only')
    .default('wabot'),
  DATABASE_URL: url(['postgresql:', 'postgres:']).default('postgresql://postgres@127.0.0.1:5432/wabot'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /**
   * Stage-1 queues (`{webhooks-0}` … `{webhooks-<n-1>}`): a bot's webhooks all go to one of them,
   * each run one job at a time by the whole fleet. Ingress, worker and admin must agree; the
   * value is recorded in Redis and compared at start.
   */
  WEBHOOK_SHARDS: z.coerce.number().int().min(1).max(MAX_WEBHOOK_SHARDS).default(DEFAULT_WEBHOOK_SHARDS),
};

export const graphEnv = {
  GRAPH_API_BASE_URL: url(['http:', 'https:']).default('https://graph.facebook.com'),
  GRAPH_API_VERSION: z
    .string()
    .regex(/^v\d+\.\d+$/, 'must look like v25.0')
    .default('v25.0'),
};

/** SECRETS_KEY: 32 bytes, base64. Optional here; services decide what a missing key means (dev key vs. refusal). */
export const secretsEnv = {
  SECRETS_KEY: z
    .string()
    .optional()
    .refine(
      (v) => v === undefined || v === '' || Buffer.from(v, 'base64').length === 32,
      'must be 32 bytes, base64-encoded',
    ),
  /** Older keys still able to decrypt, as `id:base64,id:base64` (rotation). */
  SECRETS_KEY_PREVIOUS: z.string().optional(),
};

export const llmEnv = {
  LLM_BASE_URL: url(['http:', 'https:']).optional(),
  LLM_API_KEY: z.string().optional(),
  LLM_MODEL: z.string().optional(),
  LLM_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
};

/**
 * MEDIA_STORE (shared contract): where media files are kept, read by the admin (operators'
 * uploads) and the worker (their send). A directory, relative to the working directory; the
 * `s3://bucket/prefix` form of the contract is not supported yet.
 */
export const mediaStoreEnv = {
  MEDIA_STORE: z
    .string()
    .trim()
    .min(1)
    .default('.wabot/media')
    .refine((value) => !/^s3:\/\//i.test(value), 'an s3:// store is not supported yet: set a directory'),
};

export const envHelpers = { port, url, booleanFlag, redisSeeds };

/** The address a service listens on: HOST, or loopback outside production and every interface in it. */
export function listenHostOf(config: {
  HOST?: string | undefined;
  NODE_ENV: 'development' | 'production' | 'test';
}): string {
  return config.HOST ?? (config.NODE_ENV === 'production' ? '0.0.0.0' : '127.0.0.1');
}
