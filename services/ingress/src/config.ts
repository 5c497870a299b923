import { commonEnv, parseEnv, secretsEnv } from '@wabot/config';
import { z } from 'zod';

const MEBIBYTE = 1024 * 1024;

const milliseconds = (fallback: number, max: number) => z.coerce.number().int().min(1).max(max).default(fallback);

/**
 * Everything the ingress reads from its environment (docs/contract.md, Configuration), checked
 * once at start; a bad value stops the service with a message naming the variable.
 */
export const ingressConfigSchema = z.object({
  ...commonEnv,
  ...secretsEnv,
  INGRESS_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Largest webhook body accepted; larger ones get 413 before any parsing (Meta batches stay far below). */
  WEBHOOK_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(64 * MEBIBYTE)
    .default(MEBIBYTE),
  /** How long a known bot is served from memory without an announcement (safety net for a missed one). */
  BOT_CACHE_TTL_MS: milliseconds(30_000, 3_600_000),
  /** How long "no such bot" is remembered, so floods of random ids cannot hammer PostgreSQL. */
  BOT_CACHE_NEGATIVE_TTL_MS: milliseconds(5_000, 600_000),
  /** Upper bound on waiting for Redis to confirm an enqueue before answering 503. */
  ENQUEUE_TIMEOUT_MS: milliseconds(2_000, 30_000),
  /** Longest a client may take to send one whole request before the connection is dropped. */
  REQUEST_TIMEOUT_MS: milliseconds(10_000, 300_000),
  /**
   * What a 200 promises (durability.ts): `fsync` — Redis fsyncs every write (appendfsync always);
   * `replica` — WAIT for INGRESS_WAIT_REPLICAS replicas after every write; `none` — Redis's answer.
   */
  INGRESS_DURABILITY: z.enum(['fsync', 'replica', 'none']).default('fsync'),
  INGRESS_WAIT_REPLICAS: z.coerce.number().int().min(1).max(10).default(1),
  /** Longest WAIT for the replicas (replica mode) before answering 503. */
  INGRESS_WAIT_TIMEOUT_MS: milliseconds(500, 30_000),
});

export type IngressConfig = z.infer<typeof ingressConfigSchema>;

/** Parses and freezes the ingress configuration; the only reader of `process.env` in this service. */
export function loadIngressConfig(env: Record<string, string | undefined> = process.env): Readonly<IngressConfig> {
  return parseEnv(ingressConfigSchema, env);
}
