import { isIP } from 'node:net';
import os from 'node:os';
import { commonEnv, envHelpers, graphEnv, llmEnv, parseEnv, secretsEnv } from '@wabot/config';
import { mediaStoreEnv } from '@wabot/media-store';
import { z } from 'zod';

const ms = (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback);

const HOST_NAME =
  /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$/i;

/** A host name, an IP address or a CIDR range (`10.0.0.0/8`, `fd00::/8`). */
function isHostEntry(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  if (rest.length) return false;
  if (prefix === undefined) return isIP(address.replace(/^\[(.*)\]$/, '$1')) !== 0 || HOST_NAME.test(address);
  const bits = Number(prefix);
  const version = isIP(address);
  return version !== 0 && Number.isInteger(bits) && bits >= 0 && bits <= (version === 4 ? 32 : 128);
}

/** Comma-separated host names, IP addresses or CIDR ranges → the list (empty when unset); every bad entry is named. */
const hostList = z
  .string()
  .optional()
  .transform((value, ctx) => {
    const entries = (value ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean);
    const bad = entries.filter((entry) => !isHostEntry(entry));
    if (bad.length) {
      ctx.addIssue({
        code: 'custom',
        message: `${bad.map((entry) => JSON.stringify(entry)).join(', ')} not a host name, IP address or CIDR range (expected e.g. tools.internal,10.1.2.3,192.168.0.0/16)`,
      });
      return z.NEVER;
    }
    return entries;
  });

/**
 * The worker's environment (docs/contract.md, Configuration). The tuning knobs below the
 * contract's variables have production defaults; tests shrink them to stay fast.
 */
