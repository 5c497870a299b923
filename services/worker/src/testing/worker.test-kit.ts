import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publishBotChanged } from '@wabot/bot-registry';
import type { MetaWebhookJob } from '@wabot/contracts';
import { createBotRepository, createWorkspaceRepository, type Database } from '@wabot/db';
import { type LlmSimulator, startLlmSimulator } from '@wabot/llm-simulator';
import { createCaptureStream, createLogger, type Logger } from '@wabot/logger';
import {
  buildInboundMessage,
  buildWebhookBody,
  createSimUser,
  type GraphSimulator,
  type InboundContent,
  type SimUser,
  type StatusValue,
  startGraphSimulator,
  type WebhookBusiness,
} from '@wabot/meta-simulator';
import type { RedisClient } from '@wabot/queue';
import {
  createProducer,
  createRedisConnection,
  createShardedProducer,
  type ShardedProducer,
  type TypedProducer,
} from '@wabot/queue';
import { createSecretBox, DEVELOPMENT_SECRETS_KEY } from '@wabot/secrets';
import { createTestBot, type TestDatabase, type TestRedis, useTestDatabase, useTestRedis } from '@wabot/testing';
import { signWebhookBody } from '@wabot/whatsapp';
import type { JobType } from 'bullmq';
import { afterAll, beforeAll } from 'vitest';
import { type WorkerConfig, workerConfigSchema } from '../config.js';
import type { BotEngine } from '../engine/bot-engine.js';
import type { WorkerDeps } from '../worker-deps.js';
import { createWorkerRuntime, type WorkerRuntime } from '../worker-runtime.js';

/** Test-only helpers: real Redis/PostgreSQL, the Graph simulator and a fake LLM around worker runtimes. */

export interface TestBot {
  id: string;
  phoneNumberId: string;
  accessToken: string;
  systemPrompt: string;
  /** Null: the bot accepts unsigned webhooks (the default here). */
  appSecret?: string | null;
  /** Another workspace than the kit's. */
  workspaceId?: string;
}

export interface TextSpec {
  id?: string;
  from: string;
  text: string;
  /** Epoch seconds (default now). */
  timestamp?: number;
  name?: string;
}

const secretBox = createSecretBox(DEVELOPMENT_SECRETS_KEY);
let counter = 0;
const unique = () => `${Date.now().toString(36)}${(++counter).toString(36)}${randomBytes(3).toString('hex')}`;

/** A webhook POST of `payload` to `bot`, as the ingress stores it (with Meta's signature when the bot checks them). */
const webhookEvent = (bot: { id: string; appSecret?: string | null }, payload: unknown): MetaWebhookJob => {
  const rawBody = JSON.stringify(payload);
  return {
    botId: bot.id,
    rawBody,
    receivedAt: Date.now(),
    requestId: unique(),
    ...(bot.appSecret ? { signature: signWebhookBody(bot.appSecret, rawBody) } : {}),
  };
};

/** A wamid-like id. */
export const newWamid = () => `wamid.TEST${unique()}`;

/** The simulated business of a test bot (envelope fields of every webhook). */
export const businessOf = (bot: { phoneNumberId: string }): WebhookBusiness => ({
  phoneNumberId: bot.phoneNumberId,
  displayPhoneNumber: '15550001234',
  wabaId: '102000000000001',
});

const nowSeconds = () => String(Math.floor(Date.now() / 1000));

/** A Meta webhook body with text messages for one phone number (the simulator's builders). */
export function textWebhook(bot: { phoneNumberId: string }, messages: TextSpec[]) {
  const users = new Map<string, SimUser>();
  for (const m of messages) {
    if (!users.has(m.from)) users.set(m.from, createSimUser({ name: m.name ?? 'Test User', waId: m.from }));
  }
  return buildWebhookBody(businessOf(bot), {
    contacts: [...users.values()],
    messages: messages.map((m) =>
      buildInboundMessage(
        businessOf(bot),
        users.get(m.from) ?? createSimUser({ name: 'Test User', waId: m.from }),
        { type: 'text', body: m.text },
        { id: m.id ?? newWamid(), timestamp: String(m.timestamp ?? nowSeconds()) },
      ),
    ),
  });
}

/** A Meta webhook body with one message of any content (e.g. media from `graph.media.register`) from `from`. */
export function contentWebhook(bot: { phoneNumberId: string }, from: string, content: InboundContent, id = newWamid()) {
  const user = createSimUser({ name: 'Test User', waId: from });
  return buildWebhookBody(businessOf(bot), {
    contacts: [user],
    messages: [buildInboundMessage(businessOf(bot), user, content, { id, timestamp: nowSeconds() })],
  });
}

