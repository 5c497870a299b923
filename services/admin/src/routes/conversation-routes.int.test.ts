import { physicalQueueName, webhookShardOf } from '@wabot/contracts';
import { type GraphSimulator, startGraphSimulator } from '@wabot/meta-simulator';
import { useTestDatabase, useTestRedis } from '@wabot/testing';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botBody, createTestAdmin, type TestAdmin } from '../testing/test-admin.js';

const database = useTestDatabase();
const redis = useTestRedis();
let graph: GraphSimulator;
let admin: TestAdmin;
let botId: string;
let malloryBotId: string;
let openConversation: string;
let closedConversation: string;
const HOUR = 3600 * 1000;
/** The usage of the one engine turn in the data: the worker stores it on each part of the turn. */
const TURN_USAGE = { provider: 'anthropic', model: 'claude-test', input_tokens: 120, output_tokens: 30 };

const newActiveBot = async (as: string) => {
  const ws = (await admin.call('POST', '/api/workspaces', { as, body: { name: `${as}-ws` } })).json().id;
  const id: string = (await admin.call('POST', '/api/bots', { as, body: botBody(ws).body })).json().id;
  expect((await admin.call('POST', `/api/bots/${id}/activate`, { as })).statusCode).toBe(200);
  return id;
};

beforeAll(async () => {
  graph = await startGraphSimulator();
  admin = await createTestAdmin(database.current, redis.current, { GRAPH_API_BASE_URL: graph.url });
  botId = await newActiveBot('alice');
  malloryBotId = await newActiveBot('mallory');
  const db = database.current.db;
  const now = Date.now();
  const open = await db.conversation.create({
    data: {
      botId,
      userKey: '15551230001',
      waId: '15551230001',
      profileName: 'Ann',
      lastInboundAt: new Date(now - HOUR),
      lastMessageAt: new Date(now - HOUR + 2000),
    },
  });
  const closed = await db.conversation.create({
    data: {
      botId,
      userKey: 'US.13491208655302741918',
      waId: '15551230002',
      userId: 'US.13491208655302741918',
      lastInboundAt: new Date(now - 30 * HOUR),
      lastMessageAt: new Date(now - 30 * HOUR),
    },
  });
  openConversation = open.id;
  closedConversation = closed.id;
  const inbound = await db.message.create({
    data: {
      botId,
      conversationId: open.id,
      direction: 'inbound',
      metaMessageId: 'wamid.in1',
      type: 'image',
      text: 'look [Image]',
      metadata: { image: { id: 'media-1', mime_type: 'image/jpeg' } },
      status: 'handled',
      createdAt: new Date(now - HOUR),
    },
  });
  await db.message.create({
    data: {
      botId,
      conversationId: open.id,
      direction: 'outbound',
      metaMessageId: 'wamid.out1',
      type: 'text',
      text: 'Nice picture',
      status: 'delivered',
      replyToId: inbound.id,
      partIndex: 0,
      partCount: 2,
      usage: TURN_USAGE,
      createdAt: new Date(now - HOUR + 1000),
      sentAt: new Date(now - HOUR + 1000),
      deliveredAt: new Date(now - HOUR + 1500),
    },
  });
  await db.message.create({
    data: {
      botId,
      conversationId: open.id,
      direction: 'outbound',
      type: 'text',
      text: 'part two',
      status: 'failed',
      errorCode: 131026,
      errorTitle: 'Message undeliverable',
      replyToId: inbound.id,
      partIndex: 1,
      partCount: 2,
      usage: TURN_USAGE,
      createdAt: new Date(now - HOUR + 2000),
      failedAt: new Date(now - HOUR + 2000),
    },
  });
});

afterAll(async () => {
  await admin.close();
  await graph.close();
});

