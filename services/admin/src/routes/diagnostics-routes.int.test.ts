import { physicalQueueName } from '@wabot/contracts';
import { type GraphSimulator, startGraphSimulator } from '@wabot/meta-simulator';
import { useTestDatabase, useTestRedis } from '@wabot/testing';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botBody, createTestAdmin, type TestAdmin } from '../testing/test-admin.js';

// What the API tells about messages that did not go out (docs/contract.md, Diagnostics).
const database = useTestDatabase();
const redis = useTestRedis();
let graph: GraphSimulator;
let admin: TestAdmin;
let botId: string;
const db = () => database.current.db;
const HOUR = 3600_000;

beforeAll(async () => {
  graph = await startGraphSimulator();
  admin = await createTestAdmin(database.current, redis.current, { GRAPH_API_BASE_URL: graph.url });
  const ws = (await admin.call('POST', '/api/workspaces', { body: { name: 'diag-ws' } })).json().id;
  botId = (await admin.call('POST', '/api/bots', { body: botBody(ws).body })).json().id;
});

afterAll(async () => {
  await admin.close();
  await graph.close();
});

const conversationWith = (userKey: string, lastInboundAt = new Date(Date.now() - HOUR)) =>
  db().conversation.create({ data: { botId, userKey, waId: userKey, lastInboundAt } });

describe('message order', () => {
  it("returns a reply's parts by part index (stored in one statement, one created_at), in the list and the preview", async () => {
    const conversation = await conversationWith('15556660001');
    const at = new Date(Date.now() - 1000);
    const inbound = await db().message.create({
      data: {
        botId,
        conversationId: conversation.id,
        direction: 'inbound',
        type: 'text',
        text: 'question',
        status: 'handled',
        metaTimestamp: new Date(at.getTime() - 5000),
        createdAt: new Date(at.getTime() - 1),
      },
    });
    // Ids chosen so that id order (the old tie-break) is 1, 0, 2: the "2, 1, 3".
    const ids = [
      'b0000000-0000-4000-8000-000000000000',
      'c0000000-0000-4000-8000-000000000000',
      'a0000000-0000-4000-8000-000000000000',
    ];
    for (const [partIndex, id] of ids.entries()) {
      await db().message.create({
        data: {
          id,
          botId,
          conversationId: conversation.id,
          direction: 'outbound',
          type: 'text',
          text: `part ${partIndex + 1}`,
          status: 'sent',
          replyToId: inbound.id,
          partIndex,
          partCount: 3,
          createdAt: at,
        },
      });
    }
    const res = await admin.call('GET', `/api/conversations/${conversation.id}/messages`);
    expect(res.statusCode).toBe(200);
    const texts = res.json().data.map((m: { text: string }) => m.text);
    expect(texts).toEqual(['part 3', 'part 2', 'part 1', 'question']);
    // Inbound messages carry Meta's timestamp (when the user sent it).
    expect(res.json().data[3].meta_timestamp).toBe(new Date(at.getTime() - 5000).toISOString());

    // Paging one by one keeps the same order across equal created_at.
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=1&cursor=${cursor}` : '?limit=1';
      const page = await admin.call('GET', `/api/conversations/${conversation.id}/messages${query}`);
      expect(page.statusCode).toBe(200);
      paged.push(...page.json().data.map((m: { text: string }) => m.text));
      cursor = page.json().next_cursor;
    } while (cursor);
    expect(paged).toEqual(texts);

    const list = await admin.call('GET', `/api/bots/${botId}/conversations`);
    const preview = list.json().data.find((c: { id: string }) => c.id === conversation.id);
    expect(preview.last_message.text).toBe('part 3');
  });
});

describe('messages being retried', () => {
  it('shows attempts and last_error {code, title, at}', async () => {
    const conversation = await conversationWith('15556660002');
    const at = new Date();
    await db().message.create({
      data: {
        botId,
        conversationId: conversation.id,
        direction: 'outbound',
        type: 'text',
        text: 'waiting for Meta',
        status: 'pending',
        attempts: 3,
        lastError: { code: null, title: 'graph_unreachable: connection failed', at: at.toISOString() },
        retryingSince: at,
      },
    });
    const [message] = (await admin.call('GET', `/api/conversations/${conversation.id}/messages`)).json().data;
    expect(message).toMatchObject({
      status: 'pending',
      attempts: 3,
      last_error: { code: null, title: 'graph_unreachable: connection failed', at: at.toISOString() },
    });
  });
});

describe('window state', () => {
  it("shows the window closed after Meta's 131047 although the clock says open", async () => {
    const conversation = await conversationWith('15556660003');
    const before = (await admin.call('GET', `/api/bots/${botId}/conversations`)).json().data;
    expect(before.find((c: { id: string }) => c.id === conversation.id).window.open).toBe(true);
    const refusedAt = new Date();
    await db().conversation.update({ where: { id: conversation.id }, data: { windowClosedAt: refusedAt } });
    const after = (await admin.call('GET', `/api/bots/${botId}/conversations`)).json().data;
    expect(after.find((c: { id: string }) => c.id === conversation.id).window).toEqual({
      open: false,
      expires_at: expect.any(String),
      closed_by_meta_at: refusedAt.toISOString(),
    });
  });
});

describe('bot health', () => {
  it('GET /api/bots/:id shows LLM and Graph health and says what is unreachable', async () => {
    const fresh = (await admin.call('GET', `/api/bots/${botId}`)).json();
    expect(fresh.health).toEqual({
      llm: { status: 'unknown', last_error: null, at: null },
      graph: { status: 'unknown', last_error: null, at: null },
      credentials: 'unknown',
      alerts: [],
    });
    const at = new Date();
    await db().bot.update({
      where: { id: botId },
      data: {
        llmStatus: 'unreachable',
        llmError: { code: null, title: 'llm_unreachable: fetch failed', at: at.toISOString() },
        llmStatusAt: at,
        graphStatus: 'ok',
        graphStatusAt: at,
        credentialsStatus: 'ok',
      },
    });
    const res = await admin.call('GET', `/api/bots/${botId}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.credentials_status).toBe('ok');
    expect(body.health).toMatchObject({
      llm: { status: 'unreachable', last_error: { title: 'llm_unreachable: fetch failed' }, at: at.toISOString() },
      graph: { status: 'ok', last_error: null },
      credentials: 'ok',
    });
    expect(body.health.alerts).toEqual([expect.stringMatching(/^LLM unreachable .*fetch failed/)]);
  });
});