/** A Meta webhook body with status updates (errors passed through as given). */
export function statusWebhook(
  bot: { phoneNumberId: string },
  statuses: {
    id: string;
    status: StatusValue;
    recipient: string;
    timestamp?: number;
    errors?: unknown[];
    bizOpaqueCallbackData?: string;
  }[],
) {
  return buildWebhookBody(businessOf(bot), {
    statuses: statuses.map((s) => ({
      id: s.id,
      status: s.status,
      timestamp: String(s.timestamp ?? nowSeconds()),
      recipient_id: s.recipient,
      ...(s.errors ? { errors: s.errors } : {}),
      ...(s.bizOpaqueCallbackData ? { biz_opaque_callback_data: s.bizOpaqueCallbackData } : {}),
    })),
  });
}

export interface WorkerKit {
  readonly graph: GraphSimulator;
  readonly llm: LlmSimulator;
  readonly config: WorkerConfig;
  readonly logs: ReturnType<typeof createCaptureStream>;
  readonly logger: Logger;
  readonly redis: RedisClient;
  /** The stage-1 producers, one per shard (the kit writes each bot's webhooks to its shard, as the ingress does). */
  readonly webhooks: ShardedProducer;
  readonly outbound: TypedProducer<'outbound'>;
  /** Starts one more worker runtime (as a separate worker process would). */
  startWorker(overrides?: Partial<WorkerConfig>, options?: StartWorkerOptions): Promise<WorkerRuntime>;
  /** Job counts summed over every stage-1 shard queue. */
  webhookJobCounts(...states: JobType[]): Promise<Record<string, number>>;
  /** A bot with these settings; `llmApiKey` is its own provider key (settings.llm.provider). */
  createBot(
    settings?: Record<string, unknown>,
    overrides?: Partial<TestBot> & { llmApiKey?: string },
  ): Promise<TestBot>;
  /** Enqueues a webhook POST exactly as the ingress does (the bot's shard queue); resolves with the job id. */
  deliver(bot: TestBot, payload: unknown): Promise<string>;
  /** Enqueues several webhook POSTs as ONE job, as the ingress's group commit does; resolves with the job id. */
  deliverBatch(bot: TestBot, payloads: unknown[]): Promise<string>;
  /** Enqueues many webhook POSTs of one bot in one round trip (a burst, as at peak traffic), one job each. */
  deliverMany(bot: TestBot, payloads: unknown[]): Promise<void>;
  /** Replaces the bot's access token the way the admin API does (new cipher, status ok, version bump, announcement). */
  replaceToken(bot: TestBot, accessToken: string): Promise<void>;
  close(): Promise<void>;
}

interface StartWorkerOptions {
  engine?: BotEngine;
  /** Wraps the handlers' dependencies (fault injection; see WorkerRuntimeOptions.wrapDeps). */
  wrapDeps?: (deps: WorkerDeps) => WorkerDeps;
}

