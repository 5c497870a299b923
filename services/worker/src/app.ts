import { type PostgresProbe, pingPostgres } from '@wabot/db';
import type { Logger } from '@wabot/logger';
import type { RedisClient } from '@wabot/queue';
import { pingRedis } from '@wabot/queue';
import { registerHealthRoutes } from '@wabot/service-runtime';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';

export interface WorkerAppDeps {
  logger: Logger;
  redis: RedisClient;
  db: PostgresProbe;
  metricsRegistry: Registry;
  isShuttingDown?: () => boolean;
}

/** The worker's HTTP surface: only /healthz, /readyz and /metrics. Never listens itself. */
export function buildApp(deps: WorkerAppDeps): FastifyInstance {
  // Typed as Fastify's base logger so the app is a plain FastifyInstance for the shared helpers.
  const loggerInstance: FastifyBaseLogger = deps.logger;
  const app = Fastify({ loggerInstance, disableRequestLogging: true });
  registerHealthRoutes(app, {
    registry: deps.metricsRegistry,
    ...(deps.isShuttingDown ? { isShuttingDown: deps.isShuttingDown } : {}),
    checks: {
      redis: () => pingRedis(deps.redis),
      postgres: () => pingPostgres(deps.db),
    },
  });
  return app;
}