describe('GET /api/bots/:id/conversations', () => {
  it('lists conversations newest first with user, window state and last message', async () => {
    const res = await admin.call('GET', `/api/bots/${botId}/conversations`);
    expect(res.statusCode).toBe(200);
    const [first, second] = res.json().data;
    expect(first).toMatchObject({
      id: openConversation,
      wa_id: '15551230001',
      profile_name: 'Ann',
      window: { open: true, expires_at: expect.any(String) },
      last_message: { direction: 'outbound', text: 'part two', status: 'failed', error_code: 131026 },
    });
    expect(Date.parse(first.window.expires_at) - Date.parse(first.last_inbound_at)).toBe(24 * HOUR);
    expect(second).toMatchObject({
      id: closedConversation,
      user_id: 'US.13491208655302741918',
      window: { open: false },
      last_message: null,
    });
  });

  it('shows token totals per conversation and per bot, each turn counted once', async () => {
    const [open, closed] = (await admin.call('GET', `/api/bots/${botId}/conversations`)).json().data;
    expect(open.usage_totals).toEqual({ turns: 1, input_tokens: 120, output_tokens: 30 });
    expect(closed.usage_totals).toEqual({ turns: 0, input_tokens: 0, output_tokens: 0 });
    expect((await admin.call('GET', `/api/bots/${botId}`)).json().usage_totals).toEqual({
      turns: 1,
      input_tokens: 120,
      output_tokens: 30,
    });
    const listed = (await admin.call('GET', '/api/bots')).json().data;
    expect(listed.find((b: { id: string }) => b.id === botId).usage_totals.input_tokens).toBe(120);
  });

  it('pages with a cursor', async () => {
    const page1 = await admin.call('GET', `/api/bots/${botId}/conversations?limit=1`);
    expect(page1.json().data).toHaveLength(1);
    const page2 = await admin.call(
      'GET',
      `/api/bots/${botId}/conversations?limit=1&cursor=${page1.json().next_cursor}`,
    );
    expect(page2.json().data[0].id).toBe(closedConversation);
    expect(page2.json().next_cursor).toBeNull();
    const bad = await admin.call('GET', `/api/bots/${botId}/conversations?limit=0`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.fields[0].field).toBe('limit');
  });
});

describe('actions and handoff in the conversation API', () => {
  let handoffBot: string;
  let conversationId: string;
  const buttons = {
    kind: 'buttons',
    body: 'What would you like?',
    buttons: [
      { id: 'tea', title: 'Tea' },
      { id: 'coffee', title: 'Coffee' },
    ],
  };

  beforeAll(async () => {
    handoffBot = await newActiveBot('alice');
    const db = database.current.db;
    const conversation = await db.conversation.create({
      data: {
        botId: handoffBot,
        userKey: '15551239999',
        waId: '15551239999',
        lastInboundAt: new Date(),
        control: 'human',
        handoffReason: 'asked for a person',
        handoffSummary: 'Wants a refund for order 42.',
        handedOffAt: new Date(),
      },
    });
    conversationId = conversation.id;
    const base = { botId: handoffBot, conversationId, direction: 'outbound' as const, partCount: 2 };
    await db.message.create({
      data: {
        ...base,
        type: 'interactive',
        text: 'What would you like?\n[Tea] [Coffee]',
        metadata: { action: buttons },
        status: 'sent',
        partIndex: 0,
        createdAt: new Date(Date.now() - 1000),
      },
    });
    await db.message.create({
      data: {
        ...base,
        type: 'handoff',
        text: '[Handoff: asked for a person]',
        metadata: {
          action: { kind: 'handoff', reason: 'asked for a person', summary: 'Wants a refund for order 42.' },
        },
        status: 'handled',
        partIndex: 1,
      },
    });
  });

  it('lists the conversation with control human and the handoff reason and summary', async () => {
    const res = await admin.call('GET', `/api/bots/${handoffBot}/conversations`);
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toEqual([
      expect.objectContaining({
        id: conversationId,
        control: 'human',
        handoff_reason: 'asked for a person',
        handoff_summary: 'Wants a refund for order 42.',
        handed_off_at: expect.any(String),
      }),
    ]);
    const other = await admin.call('GET', `/api/bots/${botId}/conversations`);
    expect(other.json().data[0]).toMatchObject({ control: 'bot', handoff_reason: null, handed_off_at: null });
  });

  it('shows action parts with their type and the action as sent', async () => {
    const res = await admin.call('GET', `/api/conversations/${conversationId}/messages`);
    expect(res.statusCode).toBe(200);
    expect(res.json().data.map((m: Record<string, unknown>) => [m.type, m.action])).toEqual([
      ['handoff', { kind: 'handoff', reason: 'asked for a person', summary: 'Wants a refund for order 42.' }],
      ['interactive', buttons],
    ]);
    const plain = await admin.call('GET', `/api/conversations/${openConversation}/messages`);
    expect(plain.json().data.every((m: { action: unknown }) => m.action === null)).toBe(true);
  });
});

