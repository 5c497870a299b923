import { createServer } from 'node:http';
import { createBotToolRepository } from '@wabot/db';
import { sentText } from '@wabot/meta-simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, textWebhook, useWorkerKit, type WorkerKit } from './testing/worker.test-kit.js';

// A bot's HTTP tool reaches the model through the turn (docs/contract.md, HTTP tools): the model
// calls it, the worker runs it (127.0.0.1 allowed for the test), the model sees the answer, the
// call is recorded on the turn.
const fixture = useWorkerKit({ config: { TOOL_ALLOWED_HOSTS: '127.0.0.1' } });
const { database } = fixture;
let kit: WorkerKit;
const orders: unknown[] = [];
const orderApi = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    orders.push(JSON.parse(Buffer.concat(chunks).toString() || '{}'));
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ order: 'A-17', status: 'shipped' }));
  });
});
let orderUrl = '';

beforeAll(async () => {
  kit = fixture.kit;
  await new Promise<void>((resolve) => orderApi.listen(0, '127.0.0.1', resolve));
  const address = orderApi.address();
  orderUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/orders`;
});
afterAll(async () => {
  await new Promise((resolve) => orderApi.close(resolve));
});

describe('worker: HTTP tools in a turn', () => {
  it('runs the tool the model calls, gives the model its answer, and records the call on the turn', async () => {
    const bot = await kit.createBot();
    await createBotToolRepository(database.current.db).create({
      botId: bot.id,
      name: 'order_status',
      description: 'Looks up an order',
      parameters: { type: 'object', properties: { order: { type: 'string' } }, required: ['order'] },
      url: orderUrl,
      method: 'POST',
    });
    kit.llm.script({ toolCalls: [{ name: 'order_status', args: { order: 'A-17' } }] });
    const user = '15550300001';
    await kit.deliver(bot, textWebhook(bot, [{ from: user, text: 'where is A-17?' }]));
    const [reply] = await kit.graph.waitFor(() => {
      const sent = kit.graph.sentMessages({ phoneNumberId: bot.phoneNumberId, to: user });
      return sent.length ? sent : null;
    }, 15_000);
    // The simulator answers a tool result with `TOOL RESULT: <result>`: the model saw the API's answer.
    expect(sentText(reply ?? { body: null }) ?? '').toContain('shipped');
    expect(orders).toEqual([{ order: 'A-17' }]);
    const calls = await eventually(async () => {
      const rows = await database.current.db.toolCall.findMany({ where: { botId: bot.id } });
      return rows.length ? rows : null;
    });
    const turn = await database.current.db.message.findFirstOrThrow({ where: { botId: bot.id, direction: 'inbound' } });
    expect(calls).toMatchObject([{ toolName: 'order_status', status: 'ok', httpStatus: 200, turnId: turn.id }]);
  });
});
