import { randomBytes, randomUUID } from 'node:crypto';
import {
  type BotDiagnostics,
  type BotDiagnosticsStore,
  type BotRegistry,
  botDiagnosticsKey,
  createBotDiagnostics,
  createBotRegistry,
  publishBotChanged,
} from '@wabot/bot-registry';
import { webhookQueueNames, webhookShardOf } from '@wabot/contracts';
import { createBotRepository } from '@wabot/db';
import { createCaptureStream, createLogger } from '@wabot/logger';
import type { RedisClient, ShardedProducer } from '@wabot/queue';
import { createSecretBox } from '@wabot/secrets';
import {
  createTestBot,
  eventually,
  FIXTURE_APP_SECRET,
  loadMetaFixture,
  loadMetaFixtures,
  type TestBotSeed,
  useTestDatabase,
  useTestRedis,
} from '@wabot/testing';
import { signWebhookBody } from '@wabot/whatsapp';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type IngressApp } from './app.js';
import { createWebhookProducer } from './webhook-producer.js';

const database = useTestDatabase();
const redis = useTestRedis();
const secretBox = createSecretBox(randomBytes(32));
const logs = createCaptureStream();
const logger = createLogger({ name: 'ingress-test', level: 'debug', destination: logs });
const config = { WEBHOOK_BODY_LIMIT_BYTES: 1024 * 1024, ENQUEUE_TIMEOUT_MS: 2_000, REQUEST_TIMEOUT_MS: 10_000 };
const emoji = loadMetaFixture('02_text_emoji_multibyte');

let workspaceId = '';
let app: IngressApp;
let registry: BotRegistry;
let diagnostics: BotDiagnosticsStore;
let producerConnection: RedisClient;
let webhooks: ShardedProducer;
/** One reader per shard queue, in shard order. */
let readers: Queue[] = [];
let readerConnection: Redis;
/** Few shards, so the tests see several bots share one and others not. */
const SHARDS = 4;

beforeAll(async () => {
  workspaceId = (await database.current.db.workspace.create({ data: { name: 'ingress tests' } })).id;
  ({ webhooks, connection: producerConnection } = createWebhookProducer(
    redis.current.url,
    redis.current.prefix,
    SHARDS,
  ));
  registry = createBotRegistry({
    bots: createBotRepository(database.current.db),
    secretBox,
    subscriber: new Redis(redis.current.url),
    prefix: redis.current.prefix,
    logger,
  });
  await registry.start();
  diagnostics = createBotDiagnostics(producerConnection, redis.current.prefix);
  app = buildApp({
    config,
    logger,
    bots: registry,
    diagnostics,
    webhooks,
    redis: producerConnection,
    db: database.current.db,
  });
  await app.ready();
  readerConnection = new Redis(redis.current.url, { maxRetriesPerRequest: null });
  readers = webhookQueueNames(SHARDS).map(
    (name) => new Queue(name, { connection: readerConnection, prefix: redis.current.prefix }),
  );
});

afterAll(async () => {
  await app?.close();
  await webhooks?.close();
  await Promise.all(readers.map((reader) => reader.close()));
  readerConnection?.disconnect();
  producerConnection?.disconnect();
  await registry?.close();
});

async function insertBot({
  status = 'active',
  appSecret = FIXTURE_APP_SECRET,
  verifyToken = `Verify-${randomBytes(6).toString('hex')}-Tok`,
}: Pick<TestBotSeed, 'status' | 'appSecret' | 'verifyToken'> = {}) {
  const bot = await createTestBot(database.current.db, secretBox, {
    workspaceId,
    id: randomUUID(),
    status,
    appSecret,
    verifyToken,
    accessToken: 'EAAG-access-token',
  });
  return { id: bot.id, appSecret: bot.appSecret, verifyToken: bot.verifyToken };
}

const webhookPath = (botId: string) => `/api/bots/webhook/whatsapp/${botId}`;

/** Forgets a bot's diagnostics, so the next attempt's record is the only one. */
const forgetDiagnostics = (botId: string) => readerConnection.del(botDiagnosticsKey(redis.current.prefix, botId));