describe('GET /api/conversations/:id/messages', () => {
  it('returns both directions newest first with status and error code/title', async () => {
    const res = await admin.call('GET', `/api/conversations/${openConversation}/messages`);
    expect(res.statusCode).toBe(200);
    const messages = res.json().data;
    expect(messages.map((m: { text: string }) => m.text)).toEqual(['part two', 'Nice picture', 'look [Image]']);
    expect(messages[0]).toMatchObject({
      direction: 'outbound',
      status: 'failed',
      error_code: 131026,
      error_title: 'Message undeliverable',
      part_index: 1,
      part_count: 2,
    });
    expect(messages[1]).toMatchObject({
      status: 'delivered',
      meta_message_id: 'wamid.out1',
      delivered_at: expect.any(String),
    });
    expect(messages[2]).toMatchObject({ direction: 'inbound', type: 'image', metadata: { image: { id: 'media-1' } } });
    // Usage on the outbound parts of the turn, none on the inbound message.
    expect(messages.map((m: { usage: unknown }) => m.usage)).toEqual([TURN_USAGE, TURN_USAGE, null]);
    const page = await admin.call('GET', `/api/conversations/${openConversation}/messages?limit=2`);
    const rest = await admin.call(
      'GET',
      `/api/conversations/${openConversation}/messages?limit=2&cursor=${page.json().next_cursor}`,
    );
    expect(rest.json().data.map((m: { text: string }) => m.text)).toEqual(['look [Image]']);
  });

  it('another workspace’s conversation is a 404; so is a malformed id', async () => {
    expect(
      (await admin.call('GET', `/api/conversations/${openConversation}/messages`, { as: 'mallory' })).statusCode,
    ).toBe(404);
    expect(
      (
        await admin.call('POST', `/api/conversations/${openConversation}/template`, {
          as: 'mallory',
          body: { name: 'hello', language: 'en_US' },
        })
      ).statusCode,
    ).toBe(404);
    const bad = await admin.call('GET', '/api/conversations/not-a-uuid/messages');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.fields[0].field).toBe('id');
  });
});

describe('POST /api/conversations/:id/template', () => {
  it('creates a pending template message and enqueues send-template on the outbound queue', async () => {
    const res = await admin.call('POST', `/api/conversations/${closedConversation}/template`, {
      body: { name: 'reengage', language: 'en_US', parameters: ['Ann'] },
    });
    expect(res.statusCode).toBe(202);
    const body = res.json();
    expect(body).toMatchObject({ status: 'pending', conversation_id: closedConversation, window: { open: false } });
    const row = await database.current.db.message.findUniqueOrThrow({ where: { id: body.id } });
    expect(row).toMatchObject({ direction: 'outbound', type: 'template', status: 'pending', botId });

    const queue = new Queue(physicalQueueName('outbound'), {
      connection: redis.current.redis,
      prefix: redis.current.prefix,
    });
    try {
      const job = await queue.getJob(body.job_id);
      expect(job?.name).toBe('send-template');
      expect(job?.data).toEqual({
        botId,
        conversationId: closedConversation,
        messageId: body.id,
        template: { name: 'reengage', language: 'en_US', parameters: ['Ann'] },
      });
    } finally {
      await queue.close();
    }
    const listed = await admin.call('GET', `/api/conversations/${closedConversation}/messages`);
    expect(listed.json().data[0]).toMatchObject({ id: body.id, type: 'template', status: 'pending' });
  });

  it('validates the template by field', async () => {
    const res = await admin.call('POST', `/api/conversations/${closedConversation}/template`, {
      body: { parameters: 'x' },
    });
    expect(res.statusCode).toBe(400);
    const fields = res.json().error.details.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['name', 'language', 'parameters']));
  });
});

