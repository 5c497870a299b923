import {
  buildInboundMessage,
  buildStatus,
  buildWebhookBody,
  createSimUser,
  type RecordedGraphRequest,
  type SimUser,
} from '@wabot/meta-simulator';
import { useTestDatabase, useTestRedis } from '@wabot/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotEngine, EngineReply, EngineRequest } from './engine/bot-engine.js';
import {
  businessOf,
  createWorkerKitOn,
  eventually,
  newWamid,
  type TestBot,
  type WorkerKit,
} from './testing/worker.test-kit.js';

// WhatsApp actions end to end through the worker (docs/contract.md, Bot engine): an engine whose
// reply mixes text and actions → the simulated Graph API receives them in order, validated as Meta
// validates them → statuses tracked → the user's tap comes back as the next message the engine
// sees; a handoff part hands the conversation over and suppresses the bot's later parts.

/** A scripted engine (the outside world: an LLM) keyed on the turn's last message; it records what it saw. */
function createScriptedEngine() {
  const requests: EngineRequest[] = [];
  const reply = (last: string): EngineReply['parts'] => {
    switch (last) {
      case 'menu':
        return [
          { type: 'text', text: 'Here is what we have today.' },
          {
            type: 'action',
            action: {
              kind: 'buttons',
              body: 'What would you like?',
              buttons: [
                { id: 'tea', title: 'Tea' },
                { id: 'coffee', title: 'Coffee' },
              ],
            },
          },
        ];
      case 'agent':
        return [
          { type: 'text', text: 'Let me get a colleague.' },
          {
            type: 'action',
            action: { kind: 'handoff', reason: 'asked for a person', summary: 'Wants to talk to staff.' },
          },
          { type: 'text', text: 'This must never be sent.' },
        ];
      case 'thanks':
        return [
          { type: 'action', action: { kind: 'reaction', emoji: '👍' } },
          { type: 'action', action: { kind: 'location_request', body: 'Where should we deliver?' } },
        ];
      case 'over limit':
        // Not fitted (an engine bug): the worker checks the limits again and never sends it.
        return [
          { type: 'action', action: { kind: 'buttons', body: 'Pick', buttons: [{ id: 'a', title: 'x'.repeat(21) }] } },
          { type: 'text', text: 'never sent after the failure' },
        ];
      case 'duplicates':
        // Within the schema's limits but refused by Meta (titles must be unique): 131009.
        return [
          {
            type: 'action',
            action: {
              kind: 'buttons',
              body: 'Pick',
              buttons: [
                { id: 'a', title: 'Same' },
                { id: 'b', title: 'Same' },
              ],
            },
          },
          { type: 'text', text: 'never sent after the refusal' },
        ];
      default:
        return [{ type: 'text', text: `You chose: ${last}` }];
    }
  };
  const engine: BotEngine = {
    name: 'scripted',
    async reply(request) {
      requests.push(request);
      return { parts: reply(request.messages.at(-1) ?? ''), usage: null };
    },
    async close() {},
  };
  return { engine, requests };
}

const database = useTestDatabase();
const redis = useTestRedis();
const scripted = createScriptedEngine();
let kit: WorkerKit;

beforeAll(async () => {
  kit = await createWorkerKitOn(database.current, redis.current);
  await kit.startWorker({}, { engine: scripted.engine });
});
afterAll(() => kit?.close());

const db = () => database.current.db;
const now = () => String(Math.floor(Date.now() / 1000));

/** A user's message as Meta posts it, through the stage-1 queue exactly as the ingress enqueues it. */
async function userSends(
  bot: TestBot,
  user: SimUser,
  content: Parameters<typeof buildInboundMessage>[2],
  replyTo?: string,
) {
  const message = buildInboundMessage(businessOf(bot), user, content, {
    id: newWamid(),
    timestamp: now(),
    ...(replyTo ? { replyTo } : {}),
  });
  await kit.deliver(bot, buildWebhookBody(businessOf(bot), { contacts: [user], messages: [message] }));
  return message.id;
}

const sendsTo = (bot: TestBot, user: SimUser) =>
  kit.graph.sentMessages({ phoneNumberId: bot.phoneNumberId }).filter((r) => r.to === (user.waId ?? user.bsuid));

