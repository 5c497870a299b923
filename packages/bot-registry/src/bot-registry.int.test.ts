import { randomBytes, randomUUID } from 'node:crypto';
import { createBotRepository } from '@wabot/db';
import { createCaptureStream, createLogger } from '@wabot/logger';
import { createSecretBox } from '@wabot/secrets';
import { createTestBot, eventually, type TestBotSeed, useTestDatabase, useTestRedis } from '@wabot/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotRegistry, type BotRegistryOptions, createBotRegistry, publishBotChanged } from './index.js';

const database = useTestDatabase();
const redis = useTestRedis();
const secretBox = createSecretBox(randomBytes(32));
const logs = createCaptureStream();
const logger = createLogger({ name: 'bot-registry-test', destination: logs });
let workspaceId = '';

beforeAll(async () => {
  const workspace = await database.current.db.workspace.create({ data: { name: 'registry tests' } });
  workspaceId = workspace.id;
});

async function insertBot({
  status = 'active',
  appSecret = 'app-secret-1',
  verifyToken = 'Verify-1',
  llmApiKey = null,
}: Pick<TestBotSeed, 'status' | 'appSecret' | 'verifyToken' | 'llmApiKey'> = {}) {
  const bot = await createTestBot(database.current.db, secretBox, {
    workspaceId,
    id: randomUUID(),
    status,
    appSecret,
    verifyToken,
    llmApiKey,
    accessToken: 'EAAG-access-token',
    settings: { history: { turns: 5 } },
  });
  return bot.id;
}

/** Registries started in a test; closed after the file (they own their subscriber connections). */
const started: BotRegistry[] = [];
afterAll(async () => {
  await Promise.all(started.map((registry) => registry.close()));
});

async function startRegistry(options: Partial<BotRegistryOptions> = {}, subscribe = true): Promise<BotRegistry> {
  const registry = createBotRegistry({
    bots: createBotRepository(database.current.db),
    secretBox,
    prefix: redis.current.prefix,
    logger,
    ...(subscribe ? { subscriber: new Redis(redis.current.url) } : {}),
    ...options,
  });
  await registry.start();
  started.push(registry);
  return registry;
}

