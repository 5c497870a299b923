import { randomBytes } from 'node:crypto';
import { createBotToolRepository, createToolCallRepository } from '@wabot/db';
import { createHttpToolRunner, type HttpToolSpec, toToolOutput } from '@wabot/http-tools';
import { createCaptureStream, createLogger } from '@wabot/logger';
import { createSecretBox, maskSecret } from '@wabot/secrets';
import { createTestBot, useTestDatabase } from '@wabot/testing';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBotTools, ToolCallFailed } from './bot-tools.js';

const database = useTestDatabase();
const secretBox = createSecretBox(randomBytes(32));
const logs = createCaptureStream();
const logger = createLogger({ name: 'bot-tools-test', level: 'debug', destination: logs });
const API_KEY = `sk-test-${randomBytes(12).toString('hex')}`;
let server: FastifyInstance;
let base: string;
const received: Record<string, unknown>[] = [];

const runner = createHttpToolRunner({ allowedHosts: ['127.0.0.1'] });
const repositoriesOf = () => ({
  tools: createBotToolRepository(database.current.db),
  toolCalls: createToolCallRepository(database.current.db),
});

beforeAll(async () => {
  server = Fastify();
  server.post('/orders', async (request) => {
    received.push({ headers: request.headers, body: request.body });
    return { status: 'shipped' };
  });
  await server.listen({ host: '127.0.0.1', port: 0 });
  const address = server.server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  base = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  await server.close();
  expect(logs.text()).not.toContain(API_KEY);
});

const seed = async () => {
  const { db } = database.current;
  const workspace = await db.workspace.create({ data: { name: 'tools' } });
  const bot = await createTestBot(db, secretBox, { workspaceId: workspace.id });
  const conversation = await db.conversation.create({
    data: { botId: bot.id, userKey: `u-${randomBytes(4).toString('hex')}` },
  });
  const turn = await db.message.create({
    data: {
      botId: bot.id,
      conversationId: conversation.id,
      direction: 'inbound',
      type: 'text',
      text: 'where is my order?',
      status: 'processing',
    },
  });
  const tool = await db.botTool.create({
    data: {
      botId: bot.id,
      name: 'lookup_order',
      description: 'Looks up an order',
      parameters: { type: 'object', properties: { order_id: { type: 'string' } }, required: ['order_id'] },
      url: `${base}/orders`,
      method: 'POST',
      headers: { 'X-Api-Key': { cipher: secretBox.seal(API_KEY), hint: maskSecret(API_KEY) } },
      timeoutMs: 2_000,
      maxResponseBytes: 4_096,
    },
  });
  return { bot, turn, tool };
};

describe('createBotTools', () => {
  it('loads a bot’s tools with their headers opened, calls them and records each call on the turn', async () => {
    const { bot, turn, tool } = await seed();
    const tools = createBotTools({ ...repositoriesOf(), secretBox, runner, logger });
    const toolset = await tools.loadBotTools({ id: bot.id, version: 1 });
    const [lookup, ...others] = toolset.definitions;
    expect(others).toEqual([]);
    expect(lookup).toMatchObject({ toolId: tool.id, name: 'lookup_order', description: 'Looks up an order' });
    expect(lookup?.parameters).toEqual(tool.parameters);
    if (!lookup) throw new Error('no tool');

    // What the engine does: run() gives the model's output, or rejects with what the model is told.
    expect(await lookup.run({ order_id: 'A-1' })).toEqual({ status: 200, body: '{"status":"shipped"}' });
    expect(received.at(-1)).toMatchObject({ headers: { 'x-api-key': API_KEY }, body: { order_id: 'A-1' } });
    const rejected = lookup.run({ order: 'A-1' });
    await expect(rejected).rejects.toBeInstanceOf(ToolCallFailed);
    await expect(rejected).rejects.toThrow("invalid arguments: arguments must have required property 'order_id'");
    const [ok, invalid] = toolset.calls;
    if (!ok || !invalid) throw new Error('calls not collected');
    expect(toolset.calls).toHaveLength(2);
    expect(ok).toMatchObject({ toolId: tool.id, ok: true, status: 200, outcome: 'ok' });
    expect(toToolOutput(ok)).toEqual({ status: 200, body: '{"status":"shipped"}' });
    expect(invalid.outcome).toBe('invalid_arguments');

    expect(await tools.recordToolCalls({ botId: bot.id, turnId: turn.id }, [ok, invalid])).toBe(true);
    const rows = await database.current.db.toolCall.findMany({
      where: { turnId: turn.id },
      orderBy: { createdAt: 'asc' },
    });
    expect(rows.map((r) => [r.toolId, r.toolName, r.status, r.httpStatus, r.error])).toEqual([
      [tool.id, 'lookup_order', 'ok', 200, null],
      [
        tool.id,
        'lookup_order',
        'invalid_arguments',
        null,
        "invalid arguments: arguments must have required property 'order_id'",
      ],
    ]);
    expect(rows[0]?.argumentsBytes).toBe(JSON.stringify({ order_id: 'A-1' }).length);
    expect(rows[0]?.durationMs).toBe(ok.durationMs);
    expect(rows[0]?.createdAt.getTime()).toBe(ok.at.getTime());

    // Deleting the tool keeps its calls, by name.
    await database.current.db.botTool.delete({ where: { id: tool.id } });
    const kept = await database.current.db.toolCall.findMany({ where: { turnId: turn.id } });
    expect(kept.map((r) => [r.toolId, r.toolName])).toEqual([
      [null, 'lookup_order'],
      [null, 'lookup_order'],
    ]);
    // Tools are kept per bot version: the same version is not read again, a new one is.
    expect((await tools.loadBotTools({ id: bot.id, version: 1 })).definitions.map((d) => d.name)).toEqual([
      'lookup_order',
    ]);
    expect((await tools.loadBotTools({ id: bot.id, version: 2 })).definitions).toEqual([]);
  });

  it('offers a tool whose headers no key opens, and tells the model it is unavailable instead of calling it', async () => {
    const { bot } = await seed();
    const otherKey = createSecretBox(randomBytes(32));
    const tools = createBotTools({ ...repositoriesOf(), secretBox: otherKey, runner, logger });
    const toolset = await tools.loadBotTools({ id: bot.id, version: 1 });
    const [lookup] = toolset.definitions;
    const before = received.length;
    await expect(lookup?.run({ order_id: 'A-1' })).rejects.toThrow(
      'the tool is unavailable: its stored credentials cannot be decrypted',
    );
    expect(toolset.calls).toMatchObject([{ ok: false, outcome: 'unavailable', toolId: lookup?.toolId }]);
    expect(received.length).toBe(before);
    expect(logs.text()).toContain('tool headers cannot be decrypted');
  });

  it('resolves false and logs when the calls cannot be recorded, instead of failing the turn', async () => {
    const { bot } = await seed();
    const tools = createBotTools({ ...repositoriesOf(), secretBox, runner, logger });
    const spec: HttpToolSpec = {
      name: 'x',
      url: 'http://127.0.0.1:1/',
      method: 'GET',
      parameters: { type: 'object' },
      headers: {},
      timeoutMs: 500,
      maxResponseBytes: 256,
    };
    const call = { ...(await runner.run(spec, {})), toolId: null };
    expect(call.outcome).toBe('network_error');
    // No message has this id: the foreign key refuses the row.
    expect(await tools.recordToolCalls({ botId: bot.id, turnId: '00000000-0000-4000-8000-000000000000' }, [call])).toBe(
      false,
    );
    expect(logs.text()).toContain('could not record tool calls');
  });
});
