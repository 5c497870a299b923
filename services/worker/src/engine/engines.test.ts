import { botSettingsSchema, type LlmProvider } from '@wabot/bot-registry';
import { type LlmSimulator, startLlmSimulator } from '@wabot/llm-simulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EngineAborted, EngineError, type EngineReply, type EngineRequest, type ToolDefinition } from './bot-engine.js';
import { createEngine, resolveLlmTarget } from './create-engine.js';
import { createLlmEngine } from './llm-engine.js';
import type { LlmTarget } from './llm-model.js';
import { createOfflineEngine } from './offline-engine.js';

const settings = botSettingsSchema.parse({});
/** The reply's text parts, joined. */
const textOf = (reply: EngineReply) => reply.parts.map((part) => (part.type === 'text' ? part.text : '')).join('');
const request = (messages: string[], extra: Partial<EngineRequest> = {}): EngineRequest => ({
  systemPrompt: 'You are Acme support.',
  history: [],
  messages,
  settings,
  ...extra,
});

describe('offline engine', () => {
  const engine = createOfflineEngine(() => new Date('2026-01-02T03:04:05Z'));
  const ask = (message: string) => engine.reply(request([message]));

  it('is plainly a demo: a canned greeting that never repeats the system prompt', async () => {
    const hello = textOf(await ask('hello'));
    expect(hello).toContain('offline demo bot');
    expect(hello).not.toContain('Acme');
    expect(textOf(await ask('what time is it'))).toContain('2026-01-02T03:04:05.000Z');
    expect(textOf(await ask('help'))).toContain('LONGREPLY');
    expect(await ask('anything')).toEqual(await ask('anything'));
  });

  it("reads a voice note's transcript and passes on the media step's labelled stand-in description", async () => {
    expect(textOf(await ask('[Voice message] Table for six at 7?'))).toBe(
      'I got your voice message. Its transcript reads: "Table for six at 7?"',
    );
    expect(textOf(await ask('[Voice message]'))).toContain('cannot listen to audio offline');
    const described = textOf(
      await ask('our storefront\n[Image]\n[offline stand-in description] a image/png picture of 68 bytes'),
    );
    expect(described).toContain('[offline stand-in description] a image/png picture of 68 bytes');
    expect(textOf(await ask('[Image]'))).toContain('cannot see images offline');
  });

  it('"menu" answers with reply buttons, "list" with a list, and a tapped title is answered', async () => {
    const menu = await ask('Menu');
    expect(menu.parts).toEqual([
      {
        type: 'action',
        action: {
          kind: 'buttons',
          body: expect.stringContaining('offline demo'),
          buttons: [
            { id: 'demo_time', title: 'Current time' },
            { id: 'demo_long', title: 'Long reply' },
            { id: 'demo_agent', title: 'Talk to a person' },
          ],
        },
      },
    ]);
    const list = await ask('list');
    expect(list.parts[0]).toMatchObject({ type: 'action', action: { kind: 'list', button: 'Topics' } });
    expect(textOf(await ask('Current time'))).toContain('2026-01-02T03:04:05.000Z');
    expect(textOf(await ask('Long reply')).length).toBeGreaterThan(4096);
    // A message that merely mentions the menu is not the command.
    expect(textOf(await ask('Vegetarian menu'))).toContain('You said: "Vegetarian menu"');
  });

  it('"agent" / "human" hands over: a text, then the handoff action with a summary', async () => {
    for (const message of ['agent please', 'I want a human', 'Talk to a person']) {
      const reply = await ask(message);
      expect(reply.parts[0]).toMatchObject({ type: 'text' });
      expect(reply.parts[1]).toEqual({
        type: 'action',
        action: { kind: 'handoff', reason: 'the user asked for a person', summary: `The user wrote: "${message}"` },
      });
    }
  });

  it('echoes other text and says how much history it was shown (not a count of the whole conversation)', async () => {
    expect(textOf(await ask('where is my order'))).toBe(
      'You said: "where is my order" (I was shown no earlier message of yours). Offline demo: configure an LLM (settings.llm or LLM_BASE_URL) for real answers.',
    );
    const history = [
      { role: 'user' as const, content: 'one' },
      { role: 'assistant' as const, content: 'ok' },
      { role: 'user' as const, content: 'two' },
    ];
    const reply = textOf(await engine.reply(request(['three'], { history })));
    expect(reply).toContain('(I was shown 2 earlier messages of yours)');
  });

  it('answers LONGREPLY with more than one WhatsApp message worth of text', async () => {
    expect(textOf(await ask('please LONGREPLY')).length).toBeGreaterThan(4096);
  });
});

