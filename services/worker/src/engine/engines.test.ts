import { createServer } from 'node:http';
import { botSettingsSchema } from '@wabot/bot-registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeLlm, type FakeLlm } from '../testing/fake-llm.js';
import { EngineAborted, EngineError, type EngineReply } from './bot-engine.js';
import { createOfflineEngine } from './offline-engine.js';
import { createOpenAiEngine } from './openai-engine.js';

const settings = botSettingsSchema.parse({});
/** The reply's text parts, joined. */
const textOf = (reply: EngineReply) => reply.parts.map((part) => (part.type === 'text' ? part.text : '')).join('');

describe('offline engine', () => {
  const engine = createOfflineEngine(() => new Date('2026-01-02T03:04:05Z'));
  const ask = (message: string) =>
    engine.reply({ systemPrompt: 'You are Acme support.', history: [], messages: [message], settings }).then(textOf);

  it('is deterministic and helpful', async () => {
    expect(await ask('hello')).toBe('Hello! You are Acme support. How can I help you today?');
    expect(await ask('what time is it')).toContain('2026-01-02T03:04:05.000Z');
    expect(await ask('help')).toContain('LONGREPLY');
    expect(await ask('anything')).toBe(await ask('anything'));
  });

  it('echoes other text and says how much history it was shown (not a count of the whole conversation)', async () => {
    expect(await ask('where is my order')).toBe(
      'You said: "where is my order" (I was shown no earlier message of yours). Configure LLM_BASE_URL for real answers.',
    );
    const history = [
      { role: 'user' as const, content: 'one' },
      { role: 'assistant' as const, content: 'ok' },
      { role: 'user' as const, content: 'two' },
    ];
    const reply = textOf(await engine.reply({ systemPrompt: '', history, messages: ['three'], settings }));
    expect(reply).toContain('(I was shown 2 earlier messages of yours)');
  });

  it('answers LONGREPLY with more than one WhatsApp message worth of text', async () => {
    expect((await ask('please LONGREPLY')).length).toBeGreaterThan(4096);
  });
});

