import { physicalQueueName, resumeJobId } from '@wabot/contracts';
import { type GraphSimulator, startGraphSimulator } from '@wabot/meta-simulator';
import { useTestDatabase, useTestRedis } from '@wabot/testing';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botBody, createTestAdmin, type TestAdmin } from '../testing/test-admin.js';

// The takeover endpoints (docs/contract.md, Conversations): one conversation, handoff, resume and
// operator messages, with tenancy, validation and audit entries. The worker's side (what is and
// is not sent) is services/worker/src/takeover.int.test.ts.

const database = useTestDatabase();
const redis = useTestRedis();
let graph: GraphSimulator;
let admin: TestAdmin;
let botId: string;
let workspaceId: string;
let open: string;
let closed: string;
const HOUR = 3600 * 1000;

const db = () => database.current.db;
const outboundJob = async (id: string) => {
  const queue = new Queue(physicalQueueName('outbound'), {
    connection: redis.current.redis,
    prefix: redis.current.prefix,
  });
  try {
    const job = await queue.getJob(id);
    return job ? { name: job.name, data: job.data, delay: job.opts.delay } : null;
  } finally {
    await queue.close();
  }
};
const auditActions = async () =>
  (await db().auditLog.findMany({ where: { workspaceId }, orderBy: { createdAt: 'asc' } })).map((a) => ({
    action: a.action,
    details: a.details,
  }));

beforeAll(async () => {
  graph = await startGraphSimulator();
  admin = await createTestAdmin(database.current, redis.current, { GRAPH_API_BASE_URL: graph.url });
  workspaceId = (await admin.call('POST', '/api/workspaces', { as: 'alice', body: { name: 'alice-ws' } })).json().id;
  botId = (await admin.call('POST', '/api/bots', { as: 'alice', body: botBody(workspaceId).body })).json().id;
  expect((await admin.call('POST', `/api/bots/${botId}/activate`, { as: 'alice' })).statusCode).toBe(200);
  await db().bot.update({
    where: { id: botId },
    data: { settings: { handoff: { keywords: ['agent'], auto_resume_after_s: 600, notice: 'Back!' } } },
  });
  const now = Date.now();
  open = (
    await db().conversation.create({
      data: { botId, userKey: '15551239001', waId: '15551239001', lastInboundAt: new Date(now - HOUR) },
    })
  ).id;
  closed = (
    await db().conversation.create({
      data: { botId, userKey: '15551239002', waId: '15551239002', lastInboundAt: new Date(now - 30 * HOUR) },
    })
  ).id;
});
afterAll(async () => {
  await admin?.close();
  await graph?.close();
});