/** The bot's diagnostics once `ready` holds (they are written fire-and-forget). */
const diagnosticsOnce = (botId: string, ready: (d: BotDiagnostics) => boolean) =>
  eventually(
    async () => {
      const read = await diagnostics.read(botId);
      return ready(read) ? read : null;
    },
    3_000,
    'bot diagnostics',
  );

function post(
  botId: string,
  body: Buffer | string,
  { signature, contentType = 'application/json' }: { signature?: string; contentType?: string | null } = {},
) {
  const headers: Record<string, string> = {};
  if (contentType !== null) headers['content-type'] = contentType;
  if (signature !== undefined) headers['x-hub-signature-256'] = signature;
  return app.inject({ method: 'POST', url: webhookPath(botId), headers, payload: body });
}

const postSigned = (botId: string, secret: string, body: Buffer | string) =>
  post(botId, body, { signature: signWebhookBody(secret, body) });

function verify(botId: string, query: Record<string, string | string[]>) {
  return app.inject({ method: 'GET', url: webhookPath(botId), query });
}

/** Jobs in every shard queue. */
const jobCount = async () => (await Promise.all(readers.map((reader) => reader.count()))).reduce((a, b) => a + b, 0);

/** Every stored webhook job whose raw body is exactly `body`, in any shard. */
async function jobsWithBody(body: Buffer | string) {
  const text = body.toString();
  const jobs = await Promise.all(
    readers.map((reader) => reader.getJobs(['waiting', 'active', 'delayed', 'completed', 'failed'])),
  );
  return jobs.flat().filter((job) => job.data.rawBody === text);
}

/** The waiting jobs holding an event of `botId` (alone or in a group-committed batch), per shard queue. */
async function waitingJobsByShard(botId: string) {
  const holds = (data: { botId?: string; events?: { botId: string }[] }) =>
    data.botId === botId || (data.events ?? []).some((e) => e.botId === botId);
  return Promise.all(
    readers.map(async (reader) => (await reader.getJobs(['waiting'])).filter((job) => holds(job.data))),
  );
}