describe('dead letters', () => {
  it('lists failed jobs of the caller’s bots with the last error, and retries them', async () => {
    const prefix = redis.current.prefix;
    const connection = new Redis(redis.current.url, { maxRetriesPerRequest: null });
    const conversations = new Queue(physicalQueueName('conversations'), { connection, prefix });
    // Stage-1 shards number their jobs independently: the same id in two shards is two dead letters.
    const shard = webhookShardOf(botId, admin.config.WEBHOOK_SHARDS);
    const otherShard = (shard + 1) % admin.config.WEBHOOK_SHARDS;
    const webhooks = new Queue(physicalQueueName('webhook-events', shard), { connection, prefix });
    const otherWebhooks = new Queue(physicalQueueName('webhook-events', otherShard), { connection, prefix });
    await conversations.add('drain-conversation', { botId, userKey: '15551230001' }, { attempts: 2, jobId: 'mine' });
    await conversations.add(
      'drain-conversation',
      { botId: malloryBotId, userKey: '1' },
      { attempts: 1, jobId: 'theirs' },
    );
    await webhooks.add(
      'meta-webhook',
      { botId, rawBody: '{"secret user text":"do not show"}', receivedAt: Date.now(), requestId: 'r1' },
      { attempts: 1, jobId: 'hook' },
    );
    await otherWebhooks.add(
      'meta-webhook',
      { botId: malloryBotId, rawBody: '{"c":"do not show"}', receivedAt: Date.now(), requestId: 'r4' },
      { attempts: 1, jobId: 'hook' },
    );
    // A group-committed batch spanning two tenants' bots: each owner sees it, nobody sees the bodies.
    await webhooks.add(
      'meta-webhook-batch',
      {
        events: [
          { botId: malloryBotId, rawBody: '{"a":"do not show"}', receivedAt: Date.now(), requestId: 'r2' },
          { botId, rawBody: '{"b":"do not show"}', receivedAt: Date.now(), requestId: 'r3' },
        ],
      },
      { attempts: 1, jobId: 'batch' },
    );
    let failures = 0;
    const workers = [conversations, webhooks, otherWebhooks].map(
      (queue) =>
        new Worker(
          queue.name,
          async () => {
            throw new Error('Graph API 131000: something went wrong');
          },
          { connection, prefix, autorun: true },
        ),
    );
    for (const worker of workers) worker.on('failed', () => failures++);
    const failedCount = async () =>
      (await conversations.getFailedCount()) +
      (await webhooks.getFailedCount()) +
      (await otherWebhooks.getFailedCount());
    try {
      await expect.poll(failedCount, { timeout: 10_000 }).toBe(5);
    } finally {
      await Promise.all(workers.map((w) => w.close()));
    }
    expect(failures).toBeGreaterThanOrEqual(5);

    const res = await admin.call('GET', '/api/dead-letters');
    expect(res.statusCode).toBe(200);
    const letters = res.json().data;
    expect(letters.map((l: { id: string }) => l.id).sort()).toEqual([
      'conversations:mine',
      `webhook-events:${shard}:batch`,
      `webhook-events:${shard}:hook`,
    ]);
    expect(letters.find((l: { job_id: string }) => l.job_id === 'mine')).toMatchObject({
      queue: 'conversations',
      shard: null,
      name: 'drain-conversation',
      bot_id: botId,
      // Linked by bot + user key; its only inbound message was answered, so no message is named.
      conversation_id: openConversation,
      message_id: null,
      failed_reason: 'Graph API 131000: something went wrong',
      attempts_made: 2,
      max_attempts: 2,
      failed_at: expect.any(String),
    });
    expect(letters.find((l: { job_id: string }) => l.job_id === `${shard}:hook`)).toMatchObject({
      queue: 'webhook-events',
      shard,
      name: 'meta-webhook',
      bot_id: botId,
    });
    expect(res.body).not.toContain('do not show');

    const filtered = await admin.call('GET', `/api/dead-letters?bot_id=${botId}&queue=webhook-events`);
    expect(
      filtered
        .json()
        .data.map((l: { id: string }) => l.id)
        .sort(),
    ).toEqual([`webhook-events:${shard}:batch`, `webhook-events:${shard}:hook`]);
    expect((await admin.call('GET', `/api/dead-letters?bot_id=${malloryBotId}`)).statusCode).toBe(404);
    const theirs = await admin.call('GET', '/api/dead-letters', { as: 'mallory' });
    expect(
      theirs
        .json()
        .data.map((l: { id: string }) => l.id)
        .sort(),
    ).toEqual(['conversations:theirs', `webhook-events:${otherShard}:hook`, `webhook-events:${shard}:batch`].sort());

    expect((await admin.call('POST', '/api/dead-letters/conversations/theirs/retry')).statusCode).toBe(404);
    expect((await admin.call('POST', '/api/dead-letters/conversations/nope/retry')).statusCode).toBe(404);
    expect((await admin.call('POST', '/api/dead-letters/other-queue/mine/retry')).statusCode).toBe(400);
    const retried = await admin.call('POST', '/api/dead-letters/conversations/mine/retry');
    expect(retried.statusCode).toBe(200);
    expect(retried.json()).toEqual({
      id: 'conversations:mine',
      queue: 'conversations',
      job_id: 'mine',
      status: 'retried',
    });
    expect(await (await conversations.getJob('mine'))?.getState()).toBe('waiting');
    expect((await admin.call('POST', '/api/dead-letters/conversations/mine/retry')).statusCode).toBe(409);

    // A stage-1 dead letter is named by shard and id; the id alone names none.
    expect((await admin.call('POST', '/api/dead-letters/webhook-events/hook/retry')).statusCode).toBe(404);
    expect((await admin.call('POST', '/api/dead-letters/webhook-events/999:hook/retry')).statusCode).toBe(404);
    expect(
      (await admin.call('POST', `/api/dead-letters/webhook-events/${encodeURIComponent(`${otherShard}:hook`)}/retry`))
        .statusCode,
    ).toBe(404);
    const hook = await admin.call(
      'POST',
      `/api/dead-letters/webhook-events/${encodeURIComponent(`${shard}:hook`)}/retry`,
    );
    expect(hook.json()).toEqual({
      id: `webhook-events:${shard}:hook`,
      queue: 'webhook-events',
      job_id: `${shard}:hook`,
      status: 'retried',
    });
    expect(await (await webhooks.getJob('hook'))?.getState()).toBe('waiting');
    expect(await (await otherWebhooks.getJob('hook'))?.getState()).toBe('failed');
    const after = await admin.call('GET', '/api/dead-letters');
    expect(
      after
        .json()
        .data.map((l: { id: string }) => l.id)
        .sort(),
    ).toEqual([`webhook-events:${shard}:batch`]);

    await Promise.all([conversations.close(), webhooks.close(), otherWebhooks.close()]);
    connection.disconnect();
  });
});
