import { setTimeout as sleep } from 'node:timers/promises';
import { createBotDiagnostics, createBotRegistry } from '@wabot/bot-registry';
import { listenHostOf, loadConfigOrExit, maskUrl } from '@wabot/config';
import { createBotRepository, createDatabaseClient } from '@wabot/db';
import { createServiceLogger } from '@wabot/logger';
import { createRedisConnection, redisTargetOf, verifyWebhookShardsWhenReachable } from '@wabot/queue';
import { createSecretBox, loadSecretKeys } from '@wabot/secrets';
import { runService } from '@wabot/service-runtime';
import { buildApp } from './app.js';
import { loadIngressConfig } from './config.js';
import { createDurability } from './durability.js';
import { createWebhookProducer } from './webhook-producer.js';

const REDIS_START_WAIT_MS = 5_000;

const config = loadConfigOrExit('ingress', loadIngressConfig);

const logger = createServiceLogger('ingress', config);

await runService(
  'ingress',
  logger,
  async () => {
    const keys = loadSecretKeys({
      SECRETS_KEY: config.SECRETS_KEY,
      SECRETS_KEY_PREVIOUS: config.SECRETS_KEY_PREVIOUS,
      production: config.NODE_ENV === 'production',
    });
    if (keys.isDevelopmentKey) logger.warn('SECRETS_KEY is not set: using the development key (never in production)');
    const secretBox = createSecretBox(keys.current, keys.previous);

    const db = createDatabaseClient(config.DATABASE_URL, { logger });
    const { webhooks, connection: producerConnection } = createWebhookProducer(
      redisTargetOf(config),
      config.REDIS_PREFIX,
      config.WEBHOOK_SHARDS,
      logger,
    );
    // Subscriber mode needs a connection of its own; it waits for Redis rather than failing.
    const subscriber = createRedisConnection(redisTargetOf(config), 'worker', {}, logger);
    const bots = createBotRegistry({
      bots: createBotRepository(db),
      secretBox,
      subscriber,
      prefix: config.REDIS_PREFIX,
      logger,
      ttlMs: config.BOT_CACHE_TTL_MS,
      negativeTtlMs: config.BOT_CACHE_NEGATIVE_TTL_MS,
    });

    // Listening does not wait for Redis: while it is down /readyz says so and POSTs get 503.
    // Until the change subscription stands, a cached bot could miss an announcement: not ready.
    let subscribed = false;
    void bots.start().then(
      () => {
        subscribed = true;
        logger.info({ channel: `${config.REDIS_PREFIX}:bot-changed` }, 'ingress: subscribed to bot changes');
      },
      (err: unknown) => logger.error({ err }, 'ingress: could not subscribe to bot changes'),
    );

    const durability = createDurability(config, producerConnection, logger);
    let shuttingDown = false;
    // Until this process's WEBHOOK_SHARDS matches the deployment's, no webhook is enqueued.
    let shardsVerified = false;
    const app = buildApp({
      config,
      logger,
      bots,
      diagnostics: createBotDiagnostics(producerConnection, config.REDIS_PREFIX, {
        onError: (err) => logger.debug({ err }, 'ingress: could not record bot diagnostics'),
      }),
      webhooks,
      redis: producerConnection,
      db,
      readinessChecks: { 'bot-changes': async () => subscribed, 'webhook-shards': async () => shardsVerified },
      isShuttingDown: () => shuttingDown,
      shardsVerified: () => shardsVerified,
      ...(durability.confirmWrite ? { confirmWrite: durability.confirmWrite } : {}),
    });
    // Compared as soon as Redis answers; retried while it does not.
    const shards = verifyWebhookShardsWhenReachable(producerConnection, config.REDIS_PREFIX, config.WEBHOOK_SHARDS);
    void shards.then(
      () => {
        shardsVerified = true;
      },
      () => {},
    );
    // Give Redis a moment so the first webhooks after a start do not get 503, but do not wait forever.
    const redisReady = await Promise.race([
      (webhooks.producers[0]?.queue.waitUntilReady() ?? Promise.resolve()).then(
        () => true,
        () => false,
      ),
      sleep(REDIS_START_WAIT_MS, false, { ref: false }),
    ]);
    if (redisReady) {
      await durability.checkAtStart();
      // A mismatch stops the start (exit 1; the message names WEBHOOK_SHARDS).
      await Promise.race([shards, sleep(REDIS_START_WAIT_MS, undefined, { ref: false })]);
    } else {
      logger.warn(
        { redis: maskUrl(config.REDIS_URL) },
        'ingress: Redis is not reachable yet; webhooks get 503 until it is',
      );
    }
    // A mismatch found once Redis is back stops the process like one at start.
    shards.then(
      () => logger.info({ webhookShards: config.WEBHOOK_SHARDS }, 'ingress: WEBHOOK_SHARDS matches the deployment'),
      (err: unknown) => {
        logger.fatal({ err }, `ingress: ${err instanceof Error ? err.message : String(err)}`);
        process.exit(1);
      },
    );
    await app.listen({ host: listenHostOf(config), port: config.INGRESS_PORT });
    logger.info(
      {
        redis: maskUrl(config.REDIS_URL),
        database: maskUrl(config.DATABASE_URL),
        prefix: config.REDIS_PREFIX,
        webhookShards: config.WEBHOOK_SHARDS,
      },
      'ingress: ready for webhooks',
    );

    return {
      async close() {
        shuttingDown = true;
        // Stops accepting and lets in-flight requests finish (each is bounded by the enqueue
        // timeout). Keep-alive connections that turn idle meanwhile are closed as they do; whatever
        // is still open shortly before the deadline is cut so the process can exit 0 in time.
        const sweep = setInterval(() => app.server.closeIdleConnections(), 100);
        const cut = setTimeout(
          () => app.server.closeAllConnections(),
          Math.max(config.SHUTDOWN_TIMEOUT_MS - 2_000, 100),
        );
        try {
          await app.close();
        } finally {
          clearInterval(sweep);
          clearTimeout(cut);
        }
        await Promise.allSettled([webhooks.close(), bots.close(), db.$disconnect()]);
        // QUIT waits for Redis to answer; with Redis away just drop the socket.
        if (producerConnection.status === 'ready') await producerConnection.quit().catch(() => {});
        else producerConnection.disconnect();
      },
    };
  },
  config.SHUTDOWN_TIMEOUT_MS,
);
