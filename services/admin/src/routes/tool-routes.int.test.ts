import { botChangedChannel } from '@wabot/bot-registry';
import { useTestDatabase, useTestRedis } from '@wabot/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botBody, createTestAdmin, type TestAdmin } from '../testing/test-admin.js';

const database = useTestDatabase();
const redis = useTestRedis();
let admin: TestAdmin;
let botId: string;
let otherBotId: string;
let malloryBotId: string;
const rawSecrets: string[] = [];

const orderParameters = {
  type: 'object',
  properties: { order_id: { type: 'string', description: 'the order number' } },
  required: ['order_id'],
};

let counter = 0;
const toolBody = (overrides: Record<string, unknown> = {}) => {
  counter++;
  const apiKey = `sk-live-${counter}-${Math.random().toString(36).slice(2)}-abcdefghijklmnop`;
  rawSecrets.push(apiKey);
  return {
    name: `lookup_order_${counter}`,
    description: 'Looks up an order by its number',
    parameters: orderParameters,
    url: 'https://shop.example.com/api/orders',
    method: 'POST',
    headers: { Authorization: `Bearer ${apiKey}`, 'X-Shop': 'acme' },
    ...overrides,
  };
};

const createTool = (overrides: Record<string, unknown> = {}, as = 'alice', bot = botId) =>
  admin.call('POST', `/api/bots/${bot}/tools`, { as, body: toolBody(overrides) });

const createBot = async (workspaceId: string, as: string) => {
  const { body, secrets } = botBody(workspaceId);
  rawSecrets.push(...Object.values(secrets));
  return (await admin.call('POST', '/api/bots', { as, body })).json().id as string;
};

beforeAll(async () => {
  admin = await createTestAdmin(database.current, redis.current);
  const aliceWs = (await admin.call('POST', '/api/workspaces', { body: { name: 'Acme' } })).json().id;
  const malloryWs = (await admin.call('POST', '/api/workspaces', { as: 'mallory', body: { name: 'Evil' } })).json().id;
  botId = await createBot(aliceWs, 'alice');
  otherBotId = await createBot(aliceWs, 'alice');
  malloryBotId = await createBot(malloryWs, 'mallory');
});

afterAll(async () => {
  // Header values never leave the service: not in a response, not in a log line, not in the audit log.
  const audit = JSON.stringify(await database.current.db.auditLog.findMany());
  const everything = `${admin.bodies.join('\n')}\n${admin.logs.text()}\n${audit}`;
  expect(rawSecrets.length).toBeGreaterThan(5);
  for (const secret of rawSecrets) expect(everything).not.toContain(secret);
  await admin.close();
});

