import { randomUUID } from 'node:crypto';
import { useTestDatabase } from '@wabot/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBotRepository } from './bot-repository.js';
import { createSqlPool, type SqlPool } from './create-database-client.js';
import { createMessageRepository, type InboundRecord, type MessageRepository } from './message-repository.js';
import { createWorkspaceRepository } from './workspace-repository.js';

const database = useTestDatabase();
let sql: SqlPool;
let messages: MessageRepository;
let botId: string;

beforeAll(async () => {
  const { db, url } = database.current;
  sql = createSqlPool(url, { max: 2 });
  messages = createMessageRepository(db, sql);
  const workspace = await createWorkspaceRepository(db).create('message repository');
  botId = `bt_m${randomUUID().replaceAll('-', '').slice(0, 18)}`;
  await createBotRepository(db).create({
    id: botId,
    workspaceId: workspace.id,
    name: 'repository bot',
    phoneNumberId: '15550007777',
    accessTokenCipher: 'sealed-a',
    verifyTokenCipher: 'sealed-v',
  });
});

afterAll(async () => {
  await sql.end();
});

const inbound = (userKey: string, text: string, timestamp = 1_760_000_000): InboundRecord => ({
  messageId: `wamid.${randomUUID()}`,
  userKey,
  waId: userKey,
  userId: null,
  profileName: 'Ada',
  timestamp,
  type: 'text',
  text,
  metadata: {},
});

