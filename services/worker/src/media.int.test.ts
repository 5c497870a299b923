import { createHash, randomBytes } from 'node:crypto';
import type { InboundContent } from '@wabot/meta-simulator';
import { beforeAll, describe, expect, it } from 'vitest';
import { contentWebhook, eventually, textWebhook, useWorkerKit, type WorkerKit } from './testing/worker.test-kit.js';
import type { WorkerRuntime } from './worker-runtime.js';

// One runtime with speech to text on the kit's LLM simulator (its STT fake).
const fixture = useWorkerKit({ workers: 0 });
const { database } = fixture;
let kit: WorkerKit;
let runtime: WorkerRuntime;

beforeAll(async () => {
  kit = fixture.kit;
  runtime = await kit.startWorker({
    STT_BASE_URL: kit.llm.url,
    STT_API_KEY: 'stt-key',
    STT_MODEL: 'whisper-test',
    MEDIA_BUDGET_MS: 2_000,
  });
});

let users = 0;
const nextUser = () => `1555030${String(++users).padStart(4, '0')}`;
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Sends `content` to a fresh bot and waits until its message is handled; returns the rows and what the model read. */
async function send(
  content: (register: WorkerKit['graph']['media']['register']) => InboundContent,
  settings: Record<string, unknown> = {},
  overrides: Parameters<WorkerKit['createBot']>[1] = {},
  before: (bot: { accessToken: string }) => void = () => {},
) {
  const bot = await kit.createBot(settings, overrides);
  before(bot);
  const user = nextUser();
  const register: WorkerKit['graph']['media']['register'] = (file) =>
    kit.graph.media.register({ token: bot.accessToken, ...file });
  await kit.deliver(bot, contentWebhook(bot, user, content(register)));
  const message = await eventually(async () => {
    const row = await database.current.db.message.findFirst({
      where: { botId: bot.id, direction: 'inbound' },
      include: { media: true },
    });
    return row?.status === 'handled' ? row : null;
  }, 15_000);
  const reply = await eventually(async () =>
    database.current.db.message.findFirst({ where: { botId: bot.id, direction: 'outbound' } }),
  );
  const modelCall = kit.llm.requests.find((r) =>
    r.messages.some((m) => m.role === 'system' && m.content.includes(bot.id)),
  );
  return { bot, message, media: message.media, reply, modelCall };
}

const graphKinds = (token: string) =>
  kit.graph.requests.filter((r) => r.token === token && (r.kind === 'get_media' || r.kind === 'media_download'));