describe('choosing the engine', () => {
  const config = {
    LLM_BASE_URL: undefined,
    LLM_API_KEY: undefined,
    LLM_MODEL: undefined,
    LLM_TIMEOUT_MS: 1_000,
    LLM_RETRIES: 0,
    LLM_RETRY_BASE_MS: 1,
  };
  const llm = (value: unknown) => botSettingsSchema.parse({ llm: value }).llm;

  it("the bot's provider with its key; else the deployment's LLM_* (OpenAI-compatible); else offline", () => {
    const deployment = { ...config, LLM_BASE_URL: 'http://llm.test/v1', LLM_API_KEY: 'dk', LLM_MODEL: 'dm' };
    expect(
      resolveLlmTarget(llm({ provider: 'anthropic', model: 'claude-x', fallback_model: 'claude-y' }), 'bk', deployment),
    ).toEqual({
      provider: 'anthropic',
      model: 'claude-x',
      baseUrl: undefined,
      apiKey: 'bk',
      fallbackModel: 'claude-y',
    });
    expect(resolveLlmTarget(llm({ model: 'override' }), null, deployment)).toMatchObject({
      provider: 'openai-compatible',
      model: 'override',
      baseUrl: 'http://llm.test/v1',
      apiKey: 'dk',
    });
    expect(resolveLlmTarget(llm({}), null, deployment)).toMatchObject({ model: 'dm' });
    expect(resolveLlmTarget(llm({}), null, config)).toBeNull();
  });

  it('a provider that needs a key and has none is a non-retryable EngineError (no network call)', () => {
    const error = (() => {
      try {
        return resolveLlmTarget(llm({ provider: 'openai', model: 'gpt-x' }), null, config);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(EngineError);
    expect(error).toMatchObject({ retryable: false, message: expect.stringContaining('no llm_api_key') });
    // openai-compatible servers (Ollama, vLLM) often need none.
    expect(
      resolveLlmTarget(llm({ provider: 'openai-compatible', model: 'llama', base_url: 'http://x/v1' }), null, config),
    ).toMatchObject({ provider: 'openai-compatible', apiKey: undefined });
  });

  it('settings.llm is checked: a provider needs a model, openai-compatible a base_url', () => {
    expect(botSettingsSchema.safeParse({ llm: { provider: 'google' } }).success).toBe(false);
    expect(botSettingsSchema.safeParse({ llm: { provider: 'openai-compatible', model: 'm' } }).success).toBe(false);
    expect(botSettingsSchema.safeParse({ llm: { provider: 'mistral', model: 'm' } }).success).toBe(false);
    // Settings written before providers existed still parse.
    expect(botSettingsSchema.parse({ llm: { model: 'old', temperature: 0.3 } }).llm).toEqual({
      model: 'old',
      temperature: 0.3,
    });
  });

  it('without any LLM configured the offline engine answers', async () => {
    const engine = createEngine(config);
    expect(engine.name).toBe('offline');
    expect(textOf(await engine.reply(request(['hello'])))).toContain('offline demo bot');
  });
});

describe('LLM engine on the fake providers', () => {
  let sim: LlmSimulator;
  beforeAll(async () => {
    sim = await startLlmSimulator({ apiKeys: ['good-key'], unknownModels: ['no-such-model'] });
  });
  afterAll(async () => {
    await sim?.close();
  });
  beforeEach(() => sim.reset());

  const engine = createLlmEngine({ timeoutMs: 2_000, retries: 1, retryBaseMs: 5 });
  const baseUrlOf = (provider: LlmProvider) =>
    provider === 'anthropic' ? sim.anthropicUrl : provider === 'google' ? sim.googleUrl : sim.url;
  const targetOf = (provider: LlmProvider, extra: Partial<LlmTarget> = {}): LlmTarget => ({
    provider,
    model: `${provider}-model`,
    baseUrl: baseUrlOf(provider),
    apiKey: 'good-key',
    ...extra,
  });
  const lookupOrder: ToolDefinition = {
    name: 'lookup_order',
    description: 'Look up an order by id',
    parameters: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
    run: async (args) => ({ order: args, state: 'shipped' }),
  };

  const providers: LlmProvider[] = ['openai', 'anthropic', 'google', 'openai-compatible'];
  describe.each(providers)('%s', (provider) => {
    const format = provider === 'openai-compatible' ? 'openai' : provider;

    it('answers with text in its wire format: system prompt, history and the turn in order; usage reported', async () => {
      sim.script({ text: 'Hi from the model', usage: { inputTokens: 42, outputTokens: 7 } });
      const reply = await engine.reply(
        request(['now'], {
          history: [
            { role: 'user', content: 'u1' },
            { role: 'assistant', content: 'a1' },
          ],
        }),
        targetOf(provider),
      );
      expect(reply.parts).toEqual([{ type: 'text', text: 'Hi from the model' }]);
      expect(reply.usage).toEqual({ provider, model: `${provider}-model`, inputTokens: 42, outputTokens: 7 });
      const [seen] = sim.requests;
      expect(seen).toMatchObject({ format, model: `${provider}-model`, credential: 'good-key', status: 200 });
      expect(seen?.messages.map((m) => [m.role, m.content])).toEqual([
        ['system', 'You are Acme support.'],
        ['user', 'u1'],
        ['assistant', 'a1'],
        ['user', 'now'],
      ]);
      expect(seen?.tools).toEqual(expect.arrayContaining(['send_buttons', 'send_list', 'handoff']));
    });

    it('answers with an action: send_buttons becomes an action part in model order, without a round trip', async () => {
      sim.script({
        text: 'Pick one:',
        toolCalls: [
          {
            name: 'send_buttons',
            args: { body: 'How can we help?', buttons: [{ id: 'track', title: 'Track my order, please now' }] },
          },
        ],
      });
      const reply = await engine.reply(request(['hi']), targetOf(provider));
      expect(reply.parts).toEqual([
        { type: 'text', text: 'Pick one:' },
        {
          type: 'action',
          action: {
            kind: 'buttons',
            body: 'How can we help?',
            buttons: [{ id: 'track', title: 'Track my order, ple…' }],
          },
        },
      ]);
      expect(sim.requests).toHaveLength(1);
      expect(reply.toolCalls).toEqual([{ tool: 'send_buttons', status: 'ok', duration_ms: 0 }]);
    });

    it('runs an extra tool in a round trip: the model reads its result and answers', async () => {
      sim.script({ toolCalls: [{ name: 'lookup_order', args: { id: '42' } }] });
      const reply = await engine.reply(request(['where is 42?'], { tools: [lookupOrder] }), targetOf(provider));
      expect(textOf(reply)).toContain('TOOL RESULT:');
      expect(textOf(reply)).toContain('shipped');
      expect(sim.requests).toHaveLength(2);
      expect(sim.requests[0]?.tools).toContain('lookup_order');
      expect(sim.requests[1]?.messages.at(-2)?.toolCalls).toEqual([{ name: 'lookup_order', args: { id: '42' } }]);
      expect(reply.toolCalls).toEqual([{ tool: 'lookup_order', status: 'ok', duration_ms: expect.any(Number) }]);
      // Usage of both calls of the loop.
      expect(reply.usage?.inputTokens).toBeGreaterThan(0);
    });

    it('a rejected key (401) is a non-retryable EngineError that names the problem but not the key', async () => {
      const error = await engine
        .reply(request(['x']), targetOf(provider, { apiKey: 'sk-wrong-secret-key' }))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EngineError);
      expect(error).toMatchObject({ retryable: false, status: 401 });
      expect(String(error)).toContain('rejected the API key');
      expect(String(error)).not.toContain('sk-wrong-secret-key');
      expect(sim.requests).toHaveLength(1);
    });

    it('an unknown model (404) is non-retryable; a fallback model answers instead', async () => {
      const unknown = await engine
        .reply(request(['x']), targetOf(provider, { model: 'no-such-model' }))
        .catch((e: unknown) => e);
      expect(unknown).toMatchObject({ retryable: false, status: 404 });
      expect(String(unknown)).toContain('no-such-model');
      const reply = await engine.reply(
        request(['x']),
        targetOf(provider, { model: 'no-such-model', fallbackModel: 'backup-model' }),
      );
      expect(textOf(reply)).toBe('ECHO: x');
      expect(reply.usage?.model).toBe('backup-model');
    });
  });

  it('a 429 with Retry-After is retried after the time the provider asked for', async () => {
    sim.failNext(1, 429, 1);
    const started = Date.now();
    const reply = await engine.reply(request(['patience']), targetOf('anthropic'));
    expect(textOf(reply)).toBe('ECHO: patience');
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(sim.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it('5xx are retried and then give up with a retryable EngineError', async () => {
    sim.failNext(2, 503);
    const error = await engine.reply(request(['down']), targetOf('openai')).catch((e: unknown) => e);
    expect(error).toMatchObject({ retryable: true, status: 503, message: expect.stringContaining('HTTP 503') });
    expect(sim.requests).toHaveLength(2);
  });

  it('the fallback model takes over when the model keeps failing (after its retries)', async () => {
    sim.failNext(2, 500);
    const reply = await engine.reply(request(['help']), targetOf('google', { fallbackModel: 'gemini-backup' }));
    expect(textOf(reply)).toBe('ECHO: help');
    expect(reply.usage).toMatchObject({ provider: 'google', model: 'gemini-backup' });
    expect(sim.requests.map((r) => [r.model, r.status])).toEqual([
      ['google-model', 500],
      ['google-model', 500],
      ['gemini-backup', 200],
    ]);
  });

  it('a slow answer times out (retryable)', async () => {
    const fast = createLlmEngine({ timeoutMs: 100, retries: 0, retryBaseMs: 1 });
    sim.delayNext(1, 400);
    const error = await fast.reply(request(['slow']), targetOf('openai')).catch((e: unknown) => e);
    expect(error).toMatchObject({ retryable: true, message: expect.stringContaining('timed out after 100 ms') });
  });

  it('stops at once when the turn is superseded (abort), without retrying', async () => {
    sim.delayNext(1, 2_000);
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 100);
    const error = await engine
      .reply(request(['q'], { signal: controller.signal }), targetOf('anthropic'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineAborted);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(sim.requests).toHaveLength(1);
  });

  it('a failing tool gives the model its error (never silence) and is recorded as failed', async () => {
    const broken: ToolDefinition = { ...lookupOrder, run: async () => Promise.reject(new Error('order service down')) };
    sim.script({ toolCalls: [{ name: 'lookup_order', args: { id: '7' } }] });
    const reply = await engine.reply(request(['where is 7?'], { tools: [broken] }), targetOf('openai'));
    expect(textOf(reply)).toContain('order service down');
    expect(sim.requests[1]?.messages.at(-1)).toMatchObject({ role: 'tool', content: expect.stringContaining('down') });
    expect(reply.toolCalls).toEqual([
      { tool: 'lookup_order', status: 'error', duration_ms: expect.any(Number), error: 'order service down' },
    ]);
  });

  it('handoff ends the turn; an action that cannot be sent is replaced by text or dropped and recorded', async () => {
    sim.script({
      toolCalls: [
        { name: 'react', args: { emoji: 'not an emoji' } },
        { name: 'send_cta_url', args: { body: 'See our site', display_text: 'Open', url: 'javascript:alert(1)' } },
        { name: 'handoff', args: { reason: 'angry customer', summary: 'Wants a refund' } },
      ],
    });
    const reply = await engine.reply(request(['refund now']), targetOf('openai'));
    expect(reply.parts).toEqual([
      { type: 'text', text: 'See our site' },
      { type: 'action', action: { kind: 'handoff', reason: 'angry customer', summary: 'Wants a refund' } },
    ]);
    expect(reply.toolCalls).toEqual([
      { tool: 'react', status: 'error', duration_ms: 0, error: 'reaction_not_one_emoji' },
      { tool: 'send_cta_url', status: 'ok', duration_ms: 0, error: 'cta_url_not_sendable' },
      { tool: 'handoff', status: 'ok', duration_ms: 0 },
    ]);
    expect(sim.requests).toHaveLength(1);
  });

  it('reports cached input tokens where the provider does', async () => {
    sim.script({ text: 'ok', usage: { inputTokens: 100, outputTokens: 3, cachedInputTokens: 80 } });
    const reply = await engine.reply(request(['x']), targetOf('openai'));
    expect(reply.usage).toEqual({
      provider: 'openai',
      model: 'openai-model',
      inputTokens: 100,
      outputTokens: 3,
      cachedInputTokens: 80,
    });
  });

  it('the deployment default (LLM_*) is the OpenAI-compatible engine, temperature from the bot', async () => {
    const deployment = createEngine({
      LLM_BASE_URL: sim.url,
      LLM_API_KEY: 'good-key',
      LLM_MODEL: 'deployment-model',
      LLM_TIMEOUT_MS: 2_000,
      LLM_RETRIES: 0,
      LLM_RETRY_BASE_MS: 1,
    });
    const reply = await deployment.reply(
      request(['hi', 'my order', 'is late'], { settings: botSettingsSchema.parse({ llm: { temperature: 0.2 } }) }),
    );
    expect(textOf(reply)).toBe('ECHO: is late');
    expect(sim.requests[0]).toMatchObject({ model: 'deployment-model', temperature: 0.2, credential: 'good-key' });
    expect(sim.requests[0]?.messages.slice(1).map((m) => m.content)).toEqual(['hi', 'my order', 'is late']);
  });
});
