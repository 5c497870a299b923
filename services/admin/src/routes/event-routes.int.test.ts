import { liveEventsKey } from '@wabot/contracts';
import { type GraphSimulator, startGraphSimulator } from '@wabot/meta-simulator';
import { eventually, useTestDatabase, useTestRedis } from '@wabot/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSse, type SseEvent, type SseStream } from '../testing/sse-client.js';
import { botBody, createTestAdmin, type TestAdmin } from '../testing/test-admin.js';

// GET /api/events over real HTTP (the app listening on a free port, read with fetch as a browser
// would): each event once per subscriber, in order; tenancy; a reconnect with Last-Event-ID gets
// exactly what it missed; heartbeats; a client that goes away frees its subscription.

const database = useTestDatabase();
const redis = useTestRedis();
let graph: GraphSimulator;
let admin: TestAdmin;
let base: string;
let workspaceA: string;
let workspaceB: string;
let botA: string;
let botB: string;
const HOUR = 3600 * 1000;
const streams: SseStream[] = [];
let userCounter = 0;

const db = () => database.current.db;

async function subscribe(as: string, workspaceId: string, headers: Record<string, string> = {}, query = '') {
  const stream = await openSse(`${base}/api/events?workspace_id=${workspaceId}${query}`, {
    authorization: `Bearer ${await admin.token(as)}`,
    ...headers,
  });
  streams.push(stream);
  return stream;
}

/** A conversation of `botId` inside the 24-hour window. */
const newConversation = async (botId: string) => {
  const user = `1555123${String(++userCounter).padStart(4, '0')}`;
  return (
    await db().conversation.create({
      data: { botId, userKey: user, waId: user, lastInboundAt: new Date(Date.now() - HOUR) },
    })
  ).id;
};

const data = (event: SseEvent) => JSON.parse(event.data) as Record<string, unknown>;
const named = (events: SseEvent[]) => events.map((e) => e.event);

/** Handoff, operator message, resume of one conversation through the API: four events. */
async function changes(conversationId: string, as = 'alice') {
  expect(
    (await admin.call('POST', `/api/conversations/${conversationId}/handoff`, { as, body: { assignee: as } }))
      .statusCode,
  ).toBe(200);
  expect(
    (await admin.call('POST', `/api/conversations/${conversationId}/messages`, { as, body: { text: 'Hi, Ana here' } }))
      .statusCode,
  ).toBe(202);
  expect((await admin.call('POST', `/api/conversations/${conversationId}/resume`, { as })).statusCode).toBe(200);
}

beforeAll(async () => {
  graph = await startGraphSimulator();
  admin = await createTestAdmin(database.current, redis.current, {
    GRAPH_API_BASE_URL: graph.url,
    EVENTS_HEARTBEAT_MS: '100',
  });
  base = await admin.app.listen({ host: '127.0.0.1', port: 0 });
  workspaceA = (await admin.call('POST', '/api/workspaces', { as: 'alice', body: { name: 'a' } })).json().id;
  workspaceB = (await admin.call('POST', '/api/workspaces', { as: 'bob', body: { name: 'b' } })).json().id;
  botA = (await admin.call('POST', '/api/bots', { as: 'alice', body: botBody(workspaceA).body })).json().id;
  botB = (await admin.call('POST', '/api/bots', { as: 'bob', body: botBody(workspaceB).body })).json().id;
  for (const [bot, as] of [
    [botA, 'alice'],
    [botB, 'bob'],
  ] as const) {
    expect((await admin.call('POST', `/api/bots/${bot}/activate`, { as })).statusCode).toBe(200);
  }
});
afterAll(async () => {
  for (const stream of streams) stream.close();
  await admin?.close();
  await graph?.close();
});

