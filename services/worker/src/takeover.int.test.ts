import { setTimeout as sleep } from 'node:timers/promises';
import { createConversationRepository, TEAM_MARK } from '@wabot/db';
import { createLiveEventReader } from '@wabot/queue';
import { describe, expect, it } from 'vitest';
import {
  businessOf,
  eventually,
  newWamid,
  statusWebhook,
  type TestBot,
  textWebhook,
  useWorkerKit,
} from './testing/worker.test-kit.js';

// Human takeover through two worker runtimes (docs/contract.md, Conversations): a handoff stops
// the bot's reply wherever it stands, inbound messages of a handed-over conversation are stored
// and not answered, keywords and Business-app echoes hand over, operator messages go through the
// bot's delivery path, and the auto-resume happens once fleet-wide.

const fixture = useWorkerKit({ workers: 2 });
const db = () => fixture.database.current.db;
const conversations = () => createConversationRepository(db());
let userCounter = 0;
const newUser = () => `1555${String(Date.now()).slice(-5)}${String(++userCounter).padStart(3, '0')}`;

const conversationOf = (bot: TestBot, userKey: string) =>
  eventually(
    () => db().conversation.findFirst({ where: { botId: bot.id, userKey } }),
    10_000,
    `conversation ${userKey}`,
  );

const sendsTo = (bot: TestBot, to: string) =>
  fixture.kit.graph.sentMessages({ phoneNumberId: bot.phoneNumberId }).filter((r) => r.to === to);

/** Hands over as the admin API does: the repository's handoff, then waits for parts already claimed. */
async function handOver(conversationId: string): Promise<void> {
  await conversations().handOff(conversationId, { reason: 'race', resumeAt: null });
  await eventually(async () => (await conversations().countInFlightParts(conversationId)) === 0, 5_000, 'in flight');
}

/** Every inbound message of the conversation handled (its turn is over, answered or not). */
const turnOver = (conversationId: string) =>
  eventually(
    async () =>
      (await db().message.count({ where: { conversationId, direction: 'inbound', status: { not: 'handled' } } })) === 0,
    15_000,
    'turn over',
  );

/** A Business-app echo (`smb_message_echoes`, meta-cloud-api.md §11.1) of a text the business sent to `to`. */
function echoWebhook(bot: TestBot, to: string, text: string) {
  const business = businessOf(bot);
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: business.wabaId,
        changes: [
          {
            field: 'smb_message_echoes',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: business.displayPhoneNumber, phone_number_id: bot.phoneNumberId },
              message_echoes: [
                {
                  from: business.displayPhoneNumber,
                  to,
                  id: newWamid(),
                  timestamp: String(Math.floor(Date.now() / 1000)),
                  type: 'text',
                  text: { body: text },
                },
              ],
            },
          },
        ],
      },
    ],
  };
}