describe('dead letters', () => {
  it('a dead-lettered drain job links its conversation and the message it was stuck on; a template retry re-opens its row', async () => {
    const conversation = await conversationWith('15556660004');
    const stuck = await db().message.create({
      data: {
        botId,
        conversationId: conversation.id,
        direction: 'inbound',
        metaMessageId: 'wamid.stuck',
        type: 'text',
        text: 'never answered',
        status: 'processing',
      },
    });
    const template = await db().message.create({
      data: {
        botId,
        conversationId: conversation.id,
        direction: 'outbound',
        type: 'template',
        text: '[Template: hello]',
        status: 'failed',
        errorTitle: 'send_failed',
      },
    });
    const { prefix, url } = redis.current;
    const connection = new Redis(url, { maxRetriesPerRequest: null });
    const conversations = new Queue(physicalQueueName('conversations'), { connection, prefix });
    const outbound = new Queue(physicalQueueName('outbound'), { connection, prefix });
    await conversations.add('drain-conversation', { botId, userKey: '15556660004' }, { attempts: 1, jobId: 'stuck' });
    await outbound.add(
      'send-template',
      {
        botId,
        conversationId: conversation.id,
        messageId: template.id,
        template: { name: 'hello', language: 'en_US', parameters: [] },
      },
      { attempts: 1, jobId: template.id },
    );
    const workers = [conversations, outbound].map(
      (queue) =>
        new Worker(
          queue.name,
          async () => {
            throw new Error('failed for good');
          },
          { connection, prefix, autorun: true },
        ),
    );
    try {
      await expect
        .poll(async () => (await conversations.getFailedCount()) + (await outbound.getFailedCount()), {
          timeout: 10_000,
        })
        .toBe(2);
    } finally {
      await Promise.all(workers.map((w) => w.close()));
    }
    const letters = (await admin.call('GET', `/api/dead-letters?bot_id=${botId}`)).json().data;
    expect(letters.find((l: { id: string }) => l.id === 'conversations:stuck')).toMatchObject({
      conversation_id: conversation.id,
      message_id: stuck.id,
    });
    expect(letters.find((l: { queue: string }) => l.queue === 'outbound')).toMatchObject({
      conversation_id: conversation.id,
      message_id: template.id,
    });
    const retried = await admin.call('POST', `/api/dead-letters/outbound/${template.id}/retry`);
    expect(retried.statusCode).toBe(200);
    expect(await db().message.findUniqueOrThrow({ where: { id: template.id } })).toMatchObject({
      status: 'pending',
      errorTitle: null,
    });
    await Promise.all([conversations.close(), outbound.close()]);
    connection.disconnect();
  });
});