describe('HTTP tools', () => {
  it('creates a tool: 201, defaults applied, header values masked and stored sealed', async () => {
    const body = toolBody();
    const res = await admin.call('POST', `/api/bots/${botId}/tools`, { body });
    expect(res.statusCode).toBe(201);
    const tool = res.json();
    expect(tool).toMatchObject({
      bot_id: botId,
      name: body.name,
      description: body.description,
      parameters: orderParameters,
      url: body.url,
      method: 'POST',
      timeout_ms: 10_000,
      max_response_bytes: 32_768,
      headers: { Authorization: { set: true, hint: 'Bear…nop' }, 'X-Shop': { set: true, hint: '…' } },
    });
    const row = await database.current.db.botTool.findUniqueOrThrow({ where: { id: tool.id } });
    const stored = JSON.stringify(row.headers);
    expect(stored).not.toContain(body.headers.Authorization);
    expect(stored).not.toContain('acme');
    expect(stored).toMatch(/"cipher":"v1:/);
  });

  it('refuses a parameters value that is not a JSON Schema, naming the field', async () => {
    for (const parameters of [
      { type: 'object', properties: { a: { type: 'strnig' } } },
      { type: 'string' },
      { type: 'object', required: 'order_id' },
    ]) {
      const res = await createTool({ parameters });
      expect(res.statusCode, JSON.stringify(parameters)).toBe(400);
      expect(res.json().error.code).toBe('validation_failed');
      expect(res.json().error.details.fields).toEqual([{ field: 'parameters', message: expect.any(String) }]);
    }
  });

  it.each([
    ['name', { name: 'send_buttons' }, 'is the name of a built-in action'],
    ['name', { name: 'handoff' }, 'is the name of a built-in action'],
    ['name', { name: 'has space' }, 'must be 1–64 letters, digits, _ or -'],
    ['url', { url: 'ftp://shop.example.com/' }, 'must be an absolute http(s) URL'],
    ['url', { url: 'https://user:pw@shop.example.com/' }, 'must not contain credentials; send them as a header'],
    ['method', { method: 'DELETE' }, expect.any(String)],
    ['timeout_ms', { timeout_ms: 60_000 }, expect.any(String)],
    ['max_response_bytes', { max_response_bytes: 10 }, expect.any(String)],
    ['headers.Host', { headers: { Host: 'internal' } }, 'is set by the HTTP client and cannot be a tool header'],
  ])('refuses a bad %s', async (field, overrides, message) => {
    const res = await createTool(overrides);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.fields).toEqual([{ field, message }]);
  });

  it('refuses a second tool of the same name on the bot (409), not on another bot', async () => {
    const first = await createTool({ name: 'track_parcel' });
    expect(first.statusCode).toBe(201);
    const again = await createTool({ name: 'track_parcel' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.details.fields).toEqual([{ field: 'name', message: 'is taken' }]);
    expect((await createTool({ name: 'track_parcel' }, 'alice', otherBotId)).statusCode).toBe(201);
  });

  it('lists the bot’s tools by name and reads one', async () => {
    const created = (await createTool({ name: 'aaa_first', method: 'GET' })).json();
    const list = await admin.call('GET', `/api/bots/${botId}/tools`);
    expect(list.statusCode).toBe(200);
    const names = list.json().data.map((t: { name: string }) => t.name);
    expect(names[0]).toBe('aaa_first');
    expect(names).toEqual([...names].sort());
    expect(list.json().next_cursor).toBeNull();
    const one = await admin.call('GET', `/api/bots/${botId}/tools/${created.id}`);
    expect(one.json()).toEqual(created);
  });

  it('updates fields and merges headers: a value replaces (any case), null removes, the rest stay sealed as they were', async () => {
    const created = (await createTool()).json();
    const before = await database.current.db.botTool.findUniqueOrThrow({ where: { id: created.id } });
    const newKey = 'X-Api-Key-value-0123456789abcdef';
    rawSecrets.push(newKey);
    const res = await admin.call('PATCH', `/api/bots/${botId}/tools/${created.id}`, {
      body: { description: 'Finds an order', timeout_ms: 2_000, headers: { 'x-shop': null, 'X-Api-Key': newKey } },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ description: 'Finds an order', timeout_ms: 2_000, name: created.name });
    expect(Object.keys(res.json().headers).sort()).toEqual(['Authorization', 'X-Api-Key']);
    expect(res.json().headers['X-Api-Key']).toEqual({ set: true, hint: 'X-Ap…def' });
    const after = await database.current.db.botTool.findUniqueOrThrow({ where: { id: created.id } });
    const cipherOf = (headers: unknown, name: string) => (headers as Record<string, { cipher: string }>)[name]?.cipher;
    expect(cipherOf(after.headers, 'Authorization')).toBe(cipherOf(before.headers, 'Authorization'));

    const renamed = await admin.call('PATCH', `/api/bots/${botId}/tools/${created.id}`, {
      body: { name: 'find_order', parameters: { type: 'object', properties: {} } },
    });
    expect(renamed.json()).toMatchObject({ name: 'find_order', parameters: { type: 'object', properties: {} } });
    const empty = await admin.call('PATCH', `/api/bots/${botId}/tools/${created.id}`, { body: {} });
    expect(empty.statusCode).toBe(400);
    const badSchema = await admin.call('PATCH', `/api/bots/${botId}/tools/${created.id}`, {
      body: { parameters: { type: 'object', properties: 1 } },
    });
    expect(badSchema.json().error.details.fields[0].field).toBe('parameters');
  });

  it('bumps the bot’s version and announces it on every tool change (workers keep tools per version)', async () => {
    const subscriber = new Redis(redis.current.url);
    const announced: { botId: string; version: number }[] = [];
    subscriber.on('message', (_channel, message) => announced.push(JSON.parse(message)));
    await subscriber.subscribe(botChangedChannel(redis.current.prefix));
    try {
      const versionOf = async () =>
        (await database.current.db.bot.findUniqueOrThrow({ where: { id: otherBotId } })).version;
      const before = await versionOf();
      const created = (await createTool({}, 'alice', otherBotId)).json();
      const url = `/api/bots/${otherBotId}/tools/${created.id}`;
      expect((await admin.call('PATCH', url, { body: { description: 'changed' } })).statusCode).toBe(200);
      expect((await admin.call('DELETE', url)).statusCode).toBe(204);
      expect(await versionOf()).toBe(before + 3);
      await subscriber.ping();
      expect(announced.filter((a) => a.botId === otherBotId).map((a) => a.version)).toEqual([
        before + 1,
        before + 2,
        before + 3,
      ]);
    } finally {
      subscriber.disconnect();
    }
  });

  it('deletes a tool: 204, then 404', async () => {
    const created = (await createTool()).json();
    const url = `/api/bots/${botId}/tools/${created.id}`;
    expect((await admin.call('DELETE', url)).statusCode).toBe(204);
    expect((await admin.call('GET', url)).statusCode).toBe(404);
    expect((await admin.call('DELETE', url)).statusCode).toBe(404);
  });

  it("treats another workspace's bot and tools, and a tool of another bot, as not found", async () => {
    const mine = (await createTool()).json();
    const mallorys = (await createTool({}, 'mallory', malloryBotId)).json();
    const attempts = [
      admin.call('GET', `/api/bots/${botId}/tools`, { as: 'mallory' }),
      admin.call('POST', `/api/bots/${botId}/tools`, { as: 'mallory', body: toolBody() }),
      admin.call('GET', `/api/bots/${botId}/tools/${mine.id}`, { as: 'mallory' }),
      admin.call('PATCH', `/api/bots/${botId}/tools/${mine.id}`, { as: 'mallory', body: { description: 'x' } }),
      admin.call('DELETE', `/api/bots/${botId}/tools/${mine.id}`, { as: 'mallory' }),
      admin.call('GET', `/api/bots/${malloryBotId}/tools/${mallorys.id}`),
      // Alice's own bot, Mallory's tool id: the tool is looked up within the bot.
      admin.call('GET', `/api/bots/${botId}/tools/${mallorys.id}`),
      admin.call('DELETE', `/api/bots/${otherBotId}/tools/${mine.id}`),
    ];
    for (const res of await Promise.all(attempts)) expect(res.statusCode).toBe(404);
    expect((await admin.call('GET', `/api/bots/${botId}/tools/${mine.id}`)).statusCode).toBe(200);
  });

  it('audits every change with names and ids, never header values', async () => {
    const created = (await createTool({ name: 'audited_tool' })).json();
    await admin.call('PATCH', `/api/bots/${botId}/tools/${created.id}`, {
      body: { headers: { Authorization: 'Bearer another-secret-value-123456' } },
    });
    rawSecrets.push('Bearer another-secret-value-123456');
    await admin.call('DELETE', `/api/bots/${botId}/tools/${created.id}`);
    const entries = await database.current.db.auditLog.findMany({
      where: { botId, action: { startsWith: 'tool.' } },
      orderBy: { createdAt: 'asc' },
    });
    const forTool = entries.filter((e) => (e.details as { tool_id?: string }).tool_id === created.id);
    expect(forTool.map((e) => [e.action, e.actor])).toEqual([
      ['tool.create', 'alice'],
      ['tool.update', 'alice'],
      ['tool.delete', 'alice'],
    ]);
    expect(forTool[1]?.details).toEqual({
      tool_id: created.id,
      name: 'audited_tool',
      fields: ['headers'],
      headers: ['Authorization'],
    });
  });

  it('lists the calls the engine recorded, newest first, filtered by turn, tool and status, paginated', async () => {
    const { db } = database.current;
    const tool = (await createTool({ name: 'called_tool' })).json();
    const conversation = await db.conversation.create({ data: { botId, userKey: '15550001111' } });
    const turnOf = () =>
      db.message.create({
        data: {
          botId,
          conversationId: conversation.id,
          direction: 'inbound',
          type: 'text',
          text: 'hi',
          status: 'handled',
        },
      });
    const [turnA, turnB] = [await turnOf(), await turnOf()];
    const at = (s: number) => new Date(Date.UTC(2026, 11, 1, 12, 0, s));
    const call = (turnId: string, second: number, status: 'ok' | 'timeout', extra: Record<string, unknown> = {}) =>
      db.toolCall.create({
        data: {
          botId,
          turnId,
          toolId: tool.id,
          toolName: 'called_tool',
          argumentsBytes: 17,
          status,
          httpStatus: status === 'ok' ? 200 : null,
          durationMs: 40 + second,
          error: status === 'ok' ? null : 'no answer within 10000 ms',
          createdAt: at(second),
          ...extra,
        },
      });
    await call(turnA.id, 1, 'ok');
    await call(turnA.id, 2, 'timeout');
    await call(turnB.id, 3, 'ok', { toolId: null, toolName: 'deleted_tool' });

    const all = await admin.call('GET', `/api/bots/${botId}/tool-calls`);
    expect(all.statusCode).toBe(200);
    expect(all.json().data.map((c: { tool: string; duration_ms: number }) => [c.tool, c.duration_ms])).toEqual([
      ['deleted_tool', 43],
      ['called_tool', 42],
      ['called_tool', 41],
    ]);
    expect(all.json().data[1]).toEqual({
      id: expect.any(String),
      bot_id: botId,
      turn_id: turnA.id,
      tool_id: tool.id,
      tool: 'called_tool',
      arguments_bytes: 17,
      status: 'timeout',
      http_status: null,
      duration_ms: 42,
      error: 'no answer within 10000 ms',
      at: at(2).toISOString(),
    });
    const ofTurn = await admin.call('GET', `/api/bots/${botId}/tool-calls?turn_id=${turnA.id}&status=ok`);
    expect(ofTurn.json().data.map((c: { duration_ms: number }) => c.duration_ms)).toEqual([41]);
    const ofTool = await admin.call('GET', `/api/bots/${botId}/tool-calls?tool_id=${tool.id}`);
    expect(ofTool.json().data).toHaveLength(2);
    const first = await admin.call('GET', `/api/bots/${botId}/tool-calls?limit=2`);
    expect(first.json().data).toHaveLength(2);
    const second = await admin.call('GET', `/api/bots/${botId}/tool-calls?limit=2&cursor=${first.json().next_cursor}`);
    expect(second.json().data.map((c: { duration_ms: number }) => c.duration_ms)).toEqual([41]);
    expect(second.json().next_cursor).toBeNull();
    expect((await admin.call('GET', `/api/bots/${botId}/tool-calls?status=nope`)).statusCode).toBe(400);
    expect((await admin.call('GET', `/api/bots/${botId}/tool-calls`, { as: 'mallory' })).statusCode).toBe(404);
  });
});
