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

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Environment fragments shared by every service (shared/CONTRACT.md, Configuration). */
export const commonEnv = {
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  REDIS_URL: url(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
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

export const envHelpers = { port, url, booleanFlag };