describe('GET verification handshake', () => {
  it('echoes hub.challenge as text/plain for the exact verify token', async () => {
    const bot = await insertBot();
    const res = await verify(bot.id, {
      'hub.mode': 'subscribe',
      'hub.verify_token': bot.verifyToken,
      'hub.challenge': '1158201444',
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('1158201444');
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
  });

  it('echoes a non-numeric challenge unchanged', async () => {
    const bot = await insertBot();
    const challenge = 'abc "quoted" <tag> ü';
    const res = await verify(bot.id, {
      'hub.mode': 'subscribe',
      'hub.verify_token': bot.verifyToken,
      'hub.challenge': challenge,
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(challenge);
  });

  it('answers 403 for a wrong token, the token in another case, a wrong mode or missing parameters', async () => {
    const bot = await insertBot({ verifyToken: 'MixedCase-Token-42' });
    const cases: [Record<string, string | string[]>, string][] = [
      [{ 'hub.mode': 'subscribe', 'hub.verify_token': 'wrong', 'hub.challenge': '1' }, 'token_mismatch'],
      [
        { 'hub.mode': 'subscribe', 'hub.verify_token': 'mixedcase-token-42', 'hub.challenge': '1' },
        'token_case_mismatch',
      ],
      [
        { 'hub.mode': 'subscribe', 'hub.verify_token': 'MIXEDCASE-TOKEN-42', 'hub.challenge': '1' },
        'token_case_mismatch',
      ],
      [{ 'hub.mode': 'subscribe', 'hub.verify_token': 'MixedCase-Token-42 ', 'hub.challenge': '1' }, 'token_mismatch'],
      [
        { 'hub.mode': 'unsubscribe', 'hub.verify_token': 'MixedCase-Token-42', 'hub.challenge': '1' },
        'mode_not_subscribe',
      ],
      [
        { 'hub.mode': 'Subscribe', 'hub.verify_token': 'MixedCase-Token-42', 'hub.challenge': '1' },
        'mode_not_subscribe',
      ],
      [{ 'hub.verify_token': 'MixedCase-Token-42', 'hub.challenge': '1' }, 'mode_missing'],
      [{ 'hub.mode': 'subscribe', 'hub.challenge': '1' }, 'token_missing'],
      [{ 'hub.mode': 'subscribe', 'hub.verify_token': 'MixedCase-Token-42' }, 'challenge_missing'],
      [
        { 'hub.mode': 'subscribe', 'hub.verify_token': ['MixedCase-Token-42', 'x'], 'hub.challenge': '1' },
        'token_missing',
      ],
      [{}, 'mode_missing'],
    ];
    for (const [query, reason] of cases) {
      const res = await verify(bot.id, query);
      expect(res.statusCode, JSON.stringify(query)).toBe(403);
      expect(res.body).not.toContain('MixedCase-Token-42');
      // The bot's diagnostics say why, so the user can fix what they typed into Meta's portal.
      const seen = await diagnosticsOnce(bot.id, (d) => d.last_verification !== null);
      expect(seen.last_verification, JSON.stringify(query)).toMatchObject({ outcome: 'rejected', reason });
      await forgetDiagnostics(bot.id);
    }
    await verify(bot.id, { 'hub.mode': 'subscribe', 'hub.verify_token': 'MixedCase-Token-42', 'hub.challenge': '9' });
    const verified = await diagnosticsOnce(bot.id, (d) => d.last_verification !== null);
    expect(verified.last_verification).toMatchObject({ outcome: 'verified', reason: null });
  });

  it('answers 404 for an unknown, malformed, deleted or inactive bot', async () => {
    const inactive = await insertBot({ status: 'inactive' });
    const deleted = await insertBot();
    await database.current.db.bot.update({ where: { id: deleted.id }, data: { deletedAt: new Date() } });
    for (const [id, token] of [
      [randomUUID(), 'whatever'],
      ['not%20an%20id', 'whatever'],
      [inactive.id, inactive.verifyToken],
      [deleted.id, deleted.verifyToken],
    ] as const) {
      const res = await verify(id, { 'hub.mode': 'subscribe', 'hub.verify_token': token, 'hub.challenge': '7' });
      expect(res.statusCode, id).toBe(404);
      expect(res.json()).toMatchObject({ error: { code: 'not_found' } });
    }
  });
});

describe('POST signature check', () => {
  it('accepts a body signed over its exact bytes and stores exactly those bytes', async () => {
    const bot = await insertBot();
    const before = Date.now();
    const res = await post(bot.id, emoji.body, { signature: emoji.signature });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'accepted' });

    const jobs = await jobsWithBody(emoji.body);
    expect(jobs).toHaveLength(1);
    const [job] = jobs;
    expect(job?.name).toBe('meta-webhook');
    expect(job?.data).toMatchObject({ botId: bot.id, rawBody: emoji.body.toString('utf8') });
    expect(Buffer.from(job?.data.rawBody ?? '', 'utf8').equals(emoji.body)).toBe(true);
    expect(job?.data.receivedAt).toBeGreaterThanOrEqual(before);
    expect(job?.data.receivedAt).toBeLessThanOrEqual(Date.now());
    expect(job?.data.requestId).toMatch(/^[A-Za-z0-9_-]{8}-[0-9a-z]+$/);
    // The signature travels with the body (the worker re-checks it when routing to another bot).
    expect(job?.data.signature).toBe(emoji.signature);
    const { last_webhook_at: at } = await diagnosticsOnce(bot.id, (d) => d.last_webhook_at !== null);
    expect(Date.parse(at ?? '')).toBeGreaterThanOrEqual(before - 1_000);
  });

  it('answers 401 and enqueues nothing for a missing, wrong, wrong-length or re-serialized signature', async () => {
    const bot = await insertBot();
    const reserialized = JSON.stringify(emoji.json);
    expect(reserialized).not.toBe(emoji.body.toString('utf8'));
    const before = await jobCount();
    const cases: [string, Buffer | string, string | undefined][] = [
      ['missing', emoji.body, undefined],
      ['empty', emoji.body, ''],
      ['other secret', emoji.body, signWebhookBody('not-the-app-secret', emoji.body)],
      ['wrong length', emoji.body, emoji.signature.slice(0, -2)],
      ['too long', emoji.body, `${emoji.signature}00`],
      ['no prefix', emoji.body, emoji.signature.slice('sha256='.length)],
      ['sha1 prefix', emoji.body, `sha1=${emoji.signature.slice('sha256='.length)}`],
      ['re-serialized body, original signature', reserialized, emoji.signature],
      ['one byte changed', Buffer.concat([emoji.body, Buffer.from(' ')]), emoji.signature],
    ];
    for (const [label, body, signature] of cases) {
      const res = await post(bot.id, body, signature === undefined ? {} : { signature });
      expect(res.statusCode, label).toBe(401);
      expect(res.json(), label).toMatchObject({ error: { code: 'bad_signature' } });
    }
    expect(await jobCount()).toBe(before);
    const counted = await diagnosticsOnce(bot.id, (d) => d.rejected_signatures >= cases.length);
    expect(counted).toMatchObject({ rejected_signatures: cases.length, last_webhook_at: null });
  });

  it('accepts unsigned posts for a bot without app secret and warns once for that bot', async () => {
    const bot = await insertBot({ appSecret: null });
    const body = Buffer.from(JSON.stringify({ object: 'whatsapp_business_account', entry: [], n: randomUUID() }));
    for (let i = 0; i < 3; i++) expect((await post(bot.id, body)).statusCode).toBe(200);
    expect(await jobsWithBody(body)).toHaveLength(3);
    const warnings = logs.entries().filter((e) => e.botId === bot.id && String(e.msg).includes('no app_secret'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.level).toBe('warn');
  });

  it('accepts all 44 Meta fixtures with their signatures, one job each with the raw body', async () => {
    const bot = await insertBot();
    const fixtures = loadMetaFixtures();
    expect(fixtures).toHaveLength(44);
    for (const fixture of fixtures) {
      const res = await post(bot.id, fixture.body, { signature: fixture.signature });
      expect(res.statusCode, fixture.name).toBe(200);
    }
    const byShard = await waitingJobsByShard(bot.id);
    // All of them in the bot's own shard queue.
    expect(byShard.map((jobs) => jobs.length)).toEqual(
      readers.map((_, shard) => (shard === webhookShardOf(bot.id, SHARDS) ? 44 : 0)),
    );
    const jobs = byShard.flat();
    const stored = new Set(jobs.map((job) => job.data.rawBody));
    for (const fixture of fixtures) expect(stored.has(fixture.body.toString('utf8')), fixture.name).toBe(true);
    // The shard queue's jobs follow arrival order (the worker applies them in that order).
    const ids = jobs.map((job) => Number(job.id)).sort((a, b) => a - b);
    expect(ids.every((id) => Number.isInteger(id) && id > 0)).toBe(true);
    const byId = new Map(jobs.map((job) => [Number(job.id), job.data.rawBody]));
    expect(ids.map((id) => byId.get(id))).toEqual(fixtures.map((f) => f.body.toString('utf8')));
  });

  it("writes each bot's concurrent webhooks to its own shard queue, in arrival order", async () => {
    const first = await insertBot();
    let second = await insertBot();
    while (webhookShardOf(second.id, SHARDS) === webhookShardOf(first.id, SHARDS)) second = await insertBot();
    // Cached, so the requests reach the batcher in the order they were made.
    await Promise.all([registry.get(first.id), registry.get(second.id)]);
    const bodies = (tag: string) =>
      Array.from({ length: 6 }, (_, n) => `{"object":"whatsapp_business_account","entry":[],"t":"${tag}","n":${n}}`);
    const [a, b] = [bodies('a'), bodies('b')];
    const results = await Promise.all(
      a.flatMap((body, n) => [
        postSigned(first.id, FIXTURE_APP_SECRET, body),
        postSigned(second.id, FIXTURE_APP_SECRET, b[n] ?? ''),
      ]),
    );
    expect(results.map((r) => r.statusCode)).toEqual(results.map(() => 200));
    for (const [bot, sent] of [
      [first, a],
      [second, b],
    ] as const) {
      const byShard = await waitingJobsByShard(bot.id);
      const shard = webhookShardOf(bot.id, SHARDS);
      expect(byShard.map((jobs, n) => (n === shard ? 'own' : jobs.length))).toEqual(
        readers.map((_, n) => (n === shard ? 'own' : 0)),
      );
      // Group-committed per shard: a job holds only this shard's events, oldest job first.
      const own = (byShard[shard] ?? []).sort((x, y) => Number(x.id) - Number(y.id));
      const all: { botId: string; rawBody: string }[] = own.flatMap((job) =>
        job.name === 'meta-webhook-batch' ? job.data.events : [job.data],
      );
      expect(all.filter((e) => e.botId === bot.id).map((e) => e.rawBody)).toEqual(sent);
      expect(all.every((e) => webhookShardOf(e.botId, SHARDS) === shard)).toBe(true);
    }
  });

  it('accepts application/json with a charset parameter', async () => {
    const bot = await insertBot();
    for (const contentType of ['application/json; charset=utf-8', 'application/json;charset=UTF-8']) {
      const res = await post(bot.id, emoji.body, { signature: emoji.signature, contentType });
      expect(res.statusCode, contentType).toBe(200);
    }
  });

  it('answers 404 for unknown, malformed and inactive bots and enqueues nothing', async () => {
    const inactive = await insertBot({ status: 'inactive' });
    const before = await jobCount();
    for (const id of [randomUUID(), 'x'.repeat(99), 'bad.id', inactive.id]) {
      const res = await post(id, emoji.body, { signature: emoji.signature });
      expect(res.statusCode, id).toBe(404);
    }
    // Fastify's router refuses path parameters over 100 characters before any handler runs.
    expect((await post('x'.repeat(101), emoji.body, { signature: emoji.signature })).statusCode).toBe(414);
    expect(await jobCount()).toBe(before);
  });
});

describe('hostile bodies', () => {
  const deep = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  const deepArray = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
  const hostile: [string, Buffer | string, number][] = [
    ['random bytes', randomBytes(4096), 400],
    ['truncated JSON', emoji.body.subarray(0, emoji.body.length / 2), 400],
    ['empty body', '', 400],
    ['an array', '[]', 400],
    ['an array of envelopes', `[${emoji.body.toString('utf8')}]`, 400],
    ['null', 'null', 400],
    ['a number', '123', 400],
    ['a string', '"whatsapp_business_account"', 400],
    ['an empty object', '{}', 400],
    ['another object type', '{"object":"page","entry":[]}', 400],
    ['entry not an array', '{"object":"whatsapp_business_account","entry":null}', 400],
    [
      'invalid UTF-8 in a string',
      Buffer.concat([
        Buffer.from('{"object":"whatsapp_business_account","entry":[],"x":"'),
        Buffer.from([0xc3, 0x28]),
        Buffer.from('"}'),
      ]),
      400,
    ],
    ['10k-deep objects', deep(10_000), 400],
    ['10k-deep arrays', deepArray(10_000), 400],
    ['unbalanced 100k-deep nesting', '['.repeat(100_000), 400],
    ['NUL bytes', Buffer.alloc(1000), 400],
    ['5 MB', Buffer.alloc(5 * 1024 * 1024, 0x20), 413],
    ['just over the limit', Buffer.alloc(1024 * 1024 + 1, 0x20), 413],
  ];

  it.each([
    ['signed correctly', true],
    ['for a bot without app secret', false],
  ])('answers 4xx (never 5xx) %s, enqueues nothing and stays healthy', async (_label, signed) => {
    const bot = await insertBot(signed ? {} : { appSecret: null });
    const before = await jobCount();
    for (const [label, body, status] of hostile) {
      const started = performance.now();
      const res = signed ? await postSigned(bot.id, FIXTURE_APP_SECRET, body) : await post(bot.id, body);
      const elapsed = performance.now() - started;
      expect(res.statusCode, label).toBe(status);
      expect(res.json(), label).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
      expect(elapsed, `${label} took ${elapsed} ms`).toBeLessThan(1_000);
    }
    expect(await jobCount()).toBe(before);
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    expect((await post(bot.id, emoji.body, { signature: emoji.signature })).statusCode).toBe(200);
  });

  it('answers 415 for other content types and for a body without one', async () => {
    const bot = await insertBot();
    const before = await jobCount();
    for (const contentType of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/jsonp',
      'multipart/form-data; boundary=x',
      null,
    ]) {
      const res = await post(bot.id, emoji.body, { signature: emoji.signature, contentType });
      expect(res.statusCode, String(contentType)).toBe(415);
      expect(res.json()).toMatchObject({ error: { code: 'unsupported_media_type' } });
    }
    expect(await jobCount()).toBe(before);
  });

  it('answers 400 for a POST without a body', async () => {
    const bot = await insertBot();
    const res = await app.inject({ method: 'POST', url: webhookPath(bot.id) });
    expect(res.statusCode).toBe(400);
  });

  it('refuses a 1 MiB body of deep nesting quickly, before JSON.parse', async () => {
    const bot = await insertBot();
    const half = 512 * 1024 - 1;
    const body = `${'['.repeat(half)}${']'.repeat(half)}`;
    // Warm up, then time: JSON.parse alone takes 50-120 ms on this body.
    await postSigned(bot.id, FIXTURE_APP_SECRET, body);
    const started = performance.now();
    const res = await postSigned(bot.id, FIXTURE_APP_SECRET, body);
    const elapsed = performance.now() - started;
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { message: expect.stringContaining('nested deeper') } });
    expect(elapsed).toBeLessThan(40);
  });
});