describe('human takeover with 2 workers', () => {
  it('the race: a handoff while the bot generates or sends stops it there — 0 bot messages after any of 200 handoffs', async () => {
    const { kit } = fixture;
    const bot = await kit.createBot();
    kit.llm.setLatency(20, 250);
    // Slow sends: a two-part reply is often half sent when the handoff lands.
    kit.graph.injectFault({ kind: 'latency', latencyMs: 25, match: { phoneNumberId: bot.phoneNumberId } });
    const races = 200;
    const results: {
      late: number;
      cancelled: number;
      sent: number;
      claimedAfter: number;
      settleMs: number;
      /** Handoff committed → its turn over (the reply stopped, generating or sending), when the turn was in flight then. */
      stopMs: number | null;
    }[] = [];
    const race = async (i: number) => {
      const user = newUser();
      // Every other reply is two parts (the fake LLM echoes the text: 4,096 + "ECHO: " characters).
      const text = i % 2 === 0 ? `race ${i}` : `${'y'.repeat(4_080)} race ${i}`;
      await kit.deliver(bot, textWebhook(bot, [{ from: user, text }]));
      const conversation = await conversationOf(bot, user);
      await sleep(Math.floor(Math.random() * 300));
      const started = Date.now();
      await conversations().handOff(conversation.id, { reason: 'race', resumeAt: null });
      const committed = Date.now();
      const generating = kit.llm.requests.some((r) => r.lastUser === text && r.time < committed);
      await eventually(async () => (await conversations().countInFlightParts(conversation.id)) === 0, 5_000);
      const after = Date.now();
      await turnOver(conversation.id);
      await sleep(100);
      const parts = await db().message.findMany({ where: { conversationId: conversation.id, direction: 'outbound' } });
      // When the turn ended (its inbound message handled, PostgreSQL's clock on this machine).
      const inbound = await db().message.findFirstOrThrow({
        where: { conversationId: conversation.id, direction: 'inbound' },
      });
      const endedAt = inbound.handledAt?.getTime() ?? 0;
      results.push({
        late: sendsTo(bot, user).filter((r) => r.time > after).length,
        cancelled: parts.filter((p) => p.errorTitle === 'cancelled_by_handoff').length,
        sent: parts.filter((p) => p.status === 'sent').length,
        // A claim (PostgreSQL's now() of its statement) later than the handoff's commit would be a breach.
        claimedAfter: parts.filter((p) => p.sendingAt && p.sendingAt.getTime() > committed).length,
        settleMs: after - started,
        // In flight at the handoff: its engine call had started, and the turn was not over yet.
        stopMs: endedAt > committed && generating ? endedAt - committed : null,
      });
    };
    for (let batch = 0; batch < races; batch += 20) {
      await Promise.all(Array.from({ length: 20 }, (_, j) => race(batch + j)));
    }
    kit.graph.clearFaults();
    const sum = (key: 'late' | 'cancelled' | 'sent' | 'claimedAfter') =>
      results.reduce((total, r) => total + r[key], 0);
    const stops = results.flatMap((r) => (r.stopMs === null ? [] : [r.stopMs])).sort((a, b) => a - b);
    const p95 = stops[Math.floor(stops.length * 0.95)] ?? 0;
    console.info(
      `takeover race: ${results.length} handoffs, ${sum('late')} bot messages after a handoff, ` +
        `${sum('cancelled')} parts cancelled_by_handoff, ${sum('sent')} parts sent before a handoff, ` +
        `handoff + in-flight wait max ${Math.max(...results.map((r) => r.settleMs))} ms, ` +
        `handoff → in-flight turn stopped p95 ${p95} ms, max ${Math.max(...stops)} ms over ${stops.length} turns`,
    );
    expect(results).toHaveLength(races);
    expect(sum('late')).toBe(0);
    // Every part a handoff stopped is reported once on the live stream as `cancelled`.
    const { workspaceId } = await db().bot.findUniqueOrThrow({ where: { id: bot.id } });
    const streamed = await createLiveEventReader(kit.redis, fixture.redis.current.prefix).after(
      workspaceId,
      '0-0',
      50_000,
    );
    const cancelledEvents = streamed.filter((e) => e.event.type === 'message.status' && e.event.status === 'cancelled');
    expect(cancelledEvents).toHaveLength(sum('cancelled'));
    expect(new Set(cancelledEvents.map((e) => e.event.type === 'message.status' && e.event.message_id)).size).toBe(
      sum('cancelled'),
    );
    expect(sum('claimedAfter')).toBe(0);
    // The races really hit replies in flight, and some replies went out before their handoff.
    expect(stops.length).toBeGreaterThan(10);
    expect(sum('sent')).toBeGreaterThan(0);
    // The figure: a handoff stops an in-flight turn within 1 s (a turn generating checks
    // the conversation every HANDOFF_POLL_MS and aborts the engine call; a turn sending stops at its
    // next part's claim).
    expect(p95).toBeLessThan(1_000);
  }, 120_000);

  it('a handed-over conversation stores and receipts the inbound message (no typing indicator) but never calls the engine', async () => {
    const { kit } = fixture;
    const bot = await kit.createBot({ typing_indicator: true });
    const user = newUser();
    await kit.deliver(bot, textWebhook(bot, [{ from: user, text: 'first' }]));
    await eventually(() => sendsTo(bot, user).length === 1, 10_000, 'first reply');
    const conversation = await conversationOf(bot, user);
    await handOver(conversation.id);
    const llmCalls = kit.llm.requests.length;
    const wamid = newWamid();
    await kit.deliver(bot, textWebhook(bot, [{ id: wamid, from: user, text: 'anyone there?' }]));
    await eventually(() => kit.graph.readReceipts(wamid).length > 0, 10_000, 'read receipt');
    expect(kit.graph.readReceipts(wamid).map((r) => JSON.stringify(r.body))).not.toContainEqual(
      expect.stringContaining('typing_indicator'),
    );
    const stored = await eventually(() =>
      db().message.findFirst({ where: { metaMessageId: wamid, status: 'handled' } }),
    );
    expect(stored.text).toBe('anyone there?');
    await sleep(300);
    expect(kit.llm.requests.filter((r) => r.lastUser === 'anyone there?')).toHaveLength(0);
    expect(kit.llm.requests.length).toBe(llmCalls);
    expect(sendsTo(bot, user)).toHaveLength(1);
  });

  it('an inbound text equal to a handoff keyword (trimmed, any case) hands over and is not answered', async () => {
    const { kit } = fixture;
    const bot = await kit.createBot({ handoff: { keywords: ['agent', 'Human please'] } });
    const user = newUser();
    await kit.deliver(bot, textWebhook(bot, [{ from: user, text: 'I want an agent' }]));
    await eventually(() => sendsTo(bot, user).length === 1, 10_000, 'reply to a non-keyword');
    await kit.deliver(bot, textWebhook(bot, [{ from: user, text: '  HUMAN please ' }]));
    const conversation = await eventually(() =>
      db().conversation.findFirst({ where: { botId: bot.id, userKey: user, control: 'human' } }),
    );
    expect(conversation.handoffReason).toBe('keyword');
    await turnOver(conversation.id);
    await sleep(200);
    expect(sendsTo(bot, user)).toHaveLength(1);
    expect(kit.llm.requests.filter((r) => r.lastUser.includes('HUMAN'))).toHaveLength(0);
  });

  it('a Business-app echo hands over with reason business_app_reply and is stored as the business’s message', async () => {
    const { kit } = fixture;
    const bot = await kit.createBot();
    const user = newUser();
    await kit.deliver(bot, textWebhook(bot, [{ from: user, text: 'hello' }]));
    await eventually(() => sendsTo(bot, user).length === 1, 10_000, 'bot reply');
    const echo = echoWebhook(bot, user, 'Hi, this is Maria from the shop');
    await kit.deliver(bot, echo);
    await kit.deliver(bot, echo); // a redelivery stores nothing twice
    const conversation = await eventually(() =>
      db().conversation.findFirst({ where: { botId: bot.id, userKey: user, control: 'human' } }),
    );
    expect(conversation.handoffReason).toBe('business_app_reply');
    await sleep(200);
    const echoes = await db().message.findMany({ where: { conversationId: conversation.id, author: 'business_app' } });
    expect(echoes).toHaveLength(1);
    expect(echoes[0]).toMatchObject({ direction: 'outbound', status: 'sent', text: 'Hi, this is Maria from the shop' });
    // The echo did not touch the 24-hour window.
    const before = await db().conversation.findUniqueOrThrow({ where: { id: conversation.id } });
    expect(before.lastInboundAt?.getTime()).toBe(conversation.lastInboundAt?.getTime());
    // Later messages are stored and not answered.
    await kit.deliver(bot, textWebhook(bot, [{ from: user, text: 'thanks Maria' }]));
    await eventually(
      () =>
        db().message.findFirst({ where: { conversationId: conversation.id, text: 'thanks Maria', status: 'handled' } }),
      10_000,
      'stored',
    );
    await sleep(200);
    expect(sendsTo(bot, user)).toHaveLength(1);
  });

  it('an operator message goes through the outbound queue, is sent once and its ticks are tracked', async () => {
    const { kit } = fixture;
    const bot = await kit.createBot();
    const user = newUser();
    await kit.deliver(bot, textWebhook(bot, [{ from: user, text: 'hi' }]));
    await eventually(() => sendsTo(bot, user).length === 1, 10_000, 'bot reply');
    const conversation = await conversationOf(bot, user);
    await conversations().handOff(conversation.id, { reason: 'operator_message', resumeAt: null });
    const message = await conversations().createOperatorMessage({
      botId: bot.id,
      conversationId: conversation.id,
      text: 'Hello from the team',
      userId: 'user-ops-1',
    });
    const job = { botId: bot.id, conversationId: conversation.id, messageId: message.id };
    await kit.outbound.add('send-message', job, { jobId: message.id });
    const sent = await eventually(
      () => sendsTo(bot, user).find((r) => JSON.stringify(r.body).includes('the team')),
      10_000,
      'operator message sent',
    ).catch((error: unknown) => {
      // What the workers said about it (warnings and errors), to tell a failed send from a slow one.
      const said = kit.logs.entries().filter((e) => typeof e.level === 'number' && e.level >= 40);
      console.info(said.slice(-10).map((e) => JSON.stringify(e)));
      throw error;
    });
    const wamid = sent.messageId;
    if (!wamid) throw new Error('the simulator answered without a message id');
    // Meta's statuses follow its answer; the send is recorded a moment after the simulator saw it.
    await eventually(() => db().message.findFirst({ where: { id: message.id, metaMessageId: wamid } }));
    await kit.deliver(bot, statusWebhook(bot, [{ id: wamid, status: 'delivered', recipient: user }]));
    await kit.deliver(bot, statusWebhook(bot, [{ id: wamid, status: 'read', recipient: user }]));
    const read = await eventually(() => db().message.findFirst({ where: { id: message.id, status: 'read' } }));
    expect(read).toMatchObject({ author: 'operator', authorUserId: 'user-ops-1', metaMessageId: wamid });
    expect(read.deliveredAt).not.toBeNull();
    // A second job for the same row sends nothing again.
    await kit.outbound.add('send-message', job, { jobId: `${message.id}-again` });
    await sleep(300);
    expect(sendsTo(bot, user).filter((r) => JSON.stringify(r.body).includes('the team'))).toHaveLength(1);
  });

  it('auto-resume fires once with 2 workers, sends the notice once, and the bot then sees the team’s messages', async () => {
    const { kit } = fixture;
    const notice = 'The assistant is back. Ask me anything!';
    const bot = await kit.createBot({ handoff: { keywords: [], auto_resume_after_s: 1, notice } });
    const user = newUser();
    await kit.deliver(bot, textWebhook(bot, [{ from: user, text: 'hello bot' }]));
    await eventually(() => sendsTo(bot, user).length === 1, 10_000, 'bot reply');
    const conversation = await conversationOf(bot, user);
    // An operator message (as the admin API stores it), then its delayed resume job, scheduled twice.
    const resumeAt = new Date(Date.now() + 1_000);
    await conversations().handOff(conversation.id, { reason: 'operator_message', resumeAt });
    const message = await conversations().createOperatorMessage({
      botId: bot.id,
      conversationId: conversation.id,
      text: 'Your order ships today',
      userId: 'user-ops-2',
    });
    await kit.outbound.add(
      'send-message',
      { botId: bot.id, conversationId: conversation.id, messageId: message.id },
      { jobId: message.id },
    );
    const job = { botId: bot.id, conversationId: conversation.id, resumeAt: resumeAt.getTime() };
    // The same resume scheduled twice under different ids (the durable guard is the conditional UPDATE).
    await kit.outbound.add('resume-conversation', job, { jobId: `resume-a-${message.id}`, delay: 1_000 });
    await kit.outbound.add('resume-conversation', job, { jobId: `resume-b-${message.id}`, delay: 1_000 });
    await eventually(
      () => db().conversation.findFirst({ where: { id: conversation.id, control: 'bot' } }),
      10_000,
      'resumed',
    );
    await eventually(() => sendsTo(bot, user).some((r) => JSON.stringify(r.body).includes('assistant is back')));
    await sleep(500);
    expect(sendsTo(bot, user).filter((r) => JSON.stringify(r.body).includes('assistant is back'))).toHaveLength(1);
    expect(await db().message.count({ where: { conversationId: conversation.id, text: notice } })).toBe(1);
    // The bot answers again, and its history shows the operator's message as the team's.
    await kit.deliver(bot, textWebhook(bot, [{ from: user, text: 'when does it arrive?' }]));
    await eventually(() => kit.llm.requests.find((r) => r.lastUser === 'when does it arrive?'), 10_000, 'engine call');
    const request = kit.llm.requests.find((r) => r.lastUser === 'when does it arrive?');
    expect(request?.messages.some((m) => m.content === `${TEAM_MARK}Your order ships today`)).toBe(true);
  });

  it('a resume job that fails after resuming (its notice send dropped) is retried and sends the notice once', async () => {
    const { kit } = fixture;
    const notice = 'Back again after a hiccup';
    const bot = await kit.createBot({ handoff: { keywords: [], auto_resume_after_s: 1, notice } });
    const user = newUser();
    await kit.deliver(bot, textWebhook(bot, [{ from: user, text: 'hello' }]));
    await eventually(() => sendsTo(bot, user).length === 1, 10_000, 'bot reply');
    const conversation = await conversationOf(bot, user);
    const resumeAt = new Date(Date.now() + 300);
    await conversations().handOff(conversation.id, { reason: 'operator', resumeAt });
    // Every Graph attempt of the job's first run loses its connection (1 + GRAPH_SEND_RETRIES).
    const drops = kit.config.GRAPH_SEND_RETRIES + 1;
    kit.graph.injectFault({ kind: 'drop_connection', times: drops, match: { to: user } });
    const job = { botId: bot.id, conversationId: conversation.id, resumeAt: resumeAt.getTime() };
    await kit.outbound.add('resume-conversation', job, { jobId: `resume-drop-${conversation.id}`, delay: 300 });
    await eventually(() => sendsTo(bot, user).some((r) => JSON.stringify(r.body).includes('hiccup')), 15_000, 'notice');
    await sleep(500);
    const attempts = kit.graph.requests.filter((r) => r.to === user && JSON.stringify(r.body).includes('hiccup'));
    expect(attempts.filter((r) => r.fault === 'drop_connection')).toHaveLength(drops);
    expect(sendsTo(bot, user).filter((r) => JSON.stringify(r.body).includes('hiccup'))).toHaveLength(1);
    expect(await db().message.count({ where: { conversationId: conversation.id, text: notice } })).toBe(1);
    expect((await db().conversation.findUniqueOrThrow({ where: { id: conversation.id } })).control).toBe('bot');
  });
});