describe('message repository (the worker hot path against real PostgreSQL)', () => {
  it('stores an inbound message once: a redelivery finds the same row and the plan stored for it', async () => {
    const message = inbound('15551230001', 'hello');
    const first = await messages.recordInbound(botId, message);
    expect(first.message).toMatchObject({ botId, status: 'received', turnId: null });
    expect(first.recipient).toBe('15551230001');
    expect(first.plan).toEqual([]);

    const { plan, inserted } = await messages.createReplyPlan(first.message, [
      { type: 'text', text: 'part one' },
      { type: 'text', text: 'part two' },
    ]);
    expect(inserted).toBe(true);
    expect(first.inserted).toBe(true);
    expect(plan.map((p) => [p.partIndex, p.text, p.status])).toEqual([
      [0, 'part one', 'pending'],
      [1, 'part two', 'pending'],
    ]);
    // A second attempt's plan loses to the stored one: the reply is never regenerated.
    const again = await messages.createReplyPlan(first.message, [{ type: 'text', text: 'other' }]);
    expect(again.inserted).toBe(false);
    expect(again.plan.map((p) => p.id)).toEqual(plan.map((p) => p.id));

    const redelivered = await messages.recordInbound(botId, message);
    expect(redelivered.message.id).toBe(first.message.id);
    expect(redelivered.inserted).toBe(false);
    expect(redelivered.conversationId).toBe(first.conversationId);
    expect(redelivered.message.turnId).toBe(first.message.id);
    expect(redelivered.plan.map((p) => p.id)).toEqual(plan.map((p) => p.id));
  });

  it('marks parts sent with the turn handled, and status webhooks only move a message forward', async () => {
    const recorded = await messages.recordInbound(botId, inbound('15551230002', 'status please'));
    const {
      plan: [part],
    } = await messages.createReplyPlan(recorded.message, [{ type: 'text', text: 'on its way' }]);
    if (!part) throw new Error('no part stored');
    const wamid = `wamid.${randomUUID()}`;
    expect(await messages.markSent(part.id, wamid, [recorded.message.id])).toBe(recorded.conversationId);
    const handled = await messages.recordInbound(botId, inbound('15551230002', 'next'), { turns: 5, chars: 1000 });
    expect(handled.history).toEqual([
      { role: 'user', content: 'status please' },
      { role: 'assistant', content: 'on its way' },
    ]);

    const status = (value: 'sent' | 'delivered' | 'read' | 'failed', timestamp: number) => ({
      messageId: wamid,
      status: value,
      timestamp,
      errors: [],
    });
    expect(await messages.applyStatus(botId, status('read', 1_760_000_100))).toMatchObject({
      id: part.id,
      conversationId: recorded.conversationId,
      status: 'read',
      moved: true,
    });
    // Known but not moved (read outranks delivered): no status change to report.
    expect(await messages.applyStatus(botId, status('delivered', 1_760_000_050))).toMatchObject({
      status: 'read',
      moved: false,
    });
    expect(await messages.applyStatus(botId, { ...status('sent', 1), messageId: 'wamid.unknown' })).toBeNull();
    const row = await database.current.db.message.findUniqueOrThrow({ where: { id: part.id } });
    expect(row.status).toBe('read');
    expect(row.readAt).toEqual(new Date(1_760_000_100_000));
    expect(row.deliveredAt).toEqual(new Date(1_760_000_050_000));
    const inboundRow = await database.current.db.message.findUniqueOrThrow({ where: { id: recorded.message.id } });
    expect(inboundRow.status).toBe('handled');
  });

  it('records a failure with its code and skips the parts after it', async () => {
    const recorded = await messages.recordInbound(botId, inbound('15551230003', 'fail me'));
    const {
      plan: [first, second],
    } = await messages.createReplyPlan(recorded.message, [
      { type: 'text', text: 'one' },
      { type: 'text', text: 'two' },
    ]);
    if (!first || !second) throw new Error('no plan stored');
    expect(await messages.markFailed(first.id, { code: 131047, title: 'Re-engagement message' })).toBe(
      recorded.conversationId,
    );
    // Only a pending message fails.
    expect(await messages.markFailed(first.id, { code: 1, title: 'again' })).toBeNull();
    expect(await messages.markRestSkipped(recorded.message.id, 0, 'an earlier part failed')).toEqual([second.id]);
    expect((await messages.replyPlan(recorded.message.id)).map((p) => p.status)).toEqual(['failed', 'failed']);
    const rows = await database.current.db.message.findMany({
      where: { id: { in: [first.id, second.id] } },
      orderBy: { partIndex: 'asc' },
    });
    expect(rows.map((r) => [r.errorCode, r.errorTitle])).toEqual([
      [131047, 'Re-engagement message'],
      [null, 'not_sent'],
    ]);
  });

  it('counts retries with last_error and the budget start, then fails the inbound messages with the reason', async () => {
    const recorded = await messages.recordInbound(botId, inbound('15551230004', 'LLM away'));
    const id = recorded.message.id;
    const first = await messages.recordRetry([id], { code: null, title: 'llm_unreachable: fetch failed' });
    const second = await messages.recordRetry([id], { code: 503, title: 'LLM answered HTTP 503' });
    expect(second).toEqual({ attempts: 2, retryingSince: first.retryingSince });
    const retrying = await database.current.db.message.findUniqueOrThrow({ where: { id } });
    expect(retrying).toMatchObject({
      status: 'processing',
      attempts: 2,
      lastError: { code: 503, title: 'LLM answered HTTP 503' },
    });
    await messages.markInboundFailed([id], { code: null, title: 'llm_unreachable', details: 'gave up' });
    // A failed turn is not marked handled afterwards.
    await messages.markHandled([id]);
    expect(await database.current.db.message.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: 'failed',
      errorTitle: 'llm_unreachable',
      errorDetails: 'gave up',
    });
  });

  it("closes the conversation's window on 131047, and records bot health; a send proves credentials still unknown", async () => {
    const recorded = await messages.recordInbound(botId, inbound('15551230005', 'late'));
    const {
      plan: [part],
    } = await messages.createReplyPlan(recorded.message, [{ type: 'text', text: 'reply' }]);
    if (!part) throw new Error('no plan stored');
    await messages.markWindowClosed(part.id);
    const conversation = await database.current.db.conversation.findUniqueOrThrow({
      where: { id: recorded.conversationId },
    });
    expect(conversation.windowClosedAt).toBeInstanceOf(Date);

    const { db } = database.current;
    const bot = await db.bot.findUniqueOrThrow({ where: { id: botId } });
    expect(bot.credentialsStatus).toBe('unknown');
    // A stale version (the token was replaced meanwhile) proves nothing.
    await messages.recordHealth(botId, 'graph', 'ok', null, bot.version - 1);
    expect((await db.bot.findUniqueOrThrow({ where: { id: botId } })).credentialsStatus).toBe('unknown');
    await messages.recordHealth(botId, 'llm', 'unreachable', { code: null, title: 'llm_unreachable: timeout' });
    await messages.recordHealth(botId, 'graph', 'ok', null, bot.version);
    expect(await db.bot.findUniqueOrThrow({ where: { id: botId } })).toMatchObject({
      credentialsStatus: 'ok',
      credentialsCheckedAt: expect.any(Date),
      graphStatus: 'ok',
      llmStatus: 'unreachable',
      llmError: { code: null, title: 'llm_unreachable: timeout' },
      llmStatusAt: expect.any(Date),
    });
  });
});