describe('cache invalidation', () => {
  it('stops accepting once a bot is deactivated and announced', async () => {
    const bot = await insertBot();
    expect((await post(bot.id, emoji.body, { signature: emoji.signature })).statusCode).toBe(200);

    await database.current.db.bot.update({ where: { id: bot.id }, data: { status: 'inactive', version: 2 } });
    await publishBotChanged(redis.current.redis, redis.current.prefix, { botId: bot.id, version: 2 });
    await eventually(
      async () => (await post(bot.id, emoji.body, { signature: emoji.signature })).statusCode === 404,
      3_000,
    );
    const handshake = await verify(bot.id, {
      'hub.mode': 'subscribe',
      'hub.verify_token': bot.verifyToken,
      'hub.challenge': '1',
    });
    expect(handshake.statusCode).toBe(404);
  });

  it('checks against the new app secret once a secret change is announced', async () => {
    const bot = await insertBot();
    const body = Buffer.from(JSON.stringify({ object: 'whatsapp_business_account', entry: [], n: randomUUID() }));
    expect((await postSigned(bot.id, FIXTURE_APP_SECRET, body)).statusCode).toBe(200);

    await database.current.db.bot.update({
      where: { id: bot.id },
      data: { appSecretCipher: secretBox.seal('rotated-secret'), version: 2 },
    });
    await publishBotChanged(redis.current.redis, redis.current.prefix, { botId: bot.id, version: 2 });
    await eventually(async () => (await postSigned(bot.id, FIXTURE_APP_SECRET, body)).statusCode === 401, 3_000);
    expect((await postSigned(bot.id, 'rotated-secret', body)).statusCode).toBe(200);
  });

  it('serves known bots from memory and remembers unknown ids (no database query per request)', async () => {
    const bot = await insertBot();
    const unknown = randomUUID();
    await post(bot.id, emoji.body, { signature: emoji.signature });
    await post(unknown, emoji.body, { signature: emoji.signature });
    const lookups = registry.databaseLookups;
    for (let i = 0; i < 20; i++) {
      expect((await post(bot.id, emoji.body, { signature: emoji.signature })).statusCode).toBe(200);
      expect((await post(unknown, emoji.body, { signature: emoji.signature })).statusCode).toBe(404);
    }
    expect(registry.databaseLookups).toBe(lookups);
  });
});