describe('inbound media: fetched through the Graph API, checked and stored', () => {
  it('an image is fetched (GET media id, then the URL with the token), sha256-checked and stored; the engine gets the caption and placeholder', async () => {
    const png = randomBytes(2048);
    const { bot, media, reply } = await send((register) => ({
      type: 'image',
      caption: 'our storefront',
      media: register({ data: png, mimeType: 'image/png' }),
    }));
    expect(media).toMatchObject({
      kind: 'image',
      status: 'stored',
      mimeType: 'image/png',
      fileSize: png.length,
      sha256: sha256(png),
      caption: 'our storefront',
      error: null,
    });
    expect(media?.storeKey).toBe(`${bot.id}/${media?.messageId}`);
    expect((await runtime.deps.media.store.read(media?.storeKey ?? ''))?.equals(png)).toBe(true);
    expect(graphKinds(bot.accessToken).map((r) => `${r.kind} ${r.status}`)).toEqual([
      'get_media 200',
      'media_download 200',
    ]);
    // Without settings.llm.vision the model reads text only, as before.
    expect(reply?.text).toBe('ECHO: our storefront\n[Image]');
  });

  it('a URL that expired (404) is retried with a fresh one', async () => {
    const pdf = randomBytes(4096);
    const stop = kit.graph.onRequest((request) => {
      // The first URL handed out dies before the worker downloads it.
      if (request.kind === 'get_media') {
        kit.graph.media.expireUrls();
        stop();
      }
    });
    const { bot, media } = await send((register) => ({
      type: 'document',
      filename: 'menu.pdf',
      media: register({ data: pdf, mimeType: 'application/pdf' }),
    }));
    expect(media).toMatchObject({ status: 'stored', filename: 'menu.pdf', sha256: sha256(pdf) });
    expect(graphKinds(bot.accessToken).map((r) => `${r.kind} ${r.status}`)).toEqual([
      'get_media 200',
      'media_download 404',
      'get_media 200',
      'media_download 200',
    ]);
  });

  it("a file over Meta's size limit for its type is not downloaded; the placeholder goes to the engine", async () => {
    const { bot, media, reply } = await send((register) => ({
      type: 'sticker',
      media: register({ data: randomBytes(600 * 1024), mimeType: 'image/webp' }),
    }));
    expect(media).toMatchObject({ status: 'failed', storeKey: null });
    expect(media?.error).toMatch(/over Meta's 512000-byte limit/);
    expect(graphKinds(bot.accessToken).map((r) => r.kind)).toEqual(['get_media']);
    expect(reply?.text).toBe('ECHO: [Sticker]');
  });

  it('a file larger than Meta said is cut off at the limit while downloading', async () => {
    const { media, reply } = await send((register) => ({
      type: 'sticker',
      media: register({ data: randomBytes(600 * 1024), mimeType: 'image/webp', fileSize: 1000 }),
    }));
    expect(media).toMatchObject({ status: 'failed', storeKey: null });
    expect(media?.error).toMatch(/^sticker file of 614400 bytes is over the limit of 512000/);
    expect(reply?.text).toBe('ECHO: [Sticker]');
  });

  it("a file whose bytes do not match Meta's sha256 is refused (after fresh attempts) and not stored", async () => {
    const { bot, media, reply } = await send((register) => ({
      type: 'image',
      media: register({ data: randomBytes(100), mimeType: 'image/jpeg', sha256: 'ab'.repeat(32) }),
    }));
    expect(media).toMatchObject({ status: 'failed', storeKey: null, sha256: null });
    expect(media?.error).toMatch(/^sha256 mismatch/);
    expect(await runtime.deps.media.store.list(`${bot.id}/`)).toEqual([]);
    expect(reply?.text).toBe('ECHO: [Image]');
  });

  it("media the bot's token may not see (another business's id) fails at once with Meta's error", async () => {
    const { bot, media, reply } = await send((register) => ({
      type: 'video',
      caption: 'queue outside',
      media: register({ data: randomBytes(100), mimeType: 'video/mp4', token: 'EAAG-another-business' }),
    }));
    expect(media?.status).toBe('failed');
    expect(media?.error).toMatch(/media lookup refused: .*\(#100\)/);
    expect(media?.error).not.toContain(bot.accessToken);
    expect(graphKinds(bot.accessToken)).toHaveLength(1);
    expect(reply?.text).toBe('ECHO: queue outside\n[Video]');
  });

  it('a Graph API slower than MEDIA_BUDGET_MS does not hold the reply: the placeholder goes to the engine', async () => {
    const { media, reply } = await send(
      (register) => ({
        type: 'image',
        caption: 'slow',
        media: register({ data: randomBytes(10), mimeType: 'image/png' }),
      }),
      {},
      {},
      (bot) =>
        kit.graph.injectFault({
          kind: 'latency',
          latencyMs: 8_000,
          match: { token: bot.accessToken, kind: 'get_media' },
        }),
    );
    expect(media).toMatchObject({ status: 'failed', storeKey: null });
    expect(media?.error).toMatch(/^media budget spent before the file arrived/);
    expect(reply?.text).toBe('ECHO: slow\n[Image]');
  });
});

describe('media nobody answers', () => {
  it('a conversation a person holds still gets its files fetched and stored, for the team', async () => {
    const bot = await kit.createBot({ handoff: { keywords: ['agent'] } });
    const user = nextUser();
    await kit.deliver(bot, textWebhook(bot, [{ from: user, text: 'agent' }]));
    await eventually(async () => {
      const c = await database.current.db.conversation.findFirst({ where: { botId: bot.id } });
      return c?.control === 'human' ? c : null;
    });
    const data = randomBytes(300);
    const media = kit.graph.media.register({ data, mimeType: 'image/jpeg', token: bot.accessToken });
    await kit.deliver(bot, contentWebhook(bot, user, { type: 'image', media }));
    const row = await eventually(async () => {
      const found = await database.current.db.inboundMedia.findFirst({ where: { botId: bot.id } });
      return found?.status === 'stored' ? found : null;
    });
    expect(row.sha256).toBe(sha256(data));
    expect((await runtime.deps.media.store.read(row.storeKey ?? ''))?.equals(data)).toBe(true);
    const replies = await database.current.db.message.count({ where: { botId: bot.id, direction: 'outbound' } });
    expect(replies).toBe(0);
  });
});

describe('understanding: voice notes and images', () => {
  it('a voice note is transcribed through STT and the engine reads "[Voice message] <transcript>"', async () => {
    const ogg = randomBytes(3000);
    kit.llm.setTranscript(sha256(ogg), 'Can I book a table for six tonight?');
    const { message, media, reply } = await send((register) => ({
      type: 'audio',
      voice: true,
      media: register({ data: ogg, mimeType: 'audio/ogg; codecs=opus' }),
    }));
    expect(media).toMatchObject({ status: 'stored', voice: true, transcript: 'Can I book a table for six tonight?' });
    // The stored text carries it too, so later turns' history reads what was said.
    expect(message.text).toBe('[Voice message] Can I book a table for six tonight?');
    expect(reply?.text).toBe('ECHO: [Voice message] Can I book a table for six tonight?');
    const call = kit.llm.transcriptions.find((t) => t.sha256 === sha256(ogg));
    expect(call).toMatchObject({
      model: 'whisper-test',
      credential: 'stt-key',
      mediaType: 'audio/ogg',
      filename: 'voice.ogg',
      bytes: 3000,
      status: 200,
    });
  });

  it('a failed transcription leaves the placeholder and says why on the media', async () => {
    kit.llm.failNextTranscriptions(1, 503);
    const { media, reply } = await send((register) => ({
      type: 'audio',
      voice: true,
      media: register({ data: randomBytes(500), mimeType: 'audio/ogg; codecs=opus' }),
    }));
    expect(media).toMatchObject({ status: 'stored', transcript: null });
    expect(media?.understandingError).toBe('transcription failed: speech to text answered HTTP 503');
    expect(reply?.text).toBe('ECHO: [Voice message]');
  });

  for (const provider of ['openai', 'anthropic', 'google'] as const) {
    it(`with settings.llm.vision an image reaches a ${provider} model in its own wire format`, async () => {
      const jpeg = randomBytes(1500);
      const base_url =
        provider === 'anthropic' ? kit.llm.anthropicUrl : provider === 'google' ? kit.llm.googleUrl : kit.llm.url;
      const { modelCall, reply } = await send(
        (register) => ({
          type: 'image',
          caption: 'what is this?',
          media: register({ data: jpeg, mimeType: 'image/jpeg' }),
        }),
        { llm: { provider, model: `${provider}-vision`, base_url, vision: true } },
        { llmApiKey: `${provider}-key` },
      );
      const user = modelCall?.messages.filter((m) => m.role === 'user').at(-1);
      expect(user?.content).toBe('what is this?\n[Image]');
      const wire = { openai: 'image_url', anthropic: 'image.source.base64', google: 'inlineData' }[provider];
      expect(user?.attachments).toHaveLength(1);
      expect(user?.attachments?.[0]).toMatchObject({ kind: 'image', wire, mediaType: 'image/jpeg' });
      expect(user?.attachments?.[0]?.data.equals(jpeg)).toBe(true);
      expect(reply?.text).toBe(`ECHO: what is this?\n[Image] [saw image/jpeg, ${jpeg.length} bytes]`);
    });
  }

  it('with vision a PDF reaches an Anthropic model as a document block', async () => {
    const pdf = randomBytes(900);
    const { modelCall } = await send(
      (register) => ({
        type: 'document',
        filename: 'order.pdf',
        media: register({ data: pdf, mimeType: 'application/pdf' }),
      }),
      { llm: { provider: 'anthropic', model: 'claude-v', base_url: kit.llm.anthropicUrl, vision: true } },
      { llmApiKey: 'anthropic-key' },
    );
    const user = modelCall?.messages.filter((m) => m.role === 'user').at(-1);
    expect(user?.attachments?.[0]).toMatchObject({
      kind: 'file',
      wire: 'document.source.base64',
      mediaType: 'application/pdf',
    });
    expect(user?.attachments?.[0]?.data.equals(pdf)).toBe(true);
  });

  it('an OpenAI-compatible vision model gets images but not PDFs (its adapter takes none)', async () => {
    const { modelCall, reply } = await send(
      (register) => ({
        type: 'document',
        filename: 'x.pdf',
        media: register({ data: randomBytes(50), mimeType: 'application/pdf' }),
      }),
      { llm: { vision: true } },
    );
    expect(modelCall?.messages.at(-1)?.attachments).toBeUndefined();
    expect(reply?.text).toBe('ECHO: [Document: x.pdf]');
  });
});
