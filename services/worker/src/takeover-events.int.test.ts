import { setTimeout as sleep } from 'node:timers/promises';
import type { LiveEvent } from '@wabot/contracts';
import { createConversationRepository } from '@wabot/db';
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

// The worker's side of human takeover beyond the race (takeover.int.test.ts): what it writes to
// the workspace's live event stream, the waiting-handoff alert and the sweep for lost resume jobs
// (two workers sweeping), coexistence history imported as an archive, and Business-app edits and
// deletions.

const fixture = useWorkerKit({ workers: 2, config: { TAKEOVER_SWEEP_MS: '100', RESUME_SWEEP_GRACE_MS: '300' } });
const db = () => fixture.database.current.db;
let userCounter = 0;
const newUser = () => `1556${String(Date.now()).slice(-5)}${String(++userCounter).padStart(3, '0')}`;

const workspaceOf = async (bot: TestBot) => (await db().bot.findUniqueOrThrow({ where: { id: bot.id } })).workspaceId;
/** Every event of the workspace's stream so far (those of `conversationId` only, when given). */
async function streamed(bot: TestBot, conversationId?: string): Promise<LiveEvent[]> {
  const reader = createLiveEventReader(fixture.kit.redis, fixture.redis.current.prefix);
  const entries = await reader.after(await workspaceOf(bot), '0-0', 10_000);
  return entries.map((e) => e.event).filter((e) => !conversationId || e.conversation_id === conversationId);
}
const conversationOf = (bot: TestBot, userKey: string) =>
  eventually(
    () => db().conversation.findFirst({ where: { botId: bot.id, userKey } }),
    10_000,
    `conversation ${userKey}`,
  );

const summary = (events: LiveEvent[]) =>
  events.map((e) => {
    if (e.type === 'message.status') return `${e.type}:${e.status}`;
    if (e.type === 'conversation.control') return `${e.type}:${e.control}:${e.by}`;
    return e.type;
  });

/** A coexistence webhook of `field` with `value` for the bot's number. */
function coexistenceWebhook(bot: TestBot, field: string, value: Record<string, unknown>) {
  const business = businessOf(bot);
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: business.wabaId,
        changes: [
          {
            field,
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: business.displayPhoneNumber, phone_number_id: bot.phoneNumberId },
              ...value,
            },
          },
        ],
      },
    ],
  };
}