const outboundOf = (bot: TestBot) =>
  db().message.findMany({
    where: { botId: bot.id, direction: 'outbound' },
    orderBy: [{ createdAt: 'asc' }, { partIndex: 'asc' }],
  });

const bodyOf = (request: RecordedGraphRequest | undefined) => request?.body;

describe('WhatsApp actions through the worker', () => {
  it('sends [text, buttons] in order, tracks their statuses, and the tap comes back to the engine as the next message', async () => {
    const bot = await kit.createBot();
    const user = createSimUser({ name: 'Ana', waId: '15553330001' });
    await userSends(bot, user, { type: 'text', body: 'menu' });
    const [text, buttons] = await kit.graph.waitFor(() => {
      const sent = sendsTo(bot, user);
      return sent.length >= 2 ? sent : null;
    }, 10_000);
    expect(text?.kind).toBe('text');
    expect(buttons?.kind).toBe('interactive');
    expect((text?.seq ?? 0) < (buttons?.seq ?? 0)).toBe(true);
    expect(bodyOf(buttons)).toMatchObject({
      to: '+15553330001',
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: 'What would you like?' },
        action: {
          buttons: [
            { type: 'reply', reply: { id: 'tea', title: 'Tea' } },
            { type: 'reply', reply: { id: 'coffee', title: 'Coffee' } },
          ],
        },
      },
    });

    // Stored as two parts of one plan: the action in metadata, a readable text.
    const parts = await eventually(async () => {
      const rows = await outboundOf(bot);
      return rows.length === 2 && rows.every((r) => r.status === 'sent') ? rows : null;
    }, 10_000);
    expect(parts.map((p) => [p.partIndex, p.type, p.metaMessageId])).toEqual([
      [0, 'text', text?.messageId],
      [1, 'interactive', buttons?.messageId],
    ]);
    expect(parts[1]?.text).toBe('What would you like?\n[Tea] [Coffee]');
    expect(parts[1]?.metadata).toEqual({
      action: {
        kind: 'buttons',
        body: 'What would you like?',
        buttons: [
          { id: 'tea', title: 'Tea' },
          { id: 'coffee', title: 'Coffee' },
        ],
      },
    });

    // Statuses track the interactive message like text.
    const statuses = [text, buttons].flatMap((r) =>
      r?.messageId ? [buildStatus(r.messageId, 'delivered', user.waId ?? '', { timestamp: now() })] : [],
    );
    await kit.deliver(bot, buildWebhookBody(businessOf(bot), { statuses }));
    await eventually(async () => {
      const rows = await outboundOf(bot);
      return rows.every((r) => r.status === 'delivered') ? rows : null;
    }, 10_000);

    // The user taps "Coffee": a button_reply with the interactive message as its context.
    const callsBefore = scripted.requests.length;
    await userSends(
      bot,
      user,
      { type: 'button_reply', id: 'coffee', title: 'Coffee' },
      buttons?.messageId ?? undefined,
    );
    await kit.graph.waitFor(() => sendsTo(bot, user).length >= 3, 10_000);
    expect(bodyOf(sendsTo(bot, user)[2])).toMatchObject({ text: { body: 'You chose: Coffee' } });
    const tapTurn = scripted.requests.slice(callsBefore).find((r) => r.messages.includes('Coffee'));
    expect(tapTurn?.messages).toEqual(['Coffee']);
    // The engine's history shows what the bot sent before the tap, the buttons included.
    expect(tapTurn?.history.map((turn) => turn.content)).toEqual([
      'menu',
      'Here is what we have today.',
      'What would you like?\n[Tea] [Coffee]',
    ]);
  });

  it('a handoff part records reason and summary on the conversation and suppresses the later parts', async () => {
    const bot = await kit.createBot();
    const user = createSimUser({ name: 'Ben', waId: '15553330002' });
    await userSends(bot, user, { type: 'text', body: 'agent' });
    const conversation = await eventually(
      () => db().conversation.findFirst({ where: { botId: bot.id, control: 'human' } }),
      10_000,
      'the conversation handed over',
    );
    expect(conversation).toMatchObject({
      handoffReason: 'asked for a person',
      handoffSummary: 'Wants to talk to staff.',
      handedOffAt: expect.any(Date),
    });
    const inbound = await eventually(
      () => db().message.findFirst({ where: { botId: bot.id, direction: 'inbound', status: 'handled' } }),
      10_000,
    );
    expect(inbound).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sendsTo(bot, user).map((r) => bodyOf(r))).toEqual([
      expect.objectContaining({ type: 'text', text: expect.objectContaining({ body: 'Let me get a colleague.' }) }),
    ]);
    const parts = await outboundOf(bot);
    expect(parts.map((p) => [p.type, p.status, p.errorTitle])).toEqual([
      ['text', 'sent', null],
      ['handoff', 'handled', null],
      ['text', 'failed', 'not_sent'],
    ]);
  });

  it("reacts to the turn's last inbound message and sends the location request after it", async () => {
    const bot = await kit.createBot();
    const user = createSimUser({ name: 'Cem', waId: '15553330003' });
    const inboundId = await userSends(bot, user, { type: 'text', body: 'thanks' });
    const [reaction, request] = await kit.graph.waitFor(() => {
      const sent = sendsTo(bot, user);
      return sent.length >= 2 ? sent : null;
    }, 10_000);
    expect(bodyOf(reaction)).toMatchObject({ type: 'reaction', reaction: { message_id: inboundId, emoji: '👍' } });
    expect(bodyOf(request)).toMatchObject({
      type: 'interactive',
      interactive: { type: 'location_request_message', action: { name: 'send_location' } },
    });
    const parts = await eventually(async () => {
      const rows = await outboundOf(bot);
      return rows.length === 2 && rows.every((r) => r.status === 'sent') ? rows : null;
    }, 10_000);
    expect(parts.map((p) => [p.type, p.text, p.metadata])).toEqual([
      ['reaction', '👍', { action: { kind: 'reaction', emoji: '👍' }, reaction_to: inboundId }],
      [
        'interactive',
        'Where should we deliver?',
        { action: { kind: 'location_request', body: 'Where should we deliver?' } },
      ],
    ]);
  });

  it("records Meta's refusal of an action (131009 with its details) like a text's, and sends nothing after it", async () => {
    const bot = await kit.createBot();
    const user = createSimUser({ name: 'Eve', waId: '15553330005' });
    await userSends(bot, user, { type: 'text', body: 'duplicates' });
    const parts = await eventually(async () => {
      const rows = await outboundOf(bot);
      return rows.length === 2 && rows.every((r) => r.status === 'failed') ? rows : null;
    }, 10_000);
    expect(parts.map((p) => [p.type, p.errorCode, p.errorDetails, p.errorTitle])).toEqual([
      ['interactive', 131009, 'Button titles must be unique', expect.stringContaining('131009')],
      ['text', null, 'part 0 failed', 'not_sent'],
    ]);
    expect(sendsTo(bot, user)).toEqual([]);
  });

  it("never sends an action outside Meta's limits: the part fails as not sendable, with no Graph call", async () => {
    const bot = await kit.createBot();
    const user = createSimUser({ name: 'Fay', waId: '15553330006' });
    await userSends(bot, user, { type: 'text', body: 'over limit' });
    const parts = await eventually(async () => {
      const rows = await outboundOf(bot);
      return rows.length === 2 && rows.every((r) => r.status === 'failed') ? rows : null;
    }, 10_000);
    expect(parts.map((p) => [p.type, p.errorTitle])).toEqual([
      ['interactive', 'not_sendable'],
      ['text', 'not_sent'],
    ]);
    const calls = kit.graph.requests.filter((r) => r.phoneNumberId === bot.phoneNumberId && r.kind === 'interactive');
    expect(calls).toEqual([]);
  });

  it('addresses a user known only by a BSUID with `recipient` (the simulator refuses a BSUID in `to`)', async () => {
    const bot = await kit.createBot();
    const user = createSimUser({ name: 'Dee', waId: null, bsuid: 'US.13491208655302749999' });
    await userSends(bot, user, { type: 'text', body: 'menu' });
    const sent = await kit.graph.waitFor(() => {
      const accepted = sendsTo(bot, user);
      return accepted.length >= 2 ? accepted : null;
    }, 10_000);
    for (const request of sent) {
      expect(request.body).toMatchObject({ recipient: 'US.13491208655302749999' });
      expect(request.body).not.toHaveProperty('to');
    }
    const refused = kit.graph.requests.filter((r) => r.phoneNumberId === bot.phoneNumberId && r.status >= 400);
    expect(refused).toEqual([]);
  });
});