/** A worker test environment on the test file's database and Redis prefix. */
async function createWorkerKit(options: {
  db: Database;
  databaseUrl: string;
  redisUrl: string;
  /** Seeds of a Redis Cluster to run on instead of the Redis at `redisUrl`. */
  redisClusterNodes?: string[] | undefined;
  prefix: string;
  config?: Partial<Record<keyof WorkerConfig, string>>;
}): Promise<WorkerKit> {
  const graph = await startGraphSimulator();
  const llm = await startLlmSimulator();
  // MEDIA_STORE (inbound files, operators' uploads): a directory of the kit's own, removed with it.
  const mediaDir = await mkdtemp(join(tmpdir(), 'wabot-worker-media-'));
  const config = workerConfigSchema.parse({
    NODE_ENV: 'test',
    MEDIA_STORE: mediaDir,
    LOG_LEVEL: 'debug',
    REDIS_URL: options.redisUrl,
    REDIS_CLUSTER_NODES: options.redisClusterNodes?.join(','),
    REDIS_PREFIX: options.prefix,
    DATABASE_URL: options.databaseUrl,
    GRAPH_API_BASE_URL: graph.url,
    LLM_BASE_URL: llm.url,
    LLM_API_KEY: 'test-key',
    LLM_MODEL: 'test-model',
    LLM_TIMEOUT_MS: '1000',
    LLM_RETRIES: '1',
    LLM_RETRY_BASE_MS: '20',
    WORKER_CONCURRENCY: '4',
    GRAPH_RETRY_BASE_MS: '20',
    GRAPH_RETRY_CAP_MS: '200',
    GRAPH_TIMEOUT_MS: '3000',
    PAIR_RATE_BASE_MS: '50',
    CREDENTIALS_RECHECK_MS: '200',
    STALLED_INTERVAL_MS: '1000',
    JOB_LOCK_MS: '2000',
    CONVERSATION_LOCK_TTL_MS: '3000',
    // A dropped connection leaves its part in flight: its retry waits this long for a status.
    SEND_IN_FLIGHT_WAIT_MS: '500',
    ...options.config,
  });
  const logs = createCaptureStream();
  const logger = createLogger({ name: 'worker-test', level: 'debug', destination: logs });
  const target = { url: options.redisUrl, clusterNodes: options.redisClusterNodes };
  const redis = createRedisConnection(target, 'client');
  const producerConnection = createRedisConnection(target, 'client');
  const webhooks = createShardedProducer(producerConnection, options.prefix, config.WEBHOOK_SHARDS);
  const outbound = createProducer('outbound', producerConnection, options.prefix);
  const runtimes: WorkerRuntime[] = [];
  const workspace = await createWorkspaceRepository(options.db).create(`ws-${unique()}`);

  return {
    graph,
    llm,
    config,
    logs,
    logger,
    redis,
    webhooks,
    outbound,
    async startWorker(overrides = {}, { engine, wrapDeps } = {}) {
      const runtime = await createWorkerRuntime(
        { ...config, ...overrides },
        { logger, ...(engine ? { engine } : {}), ...(wrapDeps ? { wrapDeps } : {}) },
      );
      runtimes.push(runtime);
      await Promise.all(runtime.pool.workers.map((worker) => worker.waitUntilReady()));
      return runtime;
    },
    async createBot(settings = {}, overrides = {}) {
      const id = overrides.id ?? `bt_${unique()}`;
      const bot = await createTestBot(options.db, secretBox, {
        workspaceId: overrides.workspaceId ?? workspace.id,
        id,
        phoneNumberId:
          overrides.phoneNumberId ?? `1${String(Date.now()).slice(-8)}${String(++counter).padStart(5, '0')}`,
        accessToken: overrides.accessToken ?? `EAAT${unique()}`,
        systemPrompt: overrides.systemPrompt ?? `You are test bot ${id}.`,
        appSecret: overrides.appSecret ?? null,
        verifyToken: 'verify',
        llmApiKey: overrides.llmApiKey ?? null,
        settings,
      });
      return {
        id,
        phoneNumberId: bot.phoneNumberId,
        accessToken: bot.accessToken,
        systemPrompt: bot.systemPrompt,
        appSecret: overrides.appSecret ?? null,
      };
    },
    async webhookJobCounts(...states) {
      const counts = await Promise.all(webhooks.producers.map((p) => p.queue.getJobCounts(...states)));
      const total: Record<string, number> = {};
      for (const one of counts) for (const [state, n] of Object.entries(one)) total[state] = (total[state] ?? 0) + n;
      return total;
    },
    async deliver(bot, payload) {
      const { id } = await webhooks.forBot(bot.id).add('meta-webhook', webhookEvent(bot, payload));
      return id;
    },
    async deliverBatch(bot, payloads) {
      const { id } = await webhooks.forBot(bot.id).add('meta-webhook-batch', {
        events: payloads.map((payload) => webhookEvent(bot, payload)),
      });
      return id;
    },
    async deliverMany(bot, payloads) {
      await webhooks
        .forBot(bot.id)
        .queue.addBulk(payloads.map((payload) => ({ name: 'meta-webhook', data: webhookEvent(bot, payload) })));
    },
    async replaceToken(bot, accessToken) {
      const updated = await createBotRepository(options.db).update(bot.id, {
        accessTokenCipher: secretBox.seal(accessToken),
        credentialsStatus: 'ok',
        credentialsError: null,
        credentialsErrorCode: null,
      });
      bot.accessToken = accessToken;
      await publishBotChanged(redis, options.prefix, { botId: bot.id, version: updated.version });
    },
    async close() {
      await Promise.allSettled(runtimes.map((runtime) => runtime.close()));
      await Promise.allSettled([webhooks.close(), outbound.close()]);
      redis.disconnect();
      producerConnection.disconnect();
      await Promise.allSettled([graph.close(), llm.close()]);
      await rm(mediaDir, { recursive: true, force: true });
    },
  };
}

export { eventually } from '@wabot/testing';

/** A kit on a test file's own database and Redis (a single Redis, or the cluster project's cluster). */
export function createWorkerKitOn(
  database: TestDatabase,
  redis: TestRedis,
  config?: Partial<Record<keyof WorkerConfig, string>>,
): Promise<WorkerKit> {
  return createWorkerKit({
    db: database.db,
    databaseUrl: database.url,
    redisUrl: redis.url,
    redisClusterNodes: redis.clusterNodes,
    prefix: redis.prefix,
    ...(config ? { config } : {}),
  });
}

/**
 * The environment of a real worker process (services/worker/dist/main.js) on the kit's simulated
 * Graph API and fake LLM and the file's database and Redis, with the short stalled-job and lock
 * timings the crash tests rely on.
 */