describe('takeover: live events, sweeps, history and edits with 2 workers', () => {
  it('publishes the inbound message, the reply part, its sent and delivered statuses, once each', async () => {
    const { kit } = fixture;
    const bot = await kit.createBot();
    const user = newUser();
    await kit.deliver(bot, textWebhook(bot, [{ from: user, text: 'hello events' }]));
    const conversation = await conversationOf(bot, user);
    await eventually(
      async () => (await streamed(bot, conversation.id)).some((e) => e.type === 'message.status'),
      10_000,
      'sent status',
    );
    const part = await db().message.findFirstOrThrow({
      where: { conversationId: conversation.id, direction: 'outbound' },
    });
    const inbound = await db().message.findFirstOrThrow({
      where: { conversationId: conversation.id, direction: 'inbound' },
    });
    await kit.deliver(
      bot,
      statusWebhook(bot, [{ id: part.metaMessageId ?? '', status: 'delivered', recipient: user }]),
    );
    // A redelivered status moves nothing: no second event.
    await kit.deliver(
      bot,
      statusWebhook(bot, [{ id: part.metaMessageId ?? '', status: 'delivered', recipient: user }]),
    );
    await eventually(
      async () => (await streamed(bot, conversation.id)).filter((e) => e.type === 'message.status').length >= 2,
      10_000,
      'delivered status',
    );
    await sleep(300);
    const events = await streamed(bot, conversation.id);
    expect(summary(events)).toEqual([
      'message.created',
      'message.created',
      'message.status:sent',
      'message.status:delivered',
    ]);
    expect(events.map((e) => ('message_id' in e ? e.message_id : null))).toEqual([
      inbound.id,
      part.id,
      part.id,
      part.id,
    ]);
    expect(events[2]).toMatchObject({
      wamid: part.metaMessageId,
      bot_id: bot.id,
      workspace_id: await workspaceOf(bot),
    });
  });

  it('a handoff keyword publishes conversation.control by keyword', async () => {
    const { kit } = fixture;
    const bot = await kit.createBot({ handoff: { keywords: ['agent'], auto_resume_after_s: null, notice: null } });
    const user = newUser();
    await kit.deliver(bot, textWebhook(bot, [{ from: user, text: ' AGENT ' }]));
    const conversation = await conversationOf(bot, user);
    await eventually(
      async () => (await streamed(bot, conversation.id)).some((e) => e.type === 'conversation.control'),
      10_000,
      'control event',
    );
    const control = (await streamed(bot, conversation.id)).find((e) => e.type === 'conversation.control');
    expect(control).toMatchObject({ control: 'human', handoff_reason: 'keyword', by: 'keyword', assignee: null });
  });

  it('an unassigned handoff past its bot threshold raises handoff.waiting once (2 workers sweeping), again only for a new handoff', async () => {
    const { kit } = fixture;
    const bot = await kit.createBot({ handoff: { unassigned_alert_after_s: 1 } });
    const quiet = await kit.createBot();
    const user = newUser();
    await kit.deliver(bot, textWebhook(bot, [{ from: user, text: 'hi' }]));
    await kit.deliver(quiet, textWebhook(quiet, [{ from: user, text: 'hi' }]));
    const conversation = await conversationOf(bot, user);
    const other = await conversationOf(quiet, user);
    const repo = createConversationRepository(db());
    const handedOff = await repo.handOff(conversation.id, { reason: 'test', resumeAt: null });
    await repo.handOff(other.id, { reason: 'test', resumeAt: null });
    const waiting = async () => (await streamed(bot, conversation.id)).filter((e) => e.type === 'handoff.waiting');
    await eventually(async () => (await waiting()).length > 0, 10_000, 'handoff.waiting');
    // Many sweeps of both workers later: still once.
    await sleep(800);
    const [alert, ...more] = await waiting();
    expect(more).toEqual([]);
    expect(alert).toMatchObject({ threshold_s: 1, since: handedOff.handedOffAt?.toISOString() });
    expect(alert && 'age_s' in alert ? alert.age_s : 0).toBeGreaterThanOrEqual(1);
    // A bot without a threshold never alerts.
    expect((await streamed(quiet, other.id)).filter((e) => e.type === 'handoff.waiting')).toEqual([]);
    // A new handoff (after a resume), assigned: no alert while someone has it.
    await repo.resume(conversation.id);
    await repo.handOff(conversation.id, { reason: 'again', assignee: 'alice', resumeAt: null });
    await sleep(1_500);
    expect(await waiting()).toHaveLength(1);
    // Unassigned, and older than the threshold: this handoff alerts, once.
    await repo.handOff(conversation.id, { reason: 'again', assignee: null, resumeAt: null });
    await eventually(async () => (await waiting()).length === 2, 10_000, 'second alert');
    await sleep(800);
    expect(await waiting()).toHaveLength(2);
    expect(
      (await db().conversation.findUniqueOrThrow({ where: { id: conversation.id } })).waitingAlertFor,
    ).not.toBeNull();
  });

  it('a conversation past its resume_at without a job (lost with Redis) is resumed once by the sweep, with one notice', async () => {
    const { kit } = fixture;
    const notice = 'The bot is back.';
    const bot = await kit.createBot({ handoff: { keywords: [], auto_resume_after_s: 60, notice } });
    const user = newUser();
    await kit.deliver(bot, textWebhook(bot, [{ from: user, text: 'hi' }]));
    const conversation = await conversationOf(bot, user);
    await eventually(
      async () => kit.graph.sentMessages({ phoneNumberId: bot.phoneNumberId }).length === 1,
      10_000,
      'first reply',
    );
    // Handed over with a resume time already past, and no job in Redis.
    await db().conversation.update({
      where: { id: conversation.id },
      data: { control: 'human', handedOffAt: new Date(), resumeAt: new Date(Date.now() - 1_000) },
    });
    await eventually(
      async () => (await db().conversation.findUniqueOrThrow({ where: { id: conversation.id } })).control === 'bot',
      10_000,
      'resumed by the sweep',
    );
    await eventually(
      () => kit.graph.sentTexts({ phoneNumberId: bot.phoneNumberId, to: user }).includes(notice),
      10_000,
      'notice',
    );
    await sleep(800);
    expect(
      kit.graph.sentTexts({ phoneNumberId: bot.phoneNumberId, to: user }).filter((t) => t === notice),
    ).toHaveLength(1);
    const controls = (await streamed(bot, conversation.id)).filter((e) => e.type === 'conversation.control');
    expect(summary(controls)).toEqual(['conversation.control:bot:auto_resume']);
    expect(await db().conversation.findUniqueOrThrow({ where: { id: conversation.id } })).toMatchObject({
      control: 'bot',
      resumeAt: null,
    });
  });

  it('imports coexistence history as an archive: stored once, never answered nor receipted, the window untouched', async () => {
    const { kit } = fixture;
    const bot = await kit.createBot();
    const user = newUser();
    const business = businessOf(bot).displayPhoneNumber;
    const [asked, answered, photo] = [newWamid(), newWamid(), newWamid()];
    const old = Math.floor(Date.now() / 1000) - 40 * 24 * 3600;
    const history = coexistenceWebhook(bot, 'history', {
      history: [
        {
          metadata: { phase: 1, chunk_order: 1, progress: 100 },
          threads: [
            {
              id: user,
              context: { wa_id: user },
              messages: [
                {
                  from: user,
                  id: asked,
                  timestamp: String(old),
                  type: 'text',
                  text: { body: 'Do you deliver?' },
                  history_context: { status: 'READ' },
                },
                {
                  from: business,
                  to: user,
                  id: answered,
                  timestamp: String(old + 60),
                  type: 'text',
                  text: { body: 'We do!' },
                  history_context: { status: 'DELIVERED' },
                },
                {
                  from: user,
                  id: photo,
                  timestamp: String(old + 120),
                  type: 'media_placeholder',
                  history_context: { status: 'READ' },
                },
              ],
            },
          ],
        },
      ],
    });
    // The media of the placeholder, in a second history webhook carrying `messages[]`: not live traffic.
    const media = coexistenceWebhook(bot, 'history', {
      contacts: [{ wa_id: user, profile: { name: 'Ana' } }],
      messages: [
        {
          from: user,
          id: photo,
          timestamp: String(old + 120),
          type: 'image',
          image: { id: '1038', mime_type: 'image/jpeg', caption: 'This address?' },
        },
      ],
    });
    await kit.deliver(bot, history);
    await kit.deliver(bot, history);
    await kit.deliver(bot, media);
    await kit.deliver(bot, media);
    const conversation = await conversationOf(bot, user);
    await eventually(
      async () => (await db().message.count({ where: { conversationId: conversation.id, type: 'image' } })) === 1,
      10_000,
      'media filled in',
    );
    await sleep(500);
    const rows = await db().message.findMany({
      where: { conversationId: conversation.id },
      orderBy: { createdAt: 'asc' },
    });
    expect(rows.map((r) => [r.metaMessageId, r.direction, r.author, r.status, r.type, r.text])).toEqual([
      [asked, 'inbound', 'user', 'handled', 'text', 'Do you deliver?'],
      [answered, 'outbound', 'business_app', 'delivered', 'text', 'We do!'],
      [photo, 'inbound', 'user', 'handled', 'image', 'This address?\n[Image]'],
    ]);
    expect(rows.every((r) => r.importedAt !== null)).toBe(true);
    expect(rows[0]?.createdAt).toEqual(new Date(old * 1000));
    // Never answered, never receipted; no window opened.
    expect(kit.graph.requests.filter((r) => r.phoneNumberId === bot.phoneNumberId)).toEqual([]);
    expect(kit.llm.requests.filter((r) => r.lastUser.includes('Do you deliver?'))).toEqual([]);
    const stored = await db().conversation.findUniqueOrThrow({ where: { id: conversation.id } });
    expect(stored.lastInboundAt).toBeNull();
    expect(stored.control).toBe('bot');
    // A live message afterwards is answered as usual, with the imported chat as its history.
    await kit.deliver(bot, textWebhook(bot, [{ from: user, text: 'still delivering?' }]));
    await eventually(
      () => kit.graph.sentTexts({ phoneNumberId: bot.phoneNumberId, to: user }).length === 1,
      10_000,
      'live reply',
    );
  });

  it('stores a Business-app edit or deletion on the message it changes, without a new message or a second handoff', async () => {
    const { kit } = fixture;
    const bot = await kit.createBot();
    const user = newUser();
    const business = businessOf(bot).displayPhoneNumber;
    const original = newWamid();
    const echo = (message: Record<string, unknown>) =>
      coexistenceWebhook(bot, 'smb_message_echoes', {
        message_echoes: [{ from: business, to: user, timestamp: String(Math.floor(Date.now() / 1000)), ...message }],
      });
    await kit.deliver(bot, echo({ id: original, type: 'text', text: { body: 'Open Sunday 10-14' } }));
    const conversation = await conversationOf(bot, user);
    await eventually(
      async () => (await db().message.count({ where: { metaMessageId: original } })) === 1,
      10_000,
      'echo',
    );
    await kit.deliver(
      bot,
      echo({
        id: newWamid(),
        type: 'edit',
        edit: {
          original_message_id: original,
          message: { context: { id: 'M0' }, type: 'text', text: { body: 'Open Sunday 10-16' } },
        },
      }),
    );
    await eventually(
      async () => (await db().message.findFirstOrThrow({ where: { metaMessageId: original } })).editedAt !== null,
      10_000,
      'edit stored',
    );
    const edited = await db().message.findFirstOrThrow({ where: { metaMessageId: original } });
    expect(edited.text).toBe('Open Sunday 10-16');
    await kit.deliver(bot, echo({ id: newWamid(), type: 'revoke', revoke: { original_message_id: original } }));
    // An edit of a message nobody stored changes nothing.
    await kit.deliver(bot, echo({ id: newWamid(), type: 'revoke', revoke: { original_message_id: newWamid() } }));
    await eventually(
      async () => (await db().message.findFirstOrThrow({ where: { metaMessageId: original } })).revokedAt !== null,
      10_000,
      'revoke stored',
    );
    expect(await db().message.count({ where: { conversationId: conversation.id } })).toBe(1);
    const events = await streamed(bot, conversation.id);
    expect(summary(events)).toEqual([
      'message.created',
      'conversation.control:human:business_app',
      'message.updated',
      'message.updated',
    ]);
  });

  it('the engine’s handoff action publishes conversation.control by bot, and the parts after it as not sent', async () => {
    const { kit } = fixture;
    const bot = await kit.createBot();
    const user = newUser();
    kit.llm.script(
      { toolCalls: [{ name: 'handoff', args: { reason: 'asked for a person', summary: 'Wants staff.' } }] },
      { text: 'Someone will be with you shortly.' },
    );
    await kit.deliver(bot, textWebhook(bot, [{ from: user, text: 'a person please' }]));
    const conversation = await conversationOf(bot, user);
    await eventually(
      async () => (await streamed(bot, conversation.id)).some((e) => e.type === 'conversation.control'),
      10_000,
      'control event',
    );
    const control = (await streamed(bot, conversation.id)).find((e) => e.type === 'conversation.control');
    expect(control).toMatchObject({ control: 'human', handoff_reason: 'asked for a person', by: 'bot' });
  });

  it('a handoff while the engine generates a slow reply aborts the call within a poll: nothing stored, nothing sent', async () => {
    const { kit } = fixture;
    const bot = await kit.createBot();
    const user = newUser();
    kit.llm.delayNext(1, 10_000);
    await kit.deliver(bot, textWebhook(bot, [{ from: user, text: 'think slowly' }]));
    const conversation = await conversationOf(bot, user);
    await eventually(
      () => kit.llm.requests.find((r) => r.lastUser === 'think slowly'),
      10_000,
      'engine call in flight',
    );
    await createConversationRepository(db()).handOff(conversation.id, { reason: 'operator', resumeAt: null });
    const committed = Date.now();
    const inbound = await eventually(
      () =>
        db().message.findFirst({ where: { conversationId: conversation.id, direction: 'inbound', status: 'handled' } }),
      5_000,
      'turn over',
    );
    // HANDOFF_POLL_MS (500 ms) and the abort, far from the engine's 10 s.
    expect((inbound.handledAt?.getTime() ?? 0) - committed).toBeLessThan(2_000);
    expect(await db().message.count({ where: { conversationId: conversation.id, direction: 'outbound' } })).toBe(0);
    await sleep(300);
    expect(kit.graph.sentMessages({ phoneNumberId: bot.phoneNumberId })).toEqual([]);
  });
});