describe('takeover endpoints', () => {
  it('GET /api/conversations/:id shows control, assignee, handoff_reason and resume_at', async () => {
    const res = await admin.call('GET', `/api/conversations/${open}`, { as: 'alice' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      id: open,
      control: 'bot',
      assignee: null,
      handoff_reason: null,
      resume_at: null,
      window: { open: true },
    });
  });

  it('another workspace’s conversation is a 404 on every endpoint; a malformed id or body is a 400', async () => {
    for (const [method, path, body] of [
      ['GET', `/api/conversations/${open}`, undefined],
      ['POST', `/api/conversations/${open}/handoff`, {}],
      ['POST', `/api/conversations/${open}/resume`, undefined],
      ['POST', `/api/conversations/${open}/messages`, { text: 'hi' }],
    ] as const) {
      const res = await admin.call(method, path, { as: 'mallory', ...(body ? { body } : {}) });
      expect(res.statusCode, `${method} ${path}`).toBe(404);
    }
    expect((await admin.call('GET', '/api/conversations/not-a-uuid', { as: 'alice' })).statusCode).toBe(400);
    const unknownKey = await admin.call('POST', `/api/conversations/${open}/handoff`, {
      as: 'alice',
      body: { reason: 'x', mode: 'silent' },
    });
    expect(unknownKey.statusCode).toBe(400);
    const empty = await admin.call('POST', `/api/conversations/${open}/messages`, {
      as: 'alice',
      body: { text: '  ' },
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.code).toBeDefined();
    const notMember = await admin.call('POST', `/api/conversations/${open}/handoff`, {
      as: 'alice',
      body: { assignee: 'mallory' },
    });
    expect(notMember.statusCode).toBe(400);
    expect((await db().conversation.findUniqueOrThrow({ where: { id: open } })).control).toBe('bot');
  });

  it('POST handoff → 200 control human with reason, assignee and resume_at; audit handoff + assignment; resume job scheduled', async () => {
    const before = Date.now();
    const res = await admin.call('POST', `/api/conversations/${open}/handoff`, {
      as: 'alice',
      body: { reason: 'VIP customer', assignee: 'alice' },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ control: 'human', handoff_reason: 'VIP customer', assignee: 'alice' });
    const resumeAt = Date.parse(body.resume_at);
    expect(resumeAt).toBeGreaterThanOrEqual(before + 600_000);
    expect(resumeAt).toBeLessThanOrEqual(Date.now() + 600_000);
    const job = await outboundJob(resumeJobId({ conversationId: open, resumeAt }));
    expect(job).toMatchObject({ name: 'resume-conversation', data: { botId, conversationId: open, resumeAt } });
    expect(job?.delay).toBeGreaterThan(590_000);
    expect(await auditActions()).toEqual(
      expect.arrayContaining([
        { action: 'conversation.handoff', details: expect.objectContaining({ conversation_id: open, was: 'bot' }) },
        { action: 'conversation.assign', details: { conversation_id: open, assignee: 'alice' } },
      ]),
    );
  });

  it('POST resume → 200 control bot, no resume pending; audited', async () => {
    const res = await admin.call('POST', `/api/conversations/${open}/resume`, { as: 'alice' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ control: 'bot', resume_at: null });
    expect((await auditActions()).map((a) => a.action)).toContain('conversation.resume');
  });

  it('POST messages inside the window → 202 with the stored operator message, queued, and the conversation handed over', async () => {
    const res = await admin.call('POST', `/api/conversations/${open}/messages`, {
      as: 'alice',
      body: { text: 'Hi, Alice from support here' },
    });
    expect(res.statusCode).toBe(202);
    const body = res.json();
    expect(body.message).toMatchObject({
      direction: 'outbound',
      type: 'text',
      text: 'Hi, Alice from support here',
      author: 'operator',
      author_user_id: 'alice',
      status: 'pending',
    });
    expect(body.conversation).toMatchObject({ control: 'human', handoff_reason: 'operator_message' });
    expect(body.conversation.last_operator_message_at).not.toBeNull();
    expect(await outboundJob(body.job_id)).toMatchObject({
      name: 'send-message',
      data: { botId, conversationId: open, messageId: body.message.id },
    });
    const actions = (await auditActions()).map((a) => a.action);
    expect(actions.filter((a) => a === 'conversation.operator_message')).toHaveLength(1);
    expect(actions.filter((a) => a === 'conversation.handoff')).toHaveLength(2);
    const listed = await admin.call('GET', `/api/conversations/${open}/messages`, { as: 'alice' });
    expect(listed.json().data[0]).toMatchObject({ id: body.message.id, author: 'operator' });
  });

  it('POST messages outside the 24-hour window → 409 window_closed, nothing stored', async () => {
    const res = await admin.call('POST', `/api/conversations/${closed}/messages`, {
      as: 'alice',
      body: { text: 'Are you still there?' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('window_closed');
    expect(await db().message.count({ where: { conversationId: closed } })).toBe(0);
    expect((await db().conversation.findUniqueOrThrow({ where: { id: closed } })).control).toBe('bot');
    // A handoff needs no body; it works outside the window too (nothing is sent).
    const handoff = await admin.call('POST', `/api/conversations/${closed}/handoff`, { as: 'alice' });
    expect(handoff.statusCode, handoff.body).toBe(200);
    expect(handoff.json()).toMatchObject({ control: 'human', handoff_reason: 'operator', assignee: null });
  });

  it('settings.handoff.unassigned_alert_after_s: validated (400 naming the field), stored, defaulting to null', async () => {
    const bad = await admin.call('PATCH', `/api/bots/${botId}`, {
      as: 'alice',
      body: { settings: { handoff: { unassigned_alert_after_s: -1 } } },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.fields[0].field).toBe('settings.handoff.unassigned_alert_after_s');
    const set = await admin.call('PATCH', `/api/bots/${botId}`, {
      as: 'alice',
      body: { settings: { handoff: { keywords: ['agent'], auto_resume_after_s: 600, unassigned_alert_after_s: 120 } } },
    });
    expect(set.statusCode).toBe(200);
    expect(set.json().settings.handoff).toEqual({
      keywords: ['agent'],
      auto_resume_after_s: 600,
      notice: null,
      unassigned_alert_after_s: 120,
    });
  });

  it('metrics: unassigned handoffs waiting, and the age of the oldest', async () => {
    await db().conversation.update({ where: { id: closed }, data: { handedOffAt: new Date(Date.now() - 90_000) } });
    const metrics = (await admin.app.inject({ method: 'GET', url: '/metrics' })).body;
    // `open` is assigned to alice; `closed` waits for somebody.
    expect(metrics).toMatch(/^wabot_handoffs_waiting(\{[^}]*\})? 1$/m);
    const age = Number(/^wabot_handoffs_waiting_oldest_age_seconds(?:\{[^}]*\})? (\S+)$/m.exec(metrics)?.[1]);
    expect(age).toBeGreaterThanOrEqual(90);
    expect(age).toBeLessThan(200);
  });
});