export function workerProcessEnv(kit: WorkerKit, database: TestDatabase, redis: TestRedis): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    ...redis.env,
    REDIS_PREFIX: redis.prefix,
    DATABASE_URL: database.url,
    GRAPH_API_BASE_URL: kit.graph.url,
    LLM_BASE_URL: kit.llm.url,
    LLM_API_KEY: 'test-key',
    LLM_MODEL: 'test-model',
    LLM_TIMEOUT_MS: '15000',
    WORKER_CONCURRENCY: '4',
    STALLED_INTERVAL_MS: '1000',
    JOB_LOCK_MS: '2000',
    CONVERSATION_LOCK_TTL_MS: '3000',
    GRAPH_RETRY_BASE_MS: '20',
    SEND_IN_FLIGHT_WAIT_MS: '5000',
  };
}

/** Faults injected into stage 1's dependencies (bot lookups, status writes) of the runtimes it wraps. */
export interface Stage1Faults {
  /** The next `times` lookups of `botId` throw (stage 1 looks a bot up before anything else). */
  failLookups(botId: string, times: number): void;
  /** Every status update for the message `wamid` throws, until {@link clear} (a poison webhook). */
  failStatus(wamid: string): void;
  clear(): void;
  /** Faults thrown so far. */
  readonly injected: number;
  /** Pass to `startWorker` / `useWorkerKit` (WorkerRuntimeOptions.wrapDeps). */
  readonly wrapDeps: (deps: WorkerDeps) => WorkerDeps;
}

export function createStage1Faults(): Stage1Faults {
  const lookups = new Map<string, number>();
  const statuses = new Set<string>();
  let injected = 0;
  const fault = (what: string) => {
    injected++;
    return new Error(`injected fault: ${what}`);
  };
  return {
    failLookups: (botId, times) => lookups.set(botId, times),
    failStatus: (wamid) => statuses.add(wamid),
    clear() {
      lookups.clear();
      statuses.clear();
    },
    get injected() {
      return injected;
    },
    wrapDeps: (deps) => {
      const { registry, store } = deps;
      return {
        ...deps,
        registry: {
          async get(botId) {
            const left = lookups.get(botId) ?? 0;
            if (left > 0) {
              lookups.set(botId, left - 1);
              throw fault(`bot lookup ${botId}`);
            }
            return registry.get(botId);
          },
          findByPhoneNumber: (workspaceId, phoneNumberId) => registry.findByPhoneNumber(workspaceId, phoneNumberId),
          invalidate: (botId) => registry.invalidate(botId),
          start: () => registry.start(),
          close: () => registry.close(),
          get databaseLookups() {
            return registry.databaseLookups;
          },
          get cachedBots() {
            return registry.cachedBots;
          },
        },
        store: {
          ...store,
          async applyStatus(botId, update) {
            if (statuses.has(update.messageId)) throw fault(`status of ${update.messageId}`);
            return store.applyStatus(botId, update);
          },
        },
      };
    },
  };
}

export interface WorkerKitFixture {
  /** The kit (ready inside tests and later `beforeAll` hooks). */
  readonly kit: WorkerKit;
  /** The runtimes started for the file, in order (`workers` of them). */
  readonly runtimes: readonly WorkerRuntime[];
  /** The first of them (ready inside tests and later `beforeAll` hooks; none started is an error). */
  readonly runtime: WorkerRuntime;
  readonly database: { readonly current: TestDatabase };
  readonly redis: { readonly current: TestRedis };
}

/**
 * The usual set-up of a worker test file: its own database and Redis prefix, a kit on them with
 * `workers` runtimes started before the tests, everything closed after.
 */
export function useWorkerKit(
  options: {
    config?: Partial<Record<keyof WorkerConfig, string>>;
    workers?: number;
    /** Wraps every started runtime's handler dependencies (e.g. {@link Stage1Faults}). */
    wrapDeps?: (deps: WorkerDeps) => WorkerDeps;
  } = {},
): WorkerKitFixture {
  const database = useTestDatabase();
  const redis = useTestRedis();
  let kit: WorkerKit | undefined;
  const runtimes: WorkerRuntime[] = [];
  beforeAll(async () => {
    kit = await createWorkerKitOn(database.current, redis.current, options.config);
    const start = options.wrapDeps ? { wrapDeps: options.wrapDeps } : {};
    for (let i = 0; i < (options.workers ?? 1); i++) runtimes.push(await kit.startWorker({}, start));
  });
  afterAll(async () => {
    await kit?.close();
  });
  return {
    get kit() {
      if (!kit) throw new Error('useWorkerKit: kit not ready (used outside a test?)');
      return kit;
    },
    runtimes,
    get runtime() {
      const [first] = runtimes;
      if (!first) throw new Error('useWorkerKit: no worker runtime started');
      return first;
    },
    database,
    redis,
  };
}
