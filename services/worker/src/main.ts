import os from 'node:os';
import { listenHostOf, loadConfigOrExit, maskUrl } from '@wabot/config';
import { createServiceLogger } from '@wabot/logger';
import { runService } from '@wabot/service-runtime';
import { buildApp } from './app.js';
import { loadWorkerConfig } from './config.js';
import { createWorkerRuntime } from './worker-runtime.js';

const config = loadConfigOrExit('worker', loadWorkerConfig);
const logger = createServiceLogger('worker', config);
try {
  // Raising one's own niceness needs no privilege; failure only costs the ingress some headroom.
  if (config.WORKER_NICE > 0) os.setPriority(Math.max(os.getPriority(), config.WORKER_NICE));
} catch (err) {
  logger.warn({ err }, 'could not lower the worker process priority (WORKER_NICE)');
}

await runService(
  'worker',
  logger,
  async () => {
    let shuttingDown = false;
    const runtime = await createWorkerRuntime(config, { logger });
    const app = buildApp({
      logger,
      redis: runtime.redis,
      db: runtime.db,
      metricsRegistry: runtime.metricsRegistry,
      isShuttingDown: () => shuttingDown,
    });
    await app.listen({ host: listenHostOf(config), port: config.WORKER_PORT });
    logger.info(
      { port: config.WORKER_PORT, redis: maskUrl(config.REDIS_URL), database: maskUrl(config.DATABASE_URL) },
      'worker ready',
    );
    return {
      async close() {
        shuttingDown = true;
        await runtime.close();
        await app.close();
      },
    };
  },
  config.SHUTDOWN_TIMEOUT_MS,
);