describe('createBotRegistry', () => {
  it('loads a bot once, decrypts its credentials and serves repeats from memory', async () => {
    const id = await insertBot({
      appSecret: 'the-app-secret',
      verifyToken: 'The-Verify-Token',
      llmApiKey: 'sk-the-llm-key',
    });
    const registry = await startRegistry({}, false);

    const first = await registry.get(id);
    expect(first).toMatchObject({
      id,
      workspaceId,
      active: true,
      accessToken: 'EAAG-access-token',
      appSecret: 'the-app-secret',
      verifyToken: 'The-Verify-Token',
      llmApiKey: 'sk-the-llm-key',
      version: 1,
    });
    expect(first?.settings.history.turns).toBe(5);
    for (let i = 0; i < 5; i++) expect(await registry.get(id)).toBe(first);
    expect(registry.databaseLookups).toBe(1);
  });

  it('maps a missing app secret to null and a non-active status to active: false', async () => {
    const id = await insertBot({ status: 'inactive', appSecret: null });
    const registry = await startRegistry({}, false);
    expect(await registry.get(id)).toMatchObject({ active: false, appSecret: null, llmApiKey: null });
  });

  it('caches unknown and deleted bots negatively, for negativeTtlMs only', async () => {
    const deleted = await insertBot();
    await database.current.db.bot.update({ where: { id: deleted }, data: { deletedAt: new Date() } });
    const registry = await startRegistry({ negativeTtlMs: 150 }, false);
    const unknown = randomUUID();

    for (let i = 0; i < 10; i++) {
      expect(await registry.get(unknown)).toBeNull();
      expect(await registry.get(deleted)).toBeNull();
    }
    expect(registry.databaseLookups).toBe(2);

    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await registry.get(unknown)).toBeNull();
    expect(registry.databaseLookups).toBe(3);
  });

  it('shares one database query between concurrent lookups of the same id (single flight)', async () => {
    const id = await insertBot();
    const unknown = randomUUID();
    const registry = await startRegistry({}, false);

    const results = await Promise.all([
      ...Array.from({ length: 25 }, () => registry.get(id)),
      ...Array.from({ length: 25 }, () => registry.get(unknown)),
    ]);
    expect(results.slice(0, 25).every((bot) => bot?.id === id)).toBe(true);
    expect(results.slice(25).every((bot) => bot === null)).toBe(true);
    expect(registry.databaseLookups).toBe(2);
  });

  it('drops a bot when publishBotChanged announces it deactivated or its secret changed', async () => {
    const id = await insertBot({ appSecret: 'old-secret' });
    const registry = await startRegistry();
    const bystander = await insertBot();
    expect(await registry.get(id)).toMatchObject({ active: true, appSecret: 'old-secret' });
    await registry.get(bystander);
    const lookupsBefore = registry.databaseLookups;

    await database.current.db.bot.update({
      where: { id },
      data: { status: 'inactive', appSecretCipher: secretBox.seal('new-secret'), version: 2 },
    });
    // Without an announcement the cached copy stands (the TTL is the only other way out).
    expect(await registry.get(id)).toMatchObject({ active: true, appSecret: 'old-secret' });

    await publishBotChanged(redis.current.redis, redis.current.prefix, { botId: id, version: 2 });
    await eventually(async () => (await registry.get(id))?.active === false, 3_000);
    expect(await registry.get(id)).toMatchObject({ active: false, appSecret: 'new-secret', version: 2 });

    // Only the announced bot was reloaded.
    await registry.get(bystander);
    expect(registry.databaseLookups).toBe(lookupsBefore + 1);
  });

  it('ignores announcements for another prefix and malformed ones', async () => {
    const id = await insertBot();
    // Its own log: the registries of earlier tests are subscribed too.
    const ownLogs = createCaptureStream();
    const registry = await startRegistry({ logger: createLogger({ name: 'bot-registry-test', destination: ownLogs }) });
    await registry.get(id);

    await publishBotChanged(redis.current.redis, `${redis.current.prefix}-other`, { botId: id, version: 9 });
    const channel = `${redis.current.prefix}:bot-changed`;
    // Not JSON, and JSON of the wrong shape (which the old probe took for an announcement of `id`).
    for (const payload of ['not json', JSON.stringify({ botId: id }), JSON.stringify({ botId: id, version: 'x' })]) {
      await redis.current.redis.publish(channel, payload);
    }
    await eventually(async () => ownLogs.text().split('malformed change announcement').length === 4, 3_000);
    await registry.get(id);
    expect(registry.databaseLookups).toBe(1);
    // Still subscribed: a well-formed announcement after them works.
    await publishBotChanged(redis.current.redis, redis.current.prefix, { botId: id, version: 2 });
    await eventually(async () => {
      await registry.get(id);
      return registry.databaseLookups === 2;
    }, 3_000);
  });

  it('refuses to publish a malformed announcement', async () => {
    await expect(
      publishBotChanged(redis.current.redis, redis.current.prefix, { botId: '', version: 1 }),
    ).rejects.toThrow();
  });

  it('reloads after ttlMs even when an announcement was missed', async () => {
    const id = await insertBot();
    const registry = await startRegistry({ ttlMs: 100 }, false);
    expect((await registry.get(id))?.active).toBe(true);
    await database.current.db.bot.update({ where: { id }, data: { status: 'inactive' } });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect((await registry.get(id))?.active).toBe(false);
    expect(registry.databaseLookups).toBe(2);
  });

  it('does not cache a lookup that was in flight when the bot was invalidated', async () => {
    const id = await insertBot();
    const registry = await startRegistry({}, false);
    const pending = registry.get(id);
    registry.invalidate(id);
    // A lookup after the invalidation must not join the stale one.
    const fresh = registry.get(id);
    expect(fresh).not.toBe(pending);
    await Promise.all([pending, fresh]);
    expect(registry.databaseLookups).toBe(2);
    // The fresh result is cached; the stale one was not allowed to overwrite it.
    await registry.get(id);
    expect(registry.databaseLookups).toBe(2);
  });

  it('evicts the oldest entry beyond maxEntries', async () => {
    const [a, b, c] = [await insertBot(), await insertBot(), await insertBot()];
    const registry = await startRegistry({ maxEntries: 2 }, false);
    await registry.get(a);
    await registry.get(b);
    await registry.get(c);
    expect(registry.databaseLookups).toBe(3);
    await registry.get(c);
    await registry.get(b);
    expect(registry.databaseLookups).toBe(3);
    await registry.get(a);
    expect(registry.databaseLookups).toBe(4);
  });
});
