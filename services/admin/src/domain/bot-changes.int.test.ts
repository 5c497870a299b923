import { botChangedChannel } from '@wabot/bot-registry';
import { createRepositories } from '@wabot/db';
import { createCaptureStream, createLogger } from '@wabot/logger';
import { useTestDatabase, useTestRedis } from '@wabot/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from './api-error.js';
import { changeBot } from './bot-changes.js';
import { createBotId } from './bot-id.js';

const database = useTestDatabase();
const redis = useTestRedis();
let subscriber: Redis;
const announced: string[] = [];
const logs = createCaptureStream();

const depsOf = () => ({
  repositories: createRepositories(database.current.db),
  redis: redis.current.redis,
  config: { REDIS_PREFIX: redis.current.prefix },
  logger: createLogger({ name: 'test', level: 'debug', destination: logs }),
});

const newBot = (workspaceId: string, phoneNumberId = '15550001111') => ({
  id: createBotId(),
  workspaceId,
  name: 'Helper',
  phoneNumberId,
  accessTokenCipher: 'sealed-a',
  verifyTokenCipher: 'sealed-v',
});

/** Announcements arrive asynchronously; a PING on the subscriber's connection flushes them. */
const announcements = async () => {
  await subscriber.ping();
  return announced.map((m) => JSON.parse(m));
};

beforeAll(async () => {
  subscriber = new Redis(redis.current.url);
  subscriber.on('message', (_channel, message) => announced.push(message));
  await subscriber.subscribe(botChangedChannel(redis.current.prefix));
});

afterAll(() => {
  subscriber.disconnect();
});

describe('changeBot', () => {
  it('commits the change with its audit entry, then announces the bot', async () => {
    const { db } = database.current;
    const ws = await db.workspace.create({ data: { name: 'Acme' } });
    const data = newBot(ws.id);
    const bot = await changeBot(
      depsOf(),
      { actor: 'alice', action: 'bot.create', details: (b) => ({ name: b.name }) },
      (tx) => tx.bots.create(data),
    );
    expect(bot).toMatchObject({ id: data.id, version: 1 });
    expect(await db.auditLog.findMany({ where: { botId: bot.id } })).toMatchObject([
      { workspaceId: ws.id, actor: 'alice', action: 'bot.create', details: { name: 'Helper' } },
    ]);
    const updated = await changeBot(depsOf(), { actor: 'bob', action: 'bot.deactivate' }, (tx) =>
      tx.bots.update(bot.id, { status: 'inactive' }),
    );
    expect(updated.version).toBe(2);
    const entries = await db.auditLog.findMany({ where: { botId: bot.id, action: 'bot.deactivate' } });
    expect(entries).toMatchObject([{ actor: 'bob', details: {} }]);
    const mine = (await announcements()).filter((a) => a.botId === bot.id);
    expect(mine.map((a) => a.version)).toEqual([1, 2]);
  });

  it('rolls the change back, writes no audit entry and announces nothing when the transaction fails', async () => {
    const { db } = database.current;
    const ws = await db.workspace.create({ data: { name: 'Rollback' } });
    const data = newBot(ws.id);
    await expect(
      changeBot(depsOf(), { actor: 'alice', action: 'bot.create' }, async (tx) => {
        await tx.bots.create(data);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await db.bot.findUnique({ where: { id: data.id } })).toBeNull();
    expect(await db.auditLog.count({ where: { workspaceId: ws.id } })).toBe(0);
    expect((await announcements()).filter((a) => a.botId === data.id)).toEqual([]);
  });

  it('maps a clash on an active phone number to the 409 naming it', async () => {
    const { db } = database.current;
    const ws = await db.workspace.create({ data: { name: 'Clash' } });
    const first = await db.bot.create({ data: { ...newBot(ws.id, '15559990000'), status: 'active' } });
    const second = await db.bot.create({ data: newBot(ws.id, '15559990000') });
    const error = await changeBot(
      depsOf(),
      { actor: 'alice', action: 'bot.activate', phoneNumberId: '15559990000' },
      (tx) => tx.bots.update(second.id, { status: 'active' }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ statusCode: 409 });
    expect(await db.auditLog.count({ where: { botId: { in: [first.id, second.id] } } })).toBe(0);
  });
});
