import { listenHostOf, loadConfigOrExit } from '@wabot/config';
import { createDatabaseClient, createRepositories } from '@wabot/db';
import { createServiceLogger } from '@wabot/logger';
import { createMediaStore } from '@wabot/media-store';
import { createRedisConnection, redisTargetOf, verifyWebhookShardsWhenReachable } from '@wabot/queue';
import { createSecretBox, loadSecretKeys } from '@wabot/secrets';
import { createMetricsRegistry, runService } from '@wabot/service-runtime';
import { buildApp } from './app.js';
import { prepareFirstOwnerSetup } from './auth/first-owner-setup.js';
import { loadConfig } from './config.js';
import { createAdminLiveEvents } from './live/admin-live-events.js';
import { createAdminQueues } from './queues.js';

const config = loadConfigOrExit('admin', loadConfig);
const logger = createServiceLogger('admin', config);

await runService(
  'admin',
  logger,
  async () => {
    const keys = loadSecretKeys({ ...config, production: config.NODE_ENV === 'production' });
    if (keys.isDevelopmentKey) logger.warn('SECRETS_KEY is not set: using the development key (never in production)');
    if (!config.JWT_SECRET && config.jwtSecret)
      logger.warn(
        "JWT_SECRET is not set: tokens are verified with a random key of this process, so no token minted elsewhere works (./run start and ./run service set this installation's key)",
      );
    const secretBox = createSecretBox(keys.current, keys.previous);
    const mediaStore = createMediaStore(config);
    const db = createDatabaseClient(config.DATABASE_URL, { logger });
    const redis = createRedisConnection(redisTargetOf(config), 'producer', {}, logger);
    const queues = createAdminQueues(redis, config.REDIS_PREFIX, config.WEBHOOK_SHARDS, logger);
    // Dead letters are read from WEBHOOK_SHARDS stage-1 queues: a value other than the deployment's
    // would hide some. Compared once Redis answers; a mismatch stops the service.
    verifyWebhookShardsWhenReachable(redis, config.REDIS_PREFIX, config.WEBHOOK_SHARDS).then(
      () => {},
      (err: unknown) => {
        logger.fatal({ err }, `admin: ${err instanceof Error ? err.message : String(err)}`);
        process.exit(1);
      },
    );
    let shuttingDown = false;
    const repositories = createRepositories(db);
    await prepareFirstOwnerSetup(repositories, config, logger);
    const app = await buildApp({
      config,
      logger,
      repositories,
      ...createAdminLiveEvents({
        redis,
        target: redisTargetOf(config),
        prefix: config.REDIS_PREFIX,
        repositories,
        logger,
      }),
      redis,
      secretBox,
      mediaStore,
      outbound: queues.outbound,
      deadLetterQueues: queues.deadLetterQueues,
      metrics: createMetricsRegistry('admin'),
      isShuttingDown: () => shuttingDown,
    });
    await app.listen({ host: listenHostOf(config), port: config.ADMIN_PORT });
    return {
      async close() {
        shuttingDown = true;
        await app.close();
        await queues.close();
        redis.disconnect();
        await mediaStore.close();
        await db.$disconnect();
      },
    };
  },
  config.SHUTDOWN_TIMEOUT_MS,
);