export const workerConfigSchema = z.object({
  ...commonEnv,
  ...graphEnv,
  ...llmEnv,
  ...secretsEnv,
  WORKER_PORT: envHelpers.port(3002),
  /** Jobs in flight per process and queue; most time is spent waiting on the LLM and Graph API. */
  WORKER_CONCURRENCY: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(Math.max(8, 8 * os.availableParallelism())),
  /**
   * OS scheduling niceness of the worker process (0 = normal, 19 = lowest). Where workers share
   * cores with the ingress, a positive value lets the ingress ACK Meta at once under a burst while
   * the durable backlog waits a moment; with cores of their own it changes nothing.
   */
  WORKER_NICE: z.coerce.number().int().min(0).max(19).default(0),
  /** Per-conversation lock lifetime; renewed every third of it while a drain works. */
  CONVERSATION_LOCK_TTL_MS: ms(30_000, 1_000),
  /** Most messages one turn answers together (bot settings.turn); the rest form the next turn. */
  TURN_MAX_MESSAGES: z.coerce.number().int().min(1).max(500).default(50),
  /** How often a turn being generated checks its inbox for a newer message that supersedes it. */
  TURN_POLL_MS: ms(150, 10),
  /** Meta dismisses the typing indicator after 25 s: it is re-sent this often while a turn waits or generates. */
  TYPING_REFRESH_MS: ms(20_000, 10),
  /** How long the first reply part waits for the read receipt to be accepted. */
  READ_RECEIPT_WAIT_MS: ms(2_000),
  /** In-process retries of a retryable Graph error before the job is handed back to BullMQ. */
  GRAPH_SEND_RETRIES: z.coerce.number().int().min(0).max(20).default(3),
  GRAPH_RETRY_BASE_MS: ms(500, 1),
  GRAPH_RETRY_CAP_MS: ms(30_000, 1),
  GRAPH_TIMEOUT_MS: ms(15_000, 100),
  /** Unit of the 4^n back-off after Meta's pair rate limit (131056), capped at 300 units (`pairRateLimitDelayMs`). */
  PAIR_RATE_BASE_MS: ms(1_000, 1),
  /** How often a conversation held by broken credentials re-checks whether the token was replaced. */
  CREDENTIALS_RECHECK_MS: ms(30_000, 10),
  /**
   * Budget of one turn's engine work (every model call of its tool loop and every tool call);
   * past it the attempt fails like an LLM timeout (retried within DELIVERY_RETRY_BUDGET_MS, then
   * the message is `failed` with the reason).
   */
  ENGINE_TURN_TIMEOUT_MS: ms(120_000, 100),
  /** In-process retries of the LLM on 429/5xx/timeouts before the job is handed back to BullMQ. */
  LLM_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
  LLM_RETRY_BASE_MS: ms(500, 1),
  /**
   * PostgreSQL connections of this process's hot-path pool (Prisma adds 3 for rare paths).
   * Default from WORKER_CONCURRENCY: a job holds a connection only for the few milliseconds of
   * one statement, so a quarter of the jobs in flight, between 4 and 20 — 2 workers × 23 stay
   * well under PostgreSQL's default max_connections (100).
   */
  WORKER_DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).optional(),
  /**
   * How long a message that keeps failing for a retryable reason (Graph API unreachable or 5xx,
   * LLM unreachable) is retried, from its first failure, before it is recorded `failed` with the
   * reason (docs/contract.md, Diagnostics). Minutes, not days.
   */
  DELIVERY_RETRY_BUDGET_MS: ms(300_000, 0),
  /** In-process retries of recording a part Meta accepted (a failed job would re-send it). */
  RECORD_SENT_RETRIES: z.coerce.number().int().min(0).max(20).default(6),
  RECORD_SENT_RETRY_BASE_MS: ms(50, 1),
  /**
   * How long, from its earlier claim, a recovered job waits for the status webhook of a part whose
   * send was in flight at a crash (Meta echoes the part id in biz_opaque_callback_data) before it
   * sends the part again. 0: never wait (the duplicate window of a crash stays open).
   */
  SEND_IN_FLIGHT_WAIT_MS: ms(15_000),
  /**
   * Longest wait before retrying work that failed because a dependency was unreachable
   * (PostgreSQL, Redis, no answer or 5xx from the Graph API or the LLM): the backlog resumes
   * about this soon after the dependency is back, however long the outage lasted. 0: no cap
   * (outage errors back off exponentially like any other failure).
   */
  OUTAGE_RETRY_MS: ms(1_000),
  /** BullMQ stalled-job check; a SIGKILLed worker's job is retried after at most about twice this. */
  STALLED_INTERVAL_MS: ms(5_000, 500),
  /** BullMQ job lock lifetime (renewed at half of it by a live worker). */
  JOB_LOCK_MS: ms(10_000, 1_000),
  /**
   * How long a failing stage-1 job is retried in process (back-off doubling from 100 ms, at most
   * 5 s) before it fails for good (dead letter) and its shard moves on. Only its own shard waits.
   */
  STAGE1_RETRY_BUDGET_MS: ms(120_000, 0),
  /**
   * Human takeover sweep, every this often in each worker: unassigned handoffs past their bot's
   * `settings.handoff.unassigned_alert_after_s` raise `handoff.waiting` (once per handoff,
   * fleet-wide), and conversations still a person's `RESUME_SWEEP_GRACE_MS` after their
   * `resume_at` (the resume job lost with Redis) get their resume job again.
   */
  TAKEOVER_SWEEP_MS: ms(5_000, 50),
  /** A turn being generated checks this often whether its conversation was handed over (then drops its reply). */
  HANDOFF_POLL_MS: ms(500, 10),
  RESUME_SWEEP_GRACE_MS: ms(60_000, 0),
  /**
   * Hosts HTTP tools may reach although the SSRF guard refuses them (loopback, private,
   * link-local): host names, IP addresses or CIDR ranges, comma-separated. The platform's own
   * database, Redis and this worker's port stay refused.
   */
  TOOL_ALLOWED_HOSTS: hostList,
  ...mediaStoreEnv,
  /**
   * OpenAI-compatible speech to text (`POST {STT_BASE_URL}/audio/transcriptions`); unset: voice
   * notes reach the engine as `[Voice message]` (docs/contract.md, Media).
   */
  STT_BASE_URL: envHelpers.url(['http:', 'https:']).optional(),
  STT_API_KEY: z.string().optional(),
  STT_MODEL: z.string().min(1).default('whisper-1'),
  STT_TIMEOUT_MS: ms(30_000, 100),
  /**
   * Most time the media of one turn may take (fetch, store, transcribe) before the engine is asked
   * anyway, with the placeholder for what is not ready (docs/adr/0009-inbound-media.md).
   */
  MEDIA_BUDGET_MS: ms(20_000, 100),
  /** Lookups of a media id per file: a download answering 404 (an expired URL) asks for a new URL. */
  MEDIA_FETCH_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  /** How often the retention job removes files older than each bot's settings.media_retention_days. */
  MEDIA_RETENTION_INTERVAL_MS: ms(3_600_000, 1_000),
});

export type WorkerConfig = z.infer<typeof workerConfigSchema>;

/** Connections of the process's PostgreSQL pool (WORKER_DB_POOL_SIZE, else derived from the concurrency). */
export const dbPoolSize = (config: Pick<WorkerConfig, 'WORKER_DB_POOL_SIZE' | 'WORKER_CONCURRENCY'>) =>
  config.WORKER_DB_POOL_SIZE ?? Math.min(20, Math.max(4, Math.ceil(config.WORKER_CONCURRENCY / 4)));

/** Reads and validates the worker's environment once; every bad key is reported together. */
export function loadWorkerConfig(env: Record<string, string | undefined> = process.env): Readonly<WorkerConfig> {
  return parseEnv(workerConfigSchema, env);
}
