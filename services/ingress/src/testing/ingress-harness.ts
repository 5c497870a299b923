import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createBotDiagnostics, createBotRegistry } from '@wabot/bot-registry';
import { webhookQueueNames } from '@wabot/contracts';
import { createBotRepository, createWorkspaceRepository } from '@wabot/db';
import { createCaptureStream, createLogger } from '@wabot/logger';
import { createSecretBox } from '@wabot/secrets';
import { createTestBot, type SecretScan, type TestBot, type useTestDatabase, type useTestRedis } from '@wabot/testing';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { buildApp, type IngressApp } from '../app.js';
import { createWebhookProducer } from '../webhook-producer.js';

export const BODY_LIMIT = 256 * 1024;
const SHARDS = 2;

export interface IngressHarness {
  app: IngressApp;
  logs: ReturnType<typeof createCaptureStream>;
  /** Every response body the harness's requests got. */
  bodies: string[];
  /** An active bot with an app secret (and its other credentials), all of them registered with `scan`. */
  createBot(): Promise<TestBot & { appSecret: string }>;
  /** `app.inject` POST to the bot's webhook URL; `signature` as given (a string, several, or none). */
  post(botId: string, body: Buffer | string, signature?: string | string[]): Promise<{ status: number; body: string }>;
  /** The app listening on 127.0.0.1 (an ephemeral port), for what only a real socket shows (duplicate headers, 431). */
  listen(): Promise<{ host: string; port: number }>;
  /** Every stage-1 job stored, in any state, over every shard. */
  jobs(): Promise<{ rawBody: string; botId: string }[]>;
  close(): Promise<void>;
}

/** The ingress app over the test file's real PostgreSQL and Redis queues, logs captured. */
export async function createIngressHarness(
  database: ReturnType<typeof useTestDatabase>['current'],
  redis: ReturnType<typeof useTestRedis>['current'],
  scan: SecretScan,
): Promise<IngressHarness> {
  const secretsKey = randomBytes(32);
  scan.add('SECRETS_KEY', secretsKey);
  const secretBox = createSecretBox(secretsKey);
  const logs = createCaptureStream();
  const logger = createLogger({ name: 'ingress-security', level: 'debug', destination: logs });
  const workspaceId = (await createWorkspaceRepository(database.db).createWithOwner('ingress security', 'security')).id;
  const { webhooks, connection } = createWebhookProducer(redis.url, redis.prefix, SHARDS);
  const registry = createBotRegistry({
    bots: createBotRepository(database.db),
    secretBox,
    subscriber: new Redis(redis.url),
    prefix: redis.prefix,
    logger,
  });
  await registry.start();
  const app = buildApp({
    config: { WEBHOOK_BODY_LIMIT_BYTES: BODY_LIMIT, ENQUEUE_TIMEOUT_MS: 2_000, REQUEST_TIMEOUT_MS: 10_000 },
    logger,
    bots: registry,
    diagnostics: createBotDiagnostics(connection, redis.prefix),
    webhooks,
    redis: connection,
    db: database.db,
  });
  await app.ready();
  const readerConnection = new Redis(redis.url, { maxRetriesPerRequest: null });
  const readers = webhookQueueNames(SHARDS).map(
    (name) => new Queue(name, { connection: readerConnection, prefix: redis.prefix }),
  );
  const bodies: string[] = [];
  return {
    app,
    logs,
    bodies,
    async createBot() {
      const bot = await createTestBot(database.db, secretBox, {
        workspaceId,
        id: `bt_${randomUUID().replaceAll('-', '').slice(0, 20)}`,
        appSecret: randomBytes(16).toString('hex'),
        verifyToken: `Verify-${randomBytes(8).toString('hex')}`,
        accessToken: `EAAG${randomBytes(20).toString('hex')}`,
      });
      const { appSecret } = bot;
      if (appSecret === null) throw new Error('the bot has no app secret');
      scan.add(`app secret of ${bot.id}`, appSecret);
      scan.add(`verify token of ${bot.id}`, bot.verifyToken);
      scan.add(`access token of ${bot.id}`, bot.accessToken);
      return { ...bot, appSecret };
    },
    async post(botId, body, signature) {
      const res = await app.inject({
        method: 'POST',
        url: `/api/bots/webhook/whatsapp/${botId}`,
        headers: {
          'content-type': 'application/json',
          ...(signature === undefined ? {} : { 'x-hub-signature-256': signature }),
        },
        payload: body,
      });
      bodies.push(res.body);
      return { status: res.statusCode, body: res.body };
    },
    async listen() {
      if (!app.server.listening) await app.listen({ host: '127.0.0.1', port: 0 });
      const { port } = app.server.address() as AddressInfo;
      return { host: '127.0.0.1', port };
    },
    async jobs() {
      const all = await Promise.all(
        readers.map((reader) => reader.getJobs(['waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized'])),
      );
      return all.flat().flatMap((job) => {
        const data = job.data as { rawBody?: string; botId?: string; events?: { rawBody: string; botId: string }[] };
        if (data.events) return data.events;
        return data.rawBody !== undefined && data.botId !== undefined
          ? [{ rawBody: data.rawBody, botId: data.botId }]
          : [];
      });
    },
    async close() {
      await app.close();
      await webhooks.close();
      await Promise.all(readers.map((reader) => reader.close()));
      readerConnection.disconnect();
      connection.disconnect();
      await registry.close();
    },
  };
}