describe('observability', () => {
  it('logs one line per webhook (accepted ones at debug) with bot id and request id, never secrets or message text at any level', async () => {
    const secret = `app-secret-${randomBytes(8).toString('hex')}`;
    const bot = await insertBot({ appSecret: secret });
    const text = `very private words ${randomUUID()}`;
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        { id: '1', changes: [{ field: 'messages', value: { messages: [{ type: 'text', text: { body: text } }] } }] },
      ],
    });
    const signature = signWebhookBody(secret, body);
    const linesBefore = logs.lines().length;
    expect((await post(bot.id, body, { signature })).statusCode).toBe(200);
    expect((await post(bot.id, body, { signature: signWebhookBody('wrong', body) })).statusCode).toBe(401);
    await verify(bot.id, { 'hub.mode': 'subscribe', 'hub.verify_token': bot.verifyToken, 'hub.challenge': '5' });

    const lines = logs.lines().slice(linesBefore);
    const mine = logs
      .entries()
      .slice(linesBefore)
      .filter((e) => e.botId === bot.id);
    expect(mine.map((e) => e.outcome)).toEqual(['accepted', 'bad_signature', 'verified']);
    for (const entry of mine) expect(entry.reqId).toEqual(expect.any(String));
    const logged = lines.join('\n');
    for (const leak of [secret, bot.verifyToken, text, signature.slice(7)]) expect(logged).not.toContain(leak);
  });

  it('exposes outcomes, ACK latency and enqueue failures on /metrics', async () => {
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/ingress_webhook_requests_total\{outcome="accepted",service="ingress"\} [1-9]/);
    expect(res.body).toMatch(/ingress_webhook_requests_total\{outcome="bad_signature",service="ingress"\} [1-9]/);
    expect(res.body).toMatch(/ingress_webhook_requests_total\{outcome="bad_input",service="ingress"\} [1-9]/);
    expect(res.body).toMatch(/ingress_webhook_requests_total\{outcome="unknown_bot",service="ingress"\} [1-9]/);
    expect(res.body).toMatch(/ingress_webhook_ack_seconds_count\{service="ingress",outcome="accepted"\} [1-9]/);
    expect(res.body).toContain('ingress_enqueue_failures_total');
    expect(res.body).toContain('ingress_webhook_verifications_total{outcome="verified"');
    // Every accepted webhook went out in some write: the batch sizes add up to at least the accepted count.
    const accepted = Number(
      /ingress_webhook_requests_total\{outcome="accepted",service="ingress"\} (\d+)/.exec(res.body)?.[1],
    );
    const batched = Number(/ingress_enqueue_batch_events_sum\{service="ingress"\} (\d+)/.exec(res.body)?.[1]);
    expect(accepted).toBeGreaterThan(0);
    expect(batched).toBeGreaterThanOrEqual(accepted);
  });

  it('reports ready with Redis and PostgreSQL reachable', async () => {
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ready', dependencies: { redis: 'ok', postgres: 'ok', bots: 'ok' } });
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});

