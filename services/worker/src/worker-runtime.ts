import { createBotDiagnostics, createBotRegistry } from '@wabot/bot-registry';
import {
  type DeploymentEngine,
  deploymentEngineKey,
  MEDIA_RETENTION_SCHEDULER,
  physicalQueueName,
  webhookQueueNames,
} from '@wabot/contracts';
import {
  createBotRepository,
  createBotToolRepository,
  createDatabaseClient,
  createInboundMediaRepository,
  createMessageRepository,
  createOutboundMediaRepository,
  createSqlPool,
  createToolCallRepository,
  type Database,
} from '@wabot/db';
import { createHttpToolRunner } from '@wabot/http-tools';
import type { Logger } from '@wabot/logger';
import { createMediaStore } from '@wabot/media-store';
import { mediaFilesIn } from '@wabot/outbound-media';
import type { RedisClient } from '@wabot/queue';
import {
  createLiveEventPublisher,
  createProducer,
  createRedisConnection,
  logQueueErrors,
  redisTargetOf,
  verifyWebhookShardsWhenReachable,
} from '@wabot/queue';
import { createSecretBox, loadSecretKeys } from '@wabot/secrets';
import { createMetricsRegistry } from '@wabot/service-runtime';
import { createGraphClient, createMediaClient } from '@wabot/whatsapp';
import { Queue } from 'bullmq';
import type { Registry } from 'prom-client';
import { dbPoolSize, type WorkerConfig } from './config.js';
import { createBotHealth } from './delivery/bot-health.js';
import { createGraphDelivery } from './delivery/graph-delivery.js';
import { createRateLimiter } from './delivery/rate-limiter.js';
import type { BotEngine } from './engine/bot-engine.js';
import { createEngine } from './engine/create-engine.js';
import { createBotTools } from './engine/http-tools/bot-tools.js';
import { platformEndpoints } from './engine/http-tools/platform-endpoints.js';
import { releaseHeldForCredentials } from './handlers/held-for-credentials.js';
import { createConversationInbox } from './inbox/conversation-inbox.js';
import { warnAboutLegacyQueues } from './legacy-queues.js';
import { createSpeechToText } from './media/speech-to-text.js';
import { createWorkerMetrics } from './metrics.js';
import { startTakeoverSweep } from './takeover/takeover-sweep.js';
import type { WorkerDeps } from './worker-deps.js';
import { startWorkerPool, type WorkerPool } from './workers.js';

export interface WorkerRuntime {
  readonly deps: WorkerDeps;
  readonly pool: WorkerPool;
  readonly db: Database;
  readonly redis: RedisClient;
  readonly metricsRegistry: Registry;
  /** Stops taking jobs, finishes those in flight, closes every connection. */
  close(): Promise<void>;
}

export interface WorkerRuntimeOptions {
  logger: Logger;
  /** Overrides the engine chosen from the config (tests). */
  engine?: BotEngine;
  /** Tests: wraps the handlers' dependencies, e.g. to inject a fault into stage 1's registry or store. */
  wrapDeps?: (deps: WorkerDeps) => WorkerDeps;
}

/** Connections of Prisma's pool (cold paths). */
const PRISMA_POOL_SIZE = 3;

/** Stage-1 in-process back-off: doubling from this … */
const STAGE1_RETRY_BASE_MS = 100;
/** … up to this. */
const STAGE1_RETRY_CAP_MS = 5_000;

/**
 * Wires a worker process: PostgreSQL, Redis connections, bot registry (with change
 * announcements), Graph client, engine, rate limiter, metrics and the BullMQ workers of every
 * queue. Several runtimes may run in one process (tests) or across machines.
 */