describe('OpenAI-compatible engine', () => {
  let llm: FakeLlm;
  beforeAll(async () => {
    llm = await createFakeLlm();
  });
  afterAll(async () => {
    await llm?.close();
  });
  const engineWith = (overrides: Partial<Parameters<typeof createOpenAiEngine>[0]> = {}) =>
    createOpenAiEngine({
      baseUrl: llm.url,
      apiKey: 'k',
      model: 'm',
      timeoutMs: 500,
      retries: 1,
      retryBaseMs: 5,
      ...overrides,
    });

  it('sends the system prompt first, then history, then the message; model and temperature from settings', async () => {
    const engine = engineWith();
    const reply = await engine.reply({
      systemPrompt: 'SYS',
      history: [
        { role: 'user', content: 'u1' },
        { role: 'assistant', content: 'a1' },
      ],
      messages: ['now'],
      settings: botSettingsSchema.parse({ llm: { model: 'override', temperature: 0.2 } }),
    });
    expect(textOf(reply)).toBe('ECHO: now');
    const last = llm.requests.at(-1);
    expect(last?.messages).toEqual([
      { role: 'system', content: 'SYS' },
      { role: 'user', content: 'u1' },
      { role: 'assistant', content: 'a1' },
      { role: 'user', content: 'now' },
    ]);
    expect(last?.model).toBe('override');
    expect(last?.temperature).toBe(0.2);
    expect(last?.authorization).toBe('Bearer k');
    await engine.close();
  });

  it('retries a 429/5xx and gives up with a retryable EngineError', async () => {
    const engine = engineWith();
    llm.failNext(1, 429);
    expect(textOf(await engine.reply({ systemPrompt: 's', history: [], messages: ['x'], settings }))).toBe('ECHO: x');
    llm.failNext(2, 503);
    const error = await engine.reply({ systemPrompt: 's', history: [], messages: ['y'], settings }).catch((e) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('HTTP 503');
    await engine.close();
  });

  it('does not retry a 401 and reports timeouts', async () => {
    const engine = engineWith({ retries: 0, timeoutMs: 100 });
    llm.failNext(1, 401);
    const denied = await engine.reply({ systemPrompt: 's', history: [], messages: ['z'], settings }).catch((e) => e);
    expect(denied.retryable).toBe(false);
    llm.delayNext(1, 300);
    const slow = await engine.reply({ systemPrompt: 's', history: [], messages: ['z'], settings }).catch((e) => e);
    expect(slow.message).toContain('timed out after 100 ms');
    expect(slow.retryable).toBe(true);
    await engine.close();
  });

  it('gives every message of a turn as its own user message, in order', async () => {
    const engine = engineWith();
    await engine.reply({ systemPrompt: 'SYS', history: [], messages: ['hi', 'my order', 'is late'], settings });
    expect(llm.requests.at(-1)?.messages.slice(1)).toEqual([
      { role: 'user', content: 'hi' },
      { role: 'user', content: 'my order' },
      { role: 'user', content: 'is late' },
    ]);
    await engine.close();
  });

  it('stops at once when the turn is superseded (abort), without retrying', async () => {
    const engine = engineWith({ timeoutMs: 5_000 });
    llm.delayNext(1, 2_000);
    const controller = new AbortController();
    const started = Date.now();
    const pending = engine.reply({
      systemPrompt: 's',
      history: [],
      messages: ['q'],
      settings,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 100);
    const error = await pending.catch((e) => e);
    expect(error).toBeInstanceOf(EngineAborted);
    expect(Date.now() - started).toBeLessThan(1_500);
    await engine.close();
  });
});

describe('OpenAI-compatible engine: reading the answer', () => {
  // Answers every request with the next canned body (status 200).
  const bodies: string[] = [];
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(bodies.shift() ?? '{}'));
  });
  let baseUrl = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    baseUrl = `http://127.0.0.1:${address.port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });
  const answer = async (...canned: unknown[]) => {
    bodies.splice(0, bodies.length, ...canned.map((body) => (typeof body === 'string' ? body : JSON.stringify(body))));
    const engine = createOpenAiEngine({ baseUrl, timeoutMs: 1_000, retries: 1, retryBaseMs: 1 });
    try {
      return textOf(await engine.reply({ systemPrompt: 's', history: [], messages: ['x'], settings }));
    } finally {
      await engine.close();
    }
  };
  const choice = (content: unknown) => ({ id: 'c1', choices: [{ index: 0, message: { role: 'assistant', content } }] });

  it('reads choices[0].message.content: a string, text parts joined, null as an empty reply', async () => {
    expect(await answer(choice('hello'))).toBe('hello');
    expect(await answer(choice(['a', { type: 'text', text: 'b' }, { type: 'image_url' }]))).toBe('ab');
    expect(await answer(choice(null))).toBe('');
    expect(await answer({ choices: [{ message: { content: 'first' } }, { message: { content: 'second' } }] })).toBe(
      'first',
    );
  });

  it('a malformed answer is a non-retryable EngineError (asked once); a body that is not JSON is retried', async () => {
    for (const body of [{}, { choices: [] }, { choices: [{ message: {} }] }, { choices: [{}] }, { choices: 'x' }]) {
      const before = requests;
      const error = await answer(body, choice('never read')).catch((e: unknown) => e);
      expect(error, JSON.stringify(body)).toBeInstanceOf(EngineError);
      expect(error).toMatchObject({ retryable: false, message: 'LLM answer has no choices[0].message.content' });
      expect(requests - before).toBe(1);
    }
    const before = requests;
    expect(await answer('not json', choice('second try'))).toBe('second try');
    expect(requests - before).toBe(2);
    const error = await answer('not json', 'still not').catch((e: unknown) => e);
    expect(error).toMatchObject({ retryable: true, message: 'LLM answered with a body that is not JSON' });
  });
});