describe('Redis unavailable', () => {
  it('answers 503 (never 200) when the producer cannot reach Redis, and /readyz says so', async () => {
    const bot = await insertBot();
    const { webhooks: deadProducer, connection: deadConnection } = createWebhookProducer(
      'redis://127.0.0.1:1',
      redis.current.prefix,
      SHARDS,
    );
    const deadApp = buildApp({
      config,
      logger,
      bots: registry,
      diagnostics,
      webhooks: deadProducer,
      redis: deadConnection,
      db: database.current.db,
    });
    try {
      const started = performance.now();
      const res = await deadApp.inject({
        method: 'POST',
        url: webhookPath(bot.id),
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': emoji.signature },
        payload: emoji.body,
      });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ error: { code: 'unavailable' } });
      expect(performance.now() - started).toBeLessThan(1_000);
      const ready = await deadApp.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toMatchObject({ dependencies: { redis: 'unreachable', postgres: 'ok' } });
      const metrics = await deadApp.inject({ method: 'GET', url: '/metrics' });
      expect(metrics.body).toMatch(/ingress_enqueue_failures_total\{service="ingress"\} 1/);
      expect(metrics.body).toMatch(/ingress_webhook_requests_total\{outcome="unavailable",service="ingress"\} 1/);
    } finally {
      await deadApp.close();
      await deadProducer.close();
      deadConnection.disconnect();
    }
  });

  it('answers 503 while WEBHOOK_SHARDS is not verified against the deployment, and /readyz says so', async () => {
    const bot = await insertBot();
    const unverified = buildApp({
      config,
      logger,
      bots: registry,
      diagnostics,
      webhooks,
      redis: producerConnection,
      db: database.current.db,
      shardsVerified: () => false,
      readinessChecks: { 'webhook-shards': async () => false },
    });
    try {
      const before = await jobCount();
      const res = await unverified.inject({
        method: 'POST',
        url: webhookPath(bot.id),
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': emoji.signature },
        payload: emoji.body,
      });
      expect(res.statusCode).toBe(503);
      expect(await jobCount()).toBe(before);
      const ready = await unverified.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(503);
    } finally {
      await unverified.close();
    }
  });

  it('answers 503 when Redis goes away after start', async () => {
    const bot = await insertBot();
    const { webhooks: ownProducer, connection } = createWebhookProducer(
      redis.current.url,
      redis.current.prefix,
      SHARDS,
    );
    const ownApp = buildApp({
      config,
      logger,
      bots: registry,
      diagnostics,
      webhooks: ownProducer,
      redis: connection,
      db: database.current.db,
    });
    const send = () =>
      ownApp.inject({
        method: 'POST',
        url: webhookPath(bot.id),
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': emoji.signature },
        payload: emoji.body,
      });
    try {
      await ownProducer.producers[0]?.queue.waitUntilReady();
      expect((await send()).statusCode).toBe(200);
      connection.disconnect();
      expect((await send()).statusCode).toBe(503);
    } finally {
      await ownApp.close();
      await ownProducer.close();
    }
  });
});

