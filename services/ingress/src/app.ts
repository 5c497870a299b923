import type { BotDiagnosticsStore, BotRegistry } from '@wabot/bot-registry';
import { type PostgresProbe, pingPostgres } from '@wabot/db';
import { createLazyChildLogger, type Logger } from '@wabot/logger';
import type { RedisClient } from '@wabot/queue';
import { pingRedis, type ShardedProducer } from '@wabot/queue';
import { createMetricsRegistry, type ReadinessCheck, registerHealthRoutes } from '@wabot/service-runtime';
import Fastify, { type FastifyBaseLogger, type FastifyError, LogController } from 'fastify';
import type { Registry } from 'prom-client';
import type { IngressConfig } from './config.js';
import { createIngressMetrics } from './ingress-metrics.js';
import { createRequestIdGenerator } from './request-ids.js';
import { webhookRoutes } from './routes/webhook-routes.js';

export interface IngressAppDeps {
  config: Pick<IngressConfig, 'WEBHOOK_BODY_LIMIT_BYTES' | 'ENQUEUE_TIMEOUT_MS' | 'REQUEST_TIMEOUT_MS'>;
  logger: Logger;
  bots: Pick<BotRegistry, 'get' | 'databaseLookups' | 'cachedBots'>;
  /** Where verification attempts, accepted webhooks and rejected signatures are recorded per bot. */
  diagnostics: BotDiagnosticsStore;
  /** The stage-1 producers, one per shard. */
  webhooks: ShardedProducer;
  /** The producers' connection (readiness, fail-fast). */
  redis: RedisClient;
  /** Used for readiness only; bots come from `bots`. */
  db: PostgresProbe;
  /** Defaults to a fresh registry of the ingress's own. */
  metricsRegistry?: Registry;
  /** Further readiness checks besides redis and postgres (e.g. the bot-change subscription). */
  readinessChecks?: Record<string, ReadinessCheck>;
  isShuttingDown?: () => boolean;
  /**
   * False while this process's WEBHOOK_SHARDS has not been compared with the deployment's (Redis
   * was away at start): POSTs get 503 rather than risk a bot's webhooks landing on another shard.
   */
  shardsVerified?: () => boolean;
  /** After each confirmed enqueue, before the 200s (INGRESS_DURABILITY=replica). */
  confirmWrite?: () => Promise<void>;
}

/**
 * The ingress HTTP app: Meta's webhook endpoints plus /healthz, /readyz, /metrics. Never listens;
 * `main.ts` does. Fastify's per-request logging is off: the webhook routes log one line per request.
 */
export function buildApp(deps: IngressAppDeps) {
  const { config, logger, bots, webhooks, redis, db } = deps;
  // Typed as Fastify's base logger so the app is a plain FastifyInstance for shared helpers.
  const loggerInstance: FastifyBaseLogger = logger;
  const app = Fastify({
    loggerInstance,
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: createRequestIdGenerator(),
    // Most requests log nothing at info; build each request's child logger only if it logs.
    childLoggerFactory: (_parent, bindings, options) => createLazyChildLogger(logger, bindings, options),
    bodyLimit: config.WEBHOOK_BODY_LIMIT_BYTES,
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    return503OnClosing: true,
  });
  const registry = deps.metricsRegistry ?? createMetricsRegistry('ingress');
  const metrics = createIngressMetrics(registry, () => bots.databaseLookups);

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) request.log.error({ err: error }, 'request failed');
    return reply.code(status).send({
      error: {
        code: status === 500 ? 'internal' : (error.code ?? 'bad_request'),
        message: status === 500 ? 'internal error' : error.message,
        details: {},
      },
    });
  });
  app.setNotFoundHandler((_request, reply) =>
    reply.code(404).send({ error: { code: 'not_found', message: 'no such route', details: {} } }),
  );

  // Ready while it can verify and enqueue: Redis, and a bot source — PostgreSQL, or while it is
  // away the bots this process has cached (served stale until PostgreSQL answers again).
  registerHealthRoutes(app, {
    registry,
    checks: {
      redis: () => pingRedis(redis),
      bots: async () => bots.cachedBots > 0 || (await pingPostgres(db)),
      ...deps.readinessChecks,
    },
    reportedChecks: { postgres: () => pingPostgres(db) },
    ...(deps.isShuttingDown ? { isShuttingDown: deps.isShuttingDown } : {}),
  });

  app.register(webhookRoutes, {
    bots,
    diagnostics: deps.diagnostics,
    webhooks,
    redis,
    metrics,
    bodyLimit: config.WEBHOOK_BODY_LIMIT_BYTES,
    enqueueTimeoutMs: config.ENQUEUE_TIMEOUT_MS,
    ...(deps.shardsVerified ? { shardsVerified: deps.shardsVerified } : {}),
    ...(deps.confirmWrite ? { confirmWrite: deps.confirmWrite } : {}),
  });
  return app;
}

export type IngressApp = ReturnType<typeof buildApp>;