describe('GET /api/events (Server-Sent Events)', () => {
  it('delivers each event once to each subscriber, in order, with the message as the API shows it', async () => {
    const first = await subscribe('alice', workspaceA);
    const second = await subscribe('alice', workspaceA);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const conversation = await newConversation(botA);
    await changes(conversation);
    // A worker-side event goes through the same stream.
    await admin.live.events.publish({
      type: 'message.status',
      workspace_id: workspaceA,
      bot_id: botA,
      conversation_id: conversation,
      message_id: '00000000-0000-4000-8000-000000000001',
      wamid: 'wamid.X',
      status: 'delivered',
    });
    const expected = ['conversation.control', 'message.created', 'conversation.control', 'message.status'];
    for (const stream of [first, second]) {
      await stream.waitFor((events) => events.length >= expected.length);
    }
    // Nothing more arrives: each event exactly once.
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const stream of [first, second]) {
      expect(named(stream.events)).toEqual(expected);
      const ids = stream.events.map((e) => e.id);
      expect(new Set(ids).size).toBe(ids.length);
    }
    expect(second.events.map((e) => e.id)).toEqual(first.events.map((e) => e.id));
    const [handoff, created, resume, status] = first.events.map(data);
    expect(handoff).toEqual({
      workspace_id: workspaceA,
      bot_id: botA,
      conversation_id: conversation,
      control: 'human',
      assignee: 'alice',
      handoff_reason: 'operator',
      resume_at: null,
      by: 'alice',
    });
    expect(created).toMatchObject({
      workspace_id: workspaceA,
      bot_id: botA,
      conversation_id: conversation,
      message: { conversation_id: conversation, author: 'operator', author_user_id: 'alice', text: 'Hi, Ana here' },
    });
    // The same shape as GET /api/conversations/:id/messages.
    const listed = (await admin.call('GET', `/api/conversations/${conversation}/messages`, { as: 'alice' })).json();
    expect(Object.keys((created?.message ?? {}) as object).sort()).toEqual(Object.keys(listed.data[0]).sort());
    expect(resume).toMatchObject({ control: 'bot', resume_at: null, by: 'alice' });
    expect(status).toMatchObject({ status: 'delivered', wamid: 'wamid.X' });
  });

  it('honours tenancy: another workspace is a 404, and a workspace’s stream carries only its own events', async () => {
    const foreign = await fetch(`${base}/api/events?workspace_id=${workspaceA}`, {
      headers: { authorization: `Bearer ${await admin.token('bob')}` },
    });
    expect(foreign.status).toBe(404);
    expect(await foreign.json()).toMatchObject({ error: { code: 'not_found' } });
    const anonymous = await fetch(`${base}/api/events?workspace_id=${workspaceA}`);
    expect(anonymous.status).toBe(401);
    const malformed = await fetch(`${base}/api/events?workspace_id=nope`, {
      headers: { authorization: `Bearer ${await admin.token('alice')}` },
    });
    expect(malformed.status).toBe(400);

    const bob = await subscribe('bob', workspaceB);
    await changes(await newConversation(botA));
    const mine = await newConversation(botB);
    expect((await admin.call('POST', `/api/conversations/${mine}/handoff`, { as: 'bob' })).statusCode).toBe(200);
    await bob.waitFor((events) => events.length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(bob.events.map((e) => data(e).conversation_id)).toEqual([mine]);
    expect(bob.events.map((e) => data(e).workspace_id)).toEqual([workspaceB]);
  });

  it('a reconnect with Last-Event-ID (header or query) replays only what it missed, then goes on live', async () => {
    const stream = await subscribe('alice', workspaceA);
    const conversation = await newConversation(botA);
    expect((await admin.call('POST', `/api/conversations/${conversation}/handoff`, { as: 'alice' })).statusCode).toBe(
      200,
    );
    const [seen] = await stream.waitFor((events) => events.length === 1);
    stream.close();
    await stream.ended;
    // Missed while away: a message and the resume.
    expect(
      (
        await admin.call('POST', `/api/conversations/${conversation}/messages`, {
          as: 'alice',
          body: { text: 'while you were away' },
        })
      ).statusCode,
    ).toBe(202);
    expect((await admin.call('POST', `/api/conversations/${conversation}/resume`, { as: 'alice' })).statusCode).toBe(
      200,
    );
    const lastId = seen?.id ?? '';
    const byHeader = await subscribe('alice', workspaceA, { 'last-event-id': lastId });
    const byQuery = await subscribe('alice', workspaceA, {}, `&last_event_id=${lastId}`);
    for (const again of [byHeader, byQuery]) {
      await again.waitFor((events) => events.length >= 2);
      expect(named(again.events)).toEqual(['message.created', 'conversation.control']);
      expect(again.events.every((e) => e.id !== lastId)).toBe(true);
    }
    // Then live, still once each.
    expect((await admin.call('POST', `/api/conversations/${conversation}/handoff`, { as: 'alice' })).statusCode).toBe(
      200,
    );
    for (const again of [byHeader, byQuery]) {
      await again.waitFor((events) => events.length >= 3);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(named(again.events)).toEqual(['message.created', 'conversation.control', 'conversation.control']);
    }
  });

  it('an id older than what the stream keeps (or not of it) gets `reset`, then live events', async () => {
    const key = liveEventsKey(redis.current.prefix, workspaceA);
    expect(await redis.current.redis.xlen(key)).toBeGreaterThan(0);
    const stale = await subscribe('alice', workspaceA, { 'last-event-id': '1-0' });
    await stale.waitFor((events) => events.length >= 1);
    expect(stale.events[0]).toEqual({ id: null, event: 'reset', data: '{}' });
    const bogus = await subscribe('alice', workspaceA, { 'last-event-id': 'not-an-id' });
    await bogus.waitFor((events) => events.length >= 1);
    expect(bogus.events[0]?.event).toBe('reset');
    const conversation = await newConversation(botA);
    expect((await admin.call('POST', `/api/conversations/${conversation}/handoff`, { as: 'alice' })).statusCode).toBe(
      200,
    );
    await stale.waitFor((events) => events.length >= 2);
    expect(named(stale.events)).toEqual(['reset', 'conversation.control']);
  });

  it('sends a heartbeat comment while idle', async () => {
    const idle = await subscribe('bob', workspaceB);
    await eventually(() => idle.comments.filter((c) => c === 'ping').length >= 2, 5_000, 'two pings');
    expect(idle.comments[0]).toBe('connected');
  });

  it('a client that goes away frees its subscription, and the last one of a workspace its tail', async () => {
    for (const stream of streams.splice(0)) stream.close();
    await eventually(() => admin.live.liveEvents.stats().subscribers === 0, 5_000, 'no subscribers');
    expect(admin.live.liveEvents.stats()).toEqual({ tails: 0, subscribers: 0 });
    const one = await subscribe('alice', workspaceA);
    const two = await subscribe('alice', workspaceA);
    await one.waitFor(() => true);
    expect(admin.live.liveEvents.stats()).toEqual({ tails: 1, subscribers: 2 });
    one.close();
    await eventually(() => admin.live.liveEvents.stats().subscribers === 1, 5_000, 'one subscriber left');
    expect(admin.live.liveEvents.stats().tails).toBe(1);
    two.close();
    await eventually(() => admin.live.liveEvents.stats().tails === 0, 5_000, 'tail stopped');
  });
});