describe('PostgreSQL unavailable', () => {
  it('stays ready and accepts webhooks of the bots it has cached; with nothing cached it is not ready', async () => {
    const bot = await insertBot();
    const repository = createBotRepository(database.current.db);
    let up = true;
    const down = () => Promise.reject(new Error('Connection terminated unexpectedly'));
    const flaky = createBotRegistry({
      bots: {
        findLive: (id) => (up ? repository.findLive(id) : down()),
        findActiveIdByPhoneNumber: (w, n) => (up ? repository.findActiveIdByPhoneNumber(w, n) : down()),
      },
      secretBox,
      prefix: redis.current.prefix,
      logger,
      ttlMs: 20,
    });
    const deadDb = { $queryRaw: down } as unknown as Parameters<typeof buildApp>[0]['db'];
    const appOn = (bots: typeof flaky) =>
      buildApp({ config, logger, bots, diagnostics, webhooks, redis: producerConnection, db: deadDb });
    const cached = appOn(flaky);
    const empty = appOn(
      createBotRegistry({
        bots: { findLive: down, findActiveIdByPhoneNumber: down },
        secretBox,
        prefix: redis.current.prefix,
        logger,
      }),
    );
    try {
      expect(await flaky.get(bot.id)).not.toBeNull();
      up = false;
      await new Promise((resolve) => setTimeout(resolve, 50)); // past the TTL: the entry is stale
      const ready = await cached.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toEqual({
        status: 'ready',
        dependencies: { redis: 'ok', postgres: 'unreachable', bots: 'ok' },
      });
      const posted = await cached.inject({
        method: 'POST',
        url: webhookPath(bot.id),
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': emoji.signature },
        payload: emoji.body,
      });
      expect(posted.statusCode).toBe(200);
      const metrics = await cached.inject({ method: 'GET', url: '/metrics' });
      expect(metrics.body).toMatch(/wabot_dependency_up\{dependency="postgres",service="ingress"\} 0/);
      const notReady = await empty.inject({ method: 'GET', url: '/readyz' });
      expect(notReady.statusCode).toBe(503);
      expect(notReady.json()).toMatchObject({
        status: 'not_ready',
        dependencies: { postgres: 'unreachable', bots: 'unreachable' },
      });
    } finally {
      await cached.close();
      await empty.close();
    }
  });
});

describe('durable acknowledgement (INGRESS_DURABILITY=replica)', () => {
  it('answers 200 only after the write is confirmed durable, and 503 when the confirmation fails', async () => {
    const bot = await insertBot();
    let confirms = 0;
    let refuse = false;
    const durableApp = buildApp({
      config,
      logger,
      bots: registry,
      diagnostics,
      webhooks,
      redis: producerConnection,
      db: database.current.db,
      confirmWrite: async () => {
        confirms++;
        if (refuse) throw new Error('only 0 of 1 Redis replica(s) confirmed the write within 500 ms');
      },
    });
    const send = () =>
      durableApp.inject({
        method: 'POST',
        url: webhookPath(bot.id),
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': emoji.signature },
        payload: emoji.body,
      });
    try {
      expect((await send()).statusCode).toBe(200);
      expect(confirms).toBe(1);
      refuse = true;
      const refused = await send();
      expect(refused.statusCode).toBe(503);
      expect(confirms).toBe(2);
    } finally {
      await durableApp.close();
    }
  });
});
