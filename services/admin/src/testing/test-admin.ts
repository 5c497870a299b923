import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRepositories } from '@wabot/db';
import { createCaptureStream, createLogger } from '@wabot/logger';
import { createMediaStore, type MediaStore } from '@wabot/media-store';
import { createRedisConnection } from '@wabot/queue';
import { createSecretBox } from '@wabot/secrets';
import { createMetricsRegistry } from '@wabot/service-runtime';
import type { TestDatabase, TestRedis } from '@wabot/testing';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../app.js';
import { signDevToken } from '../auth/sign-dev-token.js';
import { type AdminConfig, loadConfig } from '../config.js';
import { createAdminLiveEvents } from '../live/admin-live-events.js';
import { createAdminQueues } from '../queues.js';

export const TEST_JWT_SECRET = 'test-jwt-secret-0123456789abcdefghijklmnop';

export interface TestAdmin {
  app: FastifyInstance;
  config: AdminConfig;
  /** MEDIA_STORE of the app (a temporary directory unless the test sets one). */
  mediaStore: MediaStore;
  /** The temporary directory behind it (removed on close). */
  mediaDir: string;
  /** Every log line the app wrote. */
  logs: ReturnType<typeof createCaptureStream>;
  /** The live event hub behind GET /api/events, and the publisher the routes write with. */
  live: ReturnType<typeof createAdminLiveEvents>;
  /** Every response body seen through {@link TestAdmin.call}. */
  bodies: string[];
  /** The SECRETS_KEY the app seals credentials with (a secrets scan looks for it). */
  secretsKey: Buffer;
  token(sub: string): Promise<string>;
  /** `app.inject` as `sub` (or anonymously with `as: null`), recording the body. */
  call(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    options?: { as?: string | null; body?: unknown; headers?: Record<string, string> },
  ): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** The admin app over this test file's real PostgreSQL and Redis prefix, logs captured. */
export async function createTestAdmin(
  database: TestDatabase,
  redis: TestRedis,
  env: Record<string, string> = {},
): Promise<TestAdmin> {
  // MEDIA_STORE (inbound files and operators' uploads): a directory of this admin's own, removed with it.
  const mediaDir = await mkdtemp(join(tmpdir(), 'wabot-admin-media-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    MEDIA_STORE: mediaDir,
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    REDIS_PREFIX: redis.prefix,
    JWT_SECRET: TEST_JWT_SECRET,
    PUBLIC_WEBHOOK_BASE_URL: 'https://hooks.acme-bots.com/',
    GRAPH_CHECK_TIMEOUT_MS: '1500',
    ...env,
  });
  const logs = createCaptureStream();
  const logger = createLogger({ name: 'admin', level: 'debug', destination: logs });
  const connection = createRedisConnection(config.REDIS_URL, 'producer');
  if (connection.status !== 'ready') await once(connection, 'ready');
  const queues = createAdminQueues(connection, config.REDIS_PREFIX, config.WEBHOOK_SHARDS, logger);
  const secretsKey = randomBytes(32);
  const repositories = createRepositories(database.db);
  const live = createAdminLiveEvents({
    redis: connection,
    target: config.REDIS_URL,
    prefix: config.REDIS_PREFIX,
    repositories,
    logger,
  });
  const mediaStore = createMediaStore(config);
  const app = await buildApp({
    config,
    logger,
    repositories,
    ...live,
    redis: connection,
    secretBox: createSecretBox(secretsKey),
    mediaStore,
    outbound: queues.outbound,
    deadLetterQueues: queues.deadLetterQueues,
    metrics: createMetricsRegistry('admin'),
  });
  await app.ready();
  const bodies: string[] = [];
  const tokens = new Map<string, string>();
  const token = async (sub: string) => {
    let value = tokens.get(sub);
    if (!value) {
      value = await signDevToken({ secret: TEST_JWT_SECRET, sub, ttlSeconds: 3600 });
      tokens.set(sub, value);
    }
    return value;
  };
  return {
    app,
    config,
    mediaStore,
    mediaDir,
    logs,
    live,
    bodies,
    secretsKey,
    token,
    async call(method, url, { as = 'alice', body, headers = {} } = {}) {
      const all: Record<string, string> = { ...headers };
      if (as !== null) all.authorization = `Bearer ${await token(as)}`;
      if (body !== undefined) all['content-type'] = 'application/json';
      const response = await app.inject({
        method,
        url,
        headers: all,
        ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
      });
      bodies.push(response.body);
      return response;
    },
    async close() {
      await app.close();
      await queues.close();
      await mediaStore.close();
      connection.disconnect();
      await rm(mediaDir, { recursive: true, force: true });
    },
  };
}

/** A valid create-bot body (Aerostack's shape) with long random secrets. */
export function botBody(workspaceId: string, overrides: Record<string, unknown> = {}) {
  const hex = (n: number) => randomBytes(n).toString('hex');
  const secrets = {
    access_token: `EAAG${hex(24)}`,
    verify_token: `verify-${hex(12)}`,
    app_secret: hex(16),
  };
  return {
    secrets,
    body: {
      name: 'Support bot',
      platform: 'whatsapp',
      workspace_id: workspaceId,
      system_prompt: 'You are helpful.',
      platform_config: {
        phone_number_id: String(100_000_000_000 + Math.floor(Math.random() * 899_999_999_999)),
        ...secrets,
        business_account_id: '102290129340398',
      },
      ...overrides,
    },
  };
}
