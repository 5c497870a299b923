import { sentText } from '@wabot/meta-simulator';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

/** error_title of a reply the engine could not produce and retrying would not fix. */
const ENGINE_FAILED = 'engine_failed';

import { eventually, newWamid, textWebhook, useWorkerKit, type WorkerKit } from './testing/worker.test-kit.js';

const fixture = useWorkerKit();
const { database } = fixture;
let kit: WorkerKit;

beforeAll(() => {
  kit = fixture.kit;
});

const textOf = (body: unknown) => sentText({ body }) ?? '';
const storedUsageSchema = z.object({ input_tokens: z.number(), output_tokens: z.number() });

async function outboundOf(botId: string, count: number) {
  return eventually(async () => {
    const rows = await database.current.db.message.findMany({
      where: { botId, direction: 'outbound' },
      orderBy: [{ createdAt: 'asc' }, { partIndex: 'asc' }],
    });
    return rows.length >= count && rows.every((r) => r.status !== 'pending') ? rows : null;
  });
}

describe('worker: bots on their own LLM provider', () => {
  for (const provider of ['anthropic', 'google', 'openai'] as const) {
    it(`a ${provider} bot answers with its own key, and the turn's usage is recorded and counted`, async () => {
      const key = `${provider}-bot-key`;
      const base_url =
        provider === 'anthropic' ? kit.llm.anthropicUrl : provider === 'google' ? kit.llm.googleUrl : kit.llm.url;
      const bot = await kit.createBot({ llm: { provider, model: `${provider}-m`, base_url } }, { llmApiKey: key });
      const user = '15550200001';
      await kit.deliver(bot, textWebhook(bot, [{ from: user, text: `hi ${provider}` }]));
      const sent = await kit.graph.waitFor(() => {
        const list = kit.graph.sentMessages({ phoneNumberId: bot.phoneNumberId, to: user });
        return list.length ? list : null;
      });
      expect(sent.map((r) => textOf(r.body))).toEqual([`ECHO: hi ${provider}`]);
      const call = kit.llm.requests.find((r) => r.lastUser === `hi ${provider}`);
      expect(call).toMatchObject({ format: provider, credential: key, model: `${provider}-m` });

      const [reply] = await outboundOf(bot.id, 1);
      expect(reply?.usage).toEqual({
        provider,
        model: `${provider}-m`,
        input_tokens: expect.any(Number),
        output_tokens: expect.any(Number),
      });
      const counted = (await fixture.runtime.deps.metrics.llmTokens.get()).values.filter(
        (v) => v.labels.bot === bot.id && v.labels.model === `${provider}-m`,
      );
      const stored = storedUsageSchema.parse(reply?.usage);
      expect(Object.fromEntries(counted.map((v) => [v.labels.kind, v.value]))).toEqual({
        input: stored.input_tokens,
        output: stored.output_tokens,
      });
    });
  }

  it('usage is stored on every part of a turn answered in several parts', async () => {
    const bot = await kit.createBot();
    const user = '15550200002';
    kit.llm.script({
      text: `${'word '.repeat(1000)}\n\n${'more '.repeat(200)}`,
      usage: { inputTokens: 77, outputTokens: 1300 },
    });
    await kit.deliver(bot, textWebhook(bot, [{ from: user, text: 'long one please' }]));
    const rows = await outboundOf(bot.id, 2);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const row of rows) {
      expect(row.usage).toEqual({
        provider: 'openai-compatible',
        model: 'test-model',
        input_tokens: 77,
        output_tokens: 1300,
      });
    }
  });

  it('a provider bot without llm_api_key: the reply is recorded as failed with a clear reason, nothing sent', async () => {
    const bot = await kit.createBot({ llm: { provider: 'anthropic', model: 'claude-x' } });
    const id = newWamid();
    await kit.deliver(bot, textWebhook(bot, [{ id, from: '15550200003', text: 'anyone?' }]));
    const [reply] = await outboundOf(bot.id, 1);
    expect(reply).toMatchObject({ status: 'failed', errorTitle: ENGINE_FAILED, usage: null });
    expect(reply?.errorDetails).toContain('no llm_api_key');
    expect(kit.graph.sentMessages({ phoneNumberId: bot.phoneNumberId })).toHaveLength(0);
  });

  it('a rejected provider key (401) is recorded on the message without the key', async () => {
    const bot = await kit.createBot(
      { llm: { provider: 'anthropic', model: 'claude-x', base_url: kit.llm.anthropicUrl } },
      { llmApiKey: 'sk-ant-rejected-secret' },
    );
    kit.llm.failNext(1, 401);
    await kit.deliver(bot, textWebhook(bot, [{ from: '15550200004', text: 'key?' }]));
    const [reply] = await outboundOf(bot.id, 1);
    expect(reply).toMatchObject({ status: 'failed', errorTitle: ENGINE_FAILED, errorCode: 401 });
    expect(reply?.errorDetails).toContain('rejected the API key');
    expect(reply?.errorDetails).not.toContain('sk-ant-rejected-secret');
    expect(kit.logs.text()).not.toContain('sk-ant-rejected-secret');
  });

  it('the model calls every action tool: each reaches the simulated Graph in order, Meta-shaped, then the handoff', async () => {
    const bot = await kit.createBot();
    const user = '15550200005';
    kit.llm.script({
      text: 'Here you go.',
      toolCalls: [
        {
          name: 'send_buttons',
          args: {
            body: 'Tea or coffee?',
            buttons: [
              { id: 'tea', title: 'Tea' },
              { id: 'coffee', title: 'Coffee' },
            ],
          },
        },
        {
          name: 'send_list',
          args: {
            body: 'Our menu',
            button: 'Open menu',
            sections: [{ title: 'Drinks', rows: [{ id: 'latte', title: 'Latte' }] }],
          },
        },
        {
          name: 'send_cta_url',
          args: { body: 'Track your order', display_text: 'Track', url: 'https://example.com/t/1' },
        },
        { name: 'send_media', args: { type: 'image', url: 'https://example.com/menu.jpg', caption: 'The menu' } },
        { name: 'request_location', args: { body: 'Where should we deliver?' } },
        { name: 'react', args: { emoji: '👍' } },
        { name: 'handoff', args: { reason: 'wants a refund', summary: 'Asked for a refund of order 17' } },
      ],
    });
    await kit.deliver(bot, textWebhook(bot, [{ id: newWamid(), from: user, text: 'show me everything' }]));
    const sent = await kit.graph.waitFor(() => {
      const list = kit.graph.sentMessages({ phoneNumberId: bot.phoneNumberId, to: user });
      return list.length >= 7 ? list : null;
    }, 15_000);
    const shapes = sent.map((r) => {
      const body = z.object({ type: z.string(), interactive: z.object({ type: z.string() }).optional() }).parse(r.body);
      return body.interactive ? `interactive:${body.interactive.type}` : body.type;
    });
    expect(shapes).toEqual([
      'text',
      'interactive:button',
      'interactive:list',
      'interactive:cta_url',
      'image',
      'interactive:location_request_message',
      'reaction',
    ]);
    expect(sent.every((r) => r.status === 200)).toBe(true);
    // The handoff is no Graph send: the conversation is the team's, with the model's reason and summary.
    const conversation = await eventually(async () => {
      const row = await database.current.db.conversation.findFirst({ where: { botId: bot.id } });
      return row?.control === 'human' ? row : null;
    });
    expect(conversation).toMatchObject({
      handoffReason: 'wants a refund',
      handoffSummary: 'Asked for a refund of order 17',
    });
  });
});