export async function createWorkerRuntime(config: WorkerConfig, options: WorkerRuntimeOptions): Promise<WorkerRuntime> {
  const { logger } = options;
  const prefix = config.REDIS_PREFIX;
  // The hot path's own SQL gets the pool sized from the concurrency; Prisma (bot registry, status
  // webhooks, rare paths) a small one.
  const sql = createSqlPool(config.DATABASE_URL, { max: dbPoolSize(config), logger });
  const db = createDatabaseClient(config.DATABASE_URL, { poolSize: PRISMA_POOL_SIZE, logger });
  // Auto-pipelining on the connection of the handlers' own scripts (inbox, rate limiter):
  // the commands of many jobs issued in one event-loop turn go out in one socket write. No BullMQ
  // object may use it: BullMQ defines its ~50 scripts on its connection, and ioredis copies every
  // defined script onto the pipeline it builds per tick (≈ 70 µs each, 5 % of a worker's CPU when
  // the queues below lived here). BullMQ's producer, queues and workers get plain connections.
  const target = redisTargetOf(config);
  const redis = createRedisConnection(target, 'client', { enableAutoPipelining: true }, logger);
  const workerConnection = createRedisConnection(target, 'worker', {}, logger);
  const producerConnection = createRedisConnection(target, 'producer', {}, logger);
  const subscriber = createRedisConnection(target, 'worker', {}, logger);
  const keys = loadSecretKeys({
    SECRETS_KEY: config.SECRETS_KEY,
    SECRETS_KEY_PREVIOUS: config.SECRETS_KEY_PREVIOUS,
    production: config.NODE_ENV === 'production',
  });
  // A bot change (e.g. a replaced token) releases the conversations held for its credentials at once.
  let onBotChanged: (botId: string) => void = () => {};
  const bots = createBotRepository(db);
  const secretBox = createSecretBox(keys.current, keys.previous);
  const registry = createBotRegistry({
    bots,
    secretBox,
    subscriber,
    prefix,
    logger,
    onChange: (botId) => onBotChanged(botId),
  });
  const closeConnections = async () => {
    await Promise.allSettled([registry.close(), db.$disconnect(), sql.end()]);
    for (const connection of [redis, workerConnection, producerConnection, subscriber]) connection.disconnect();
  };
  try {
    // Every ingress and worker must route a bot to the same shard: a mismatch stops the start
    // (while Redis is away this waits for it, as the rest of the start does).
    await verifyWebhookShardsWhenReachable(redis, prefix, config.WEBHOOK_SHARDS);
    await registry.start();
    // What a bot without its own provider runs on, for the admin to show (a canned-reply demo or an LLM).
    const deploymentEngine: DeploymentEngine = {
      engine: config.LLM_BASE_URL ? 'llm' : 'offline',
      model: config.LLM_MODEL ?? null,
      at: new Date().toISOString(),
    };
    await redis.set(deploymentEngineKey(prefix), JSON.stringify(deploymentEngine));
  } catch (error) {
    await closeConnections();
    throw error;
  }
  const open = (name: string) => {
    const queue = new Queue(name, { connection: producerConnection, prefix });
    logQueueErrors(queue, producerConnection, logger);
    return queue;
  };
  const webhookQueues = webhookQueueNames(config.WEBHOOK_SHARDS).map(open);
  const conversationsQueue = open(physicalQueueName('conversations'));
  const outboundQueue = open(physicalQueueName('outbound'));
  const queues = [...webhookQueues, conversationsQueue, outboundQueue];
  // One stage-1 job per shard at a time across the fleet (idempotent: every worker sets it).
  await Promise.all(webhookQueues.map((queue) => queue.setGlobalConcurrency(1)));
  // One retention schedule for the fleet (the same scheduler id from every worker).
  await outboundQueue.upsertJobScheduler(
    MEDIA_RETENTION_SCHEDULER,
    { every: config.MEDIA_RETENTION_INTERVAL_MS },
    { name: 'media-retention', data: {}, opts: { removeOnComplete: true, removeOnFail: { age: 7 * 24 * 3600 } } },
  );
  await warnAboutLegacyQueues(producerConnection, prefix, logger);
  onBotChanged = (botId) => {
    releaseHeldForCredentials(redis, prefix, conversationsQueue, botId).then(
      (promoted) => {
        if (promoted) logger.info({ botId, promoted }, 'bot changed: conversations held for its credentials resume');
      },
      (err: unknown) => logger.warn({ err, botId }, 'could not release conversations held for credentials'),
    );
  };
  const metricsRegistry = createMetricsRegistry('worker');
  // Dead letters by logical queue (the stage-1 shards summed).
  const metrics = createWorkerMetrics(metricsRegistry, async () => {
    const failed = (list: Queue[]) => Promise.all(list.map((queue) => queue.getFailedCount()));
    const [webhooks, drains, outbound] = await Promise.all([
      failed(webhookQueues),
      failed([conversationsQueue]),
      failed([outboundQueue]),
    ]);
    const sum = (counts: number[]) => counts.reduce((a, b) => a + b, 0);
    return { 'webhook-events': sum(webhooks), conversations: sum(drains), outbound: sum(outbound) };
  });
  const graph = createGraphClient({
    baseUrl: config.GRAPH_API_BASE_URL,
    version: config.GRAPH_API_VERSION,
    timeoutMs: config.GRAPH_TIMEOUT_MS,
  });
  const engine = options.engine ?? createEngine(config, logger);
  const conversations = createProducer('conversations', producerConnection, prefix);
  const outbound = createProducer('outbound', producerConnection, prefix);
  let shuttingDown = false;
  const store = createMessageRepository(db, sql);
  const health = createBotHealth(store, logger);
  const media = {
    repo: createInboundMediaRepository(db),
    store: createMediaStore(config),
    client: createMediaClient({
      baseUrl: config.GRAPH_API_BASE_URL,
      version: config.GRAPH_API_VERSION,
      timeoutMs: config.GRAPH_TIMEOUT_MS,
    }),
    speech: createSpeechToText(config),
  };
  const wired: WorkerDeps = {
    config,
    logger,
    prefix,
    redis,
    registry,
    diagnostics: createBotDiagnostics(redis, prefix, {
      onError: (err) => logger.debug({ err }, 'worker: could not record bot diagnostics'),
    }),
    store,
    bots,
    inbox: createConversationInbox(redis, prefix),
    graph,
    delivery: createGraphDelivery({
      limiter: createRateLimiter(redis, prefix),
      metrics,
      retries: config.GRAPH_SEND_RETRIES,
      retryBaseMs: config.GRAPH_RETRY_BASE_MS,
      retryCapMs: config.GRAPH_RETRY_CAP_MS,
      health,
    }),
    engine,
    media,
    tools: createBotTools({
      tools: createBotToolRepository(db),
      toolCalls: createToolCallRepository(db),
      secretBox,
      runner: createHttpToolRunner({
        allowedHosts: config.TOOL_ALLOWED_HOSTS,
        deniedEndpoints: platformEndpoints(config),
      }),
      logger,
    }),
    outboundMedia: {
      records: createOutboundMediaRepository(db),
      files: mediaFilesIn(config.MEDIA_STORE, media.store),
    },
    metrics,
    health,
    conversations,
    outbound,
    events: createLiveEventPublisher(redis, prefix, {
      onError: (err, event) =>
        logger.warn({ err, event: event.type, conversationId: event.conversation_id }, 'live event not published'),
    }),
    isClosing: () => shuttingDown,
  };
  const deps = options.wrapDeps ? options.wrapDeps(wired) : wired;
  const pool = startWorkerPool(
    deps,
    {
      connection: workerConnection,
      prefix,
      concurrency: config.WORKER_CONCURRENCY,
      stalledIntervalMs: config.STALLED_INTERVAL_MS,
      lockDurationMs: config.JOB_LOCK_MS,
      webhookShards: config.WEBHOOK_SHARDS,
      outageRetryMs: config.OUTAGE_RETRY_MS,
      stage1Retry: {
        budgetMs: config.STAGE1_RETRY_BUDGET_MS,
        baseMs: STAGE1_RETRY_BASE_MS,
        capMs: STAGE1_RETRY_CAP_MS,
      },
    },
    logger,
  );
  const sweep = startTakeoverSweep(deps);
  logger.info(
    {
      engine: engine.name,
      concurrency: config.WORKER_CONCURRENCY,
      dbPoolSize: dbPoolSize(config),
      prefix,
      webhookShards: config.WEBHOOK_SHARDS,
      mediaStore: media.store.description,
      speechToText: media.speech ? 'on' : 'off',
    },
    `worker consuming {webhooks-0…${config.WEBHOOK_SHARDS - 1}} (one job per shard at a time), {conversations}, {outbound}`,
  );
  let closing: Promise<void> | undefined;
  return {
    deps,
    pool,
    db,
    redis,
    metricsRegistry,
    close() {
      closing ??= (async () => {
        shuttingDown = true;
        await Promise.all([pool.close(), sweep.stop()]);
        await Promise.allSettled([conversations.close(), outbound.close(), ...queues.map((queue) => queue.close())]);
        await Promise.allSettled([
          registry.close(),
          engine.close(),
          graph.close(),
          media.client.close(),
          media.store.close(),
        ]);
        await db.$disconnect();
        await sql.end().catch(() => {});
        for (const connection of [redis, workerConnection, producerConnection]) connection.disconnect();
      })();
      return closing;
    },
  };
}
