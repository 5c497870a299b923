import { setTimeout as sleep } from 'node:timers/promises';
import type { SimulatedRequest } from '@wabot/llm-simulator';
import { sentText } from '@wabot/meta-simulator';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  newWamid,
  type TestBot,
  textWebhook,
  useWorkerKit,
  type WorkerKit,
} from './testing/worker.test-kit.js';

// Turns (docs/contract.md, Turns): a burst of one user's messages is answered by one engine
// call and one reply; a message arriving while the reply is generated supersedes it. Two worker
// runtimes compete for every job, as two processes would.
// A generous LLM timeout: the fake answers at once, but a loaded machine must not turn a stall into
// an engine retry of the same turn.
const fixture = useWorkerKit({
  workers: 2,
  config: { TURN_POLL_MS: '25', TYPING_REFRESH_MS: '200', LLM_TIMEOUT_MS: '5000' },
});
const { database } = fixture;
let kit: WorkerKit;

beforeAll(() => {
  kit = fixture.kit;
});

const turnSettings = (debounceMs: number, maxWaitMs = 5_000) => ({
  turn: { debounce_ms: debounceMs, max_wait_ms: maxWaitMs },
});
const textsTo = (bot: TestBot, user: string) =>
  kit.graph.sentMessages({ phoneNumberId: bot.phoneNumberId, to: user }).map((r) => sentText(r) ?? '');
const engineCalls = (bot: TestBot) => kit.llm.requests.filter((r) => r.messages[0]?.content === bot.systemPrompt);
/**
 * The engine calls that produced an answer. A slow machine can make the engine retry a call that
 * timed out (the LLM then saw the same turn twice, once unanswered): those do not count as turns.
 */
const answeredCalls = (bot: TestBot) => engineCalls(bot).filter((r) => r.status === 200);
/** The user messages after the history: what the engine was asked to answer in that call. */
const turnOf = (request: SimulatedRequest | undefined) => {
  const messages = request?.messages ?? [];
  let start = messages.length;
  while (start > 1 && messages[start - 1]?.role === 'user') start--;
  return messages.slice(start).map((m) => m.content);
};

async function sendBurst(bot: TestBot, user: string, texts: string[], gapMs: number) {
  const ids: string[] = [];
  for (const [i, text] of texts.entries()) {
    if (i > 0) await sleep(gapMs);
    const id = newWamid();
    ids.push(id);
    await kit.deliver(bot, textWebhook(bot, [{ id, from: user, text }]));
  }
  return ids;
}

async function inboundOf(bot: TestBot, user: string, count: number) {
  return eventually(async () => {
    const rows = await database.current.db.message.findMany({
      where: { botId: bot.id, direction: 'inbound', conversation: { userKey: user } },
      orderBy: { createdAt: 'asc' },
    });
    return rows.length === count && rows.every((m) => m.status === 'handled') ? rows : null;
  }, 10_000);
}

describe('turns', () => {
  it('answers a burst with one engine call that sees every message in order, and one reply', async () => {
    // 60 ms apart against a 1.5 s debounce: on a loaded machine stage 1 may lag by hundreds of
    // milliseconds between two messages, which must not split the burst.
    const bot = await kit.createBot(turnSettings(1_500));
    const user = '15551110001';
    const ids = await sendBurst(bot, user, ['hi', 'my order', "hasn't arrived"], 60);
    await kit.graph.waitFor(() => textsTo(bot, user).length > 0, 10_000);
    await sleep(600);
    expect(textsTo(bot, user)).toEqual(["ECHO: hasn't arrived"]);
    expect(answeredCalls(bot)).toHaveLength(1);
    expect(turnOf(answeredCalls(bot)[0])).toEqual(['hi', 'my order', "hasn't arrived"]);
    // Every message of the turn got its read receipt, once, and before the reply.
    const reply = kit.graph.sentMessages({ phoneNumberId: bot.phoneNumberId, to: user })[0];
    for (const id of ids) {
      const receipts = kit.graph.readReceipts(id);
      expect(receipts).toHaveLength(1);
      expect(receipts[0]?.seq).toBeLessThan(reply?.seq ?? 0);
    }
    // The plan answers the turn's last message; every message of the turn is tagged with it.
    const rows = await inboundOf(bot, user, 3);
    const last = rows.at(-1);
    expect(rows.map((m) => m.turnId)).toEqual([last?.id, last?.id, last?.id]);
    const outbound = await database.current.db.message.findMany({ where: { botId: bot.id, direction: 'outbound' } });
    expect(outbound).toHaveLength(1);
    expect(outbound[0]).toMatchObject({ replyToId: last?.id, status: 'sent' });
  });

  it('closes a turn max_wait_ms after its first message even while messages keep coming', async () => {
    const bot = await kit.createBot(turnSettings(400, 700));
    const user = '15551110002';
    // 8 messages 150 ms apart: never a 400 ms pause, so only max_wait_ms ends a turn.
    await sendBurst(bot, user, ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8'], 150);
    const rows = await inboundOf(bot, user, 8);
    // The turns as stored: consecutive runs of messages tagged with the same turn.
    const turns: string[][] = [];
    rows.forEach((row, i) => {
      if (i === 0 || row.turnId !== rows[i - 1]?.turnId) turns.push([]);
      turns.at(-1)?.push(row.text);
    });
    expect(turns.length).toBeGreaterThanOrEqual(2);
    expect(turns.flat()).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8']);
    // Each turn is tagged with its last message, and got one reply.
    for (const [i, row] of rows.entries()) {
      const last = rows.filter((other) => other.turnId === row.turnId).at(-1);
      expect(row.turnId, `m${i + 1}`).toBe(last?.id);
    }
    expect(textsTo(bot, user)).toEqual(turns.map((turn) => `ECHO: ${turn.at(-1)}`));
  });

  it('a message arriving while the reply is generated supersedes it: the stale reply is never sent', async () => {
    const bot = await kit.createBot(turnSettings(100));
    const user = '15551110003';
    kit.llm.delayNext(1, 1_500);
    await sendBurst(bot, user, ['what are your hours'], 0);
    await eventually(async () => (engineCalls(bot).length === 1 ? true : null), 5_000);
    await sendBurst(bot, user, ['and on sundays?'], 0);
    await inboundOf(bot, user, 2);
    expect(textsTo(bot, user)).toEqual(['ECHO: and on sundays?']);
    // The first call was abandoned (the client went away), one call answered both messages.
    expect(engineCalls(bot)[0]?.status).toBe(0);
    expect(answeredCalls(bot).map(turnOf)).toEqual([['what are your hours', 'and on sundays?']]);
  });

  it('once a part of the reply was sent, the rest goes out and a new message starts the next turn', async () => {
    const bot = await kit.createBot(turnSettings(100));
    const user = '15551110006';
    // A reply of two parts, each send slowed down so the next message lands between them.
    kit.graph.injectFault({
      kind: 'latency',
      latencyMs: 500,
      match: { phoneNumberId: bot.phoneNumberId, kind: 'text' },
    });
    const long = `${'word '.repeat(1000)}end`;
    await sendBurst(bot, user, [long], 0);
    await kit.graph.waitFor(() => textsTo(bot, user).length === 1, 10_000);
    await sendBurst(bot, user, ['next question'], 0);
    await inboundOf(bot, user, 2);
    kit.graph.clearFaults();
    const texts = textsTo(bot, user);
    expect(texts).toHaveLength(3);
    expect(`${texts[0]} ${texts[1]}`.replace(/\s+/g, ' ')).toBe(`ECHO: ${long}`.replace(/\s+/g, ' '));
    expect(texts[2]).toBe('ECHO: next question');
    expect(answeredCalls(bot).map(turnOf)).toEqual([[long], ['next question']]);
  });

  it('bursts of many users across 2 workers: one reply per burst, nothing skipped', async () => {
    const bot = await kit.createBot(turnSettings(300));
    const users = ['15551110101', '15551110102', '15551110103', '15551110104', '15551110105'];
    await Promise.all(users.map((user) => sendBurst(bot, user, [`${user} a`, `${user} b`, `${user} c`], 40)));
    for (const user of users) await inboundOf(bot, user, 3);
    for (const user of users) expect(textsTo(bot, user)).toEqual([`ECHO: ${user} c`]);
    expect(answeredCalls(bot).map(turnOf).sort()).toEqual(users.map((u) => [`${u} a`, `${u} b`, `${u} c`]).sort());
  });

  it('keeps the typing indicator alive while the turn waits and while the engine generates', async () => {
    const bot = await kit.createBot({ ...turnSettings(700), typing_indicator: true });
    const user = '15551110005';
    kit.llm.delayNext(1, 700);
    const [id] = await sendBurst(bot, user, ['slow question'], 0);
    await inboundOf(bot, user, 1);
    const typing = kit.graph.readReceipts(id).filter((r) => JSON.stringify(r.body).includes('typing_indicator'));
    // Wait 700 ms + generate 700 ms with a 200 ms refresh: the indicator was re-sent several times.
    expect(typing.length).toBeGreaterThanOrEqual(4);
    const reply = kit.graph.sentMessages({ phoneNumberId: bot.phoneNumberId, to: user })[0];
    expect(typing.every((r) => r.seq < (reply?.seq ?? 0))).toBe(true);
  });

  it('debounce 0 (the default) answers every message on its own, as before turns existed', async () => {
    const bot = await kit.createBot();
    const user = '15551110004';
    await sendBurst(bot, user, ['one', 'two', 'three'], 0);
    await inboundOf(bot, user, 3);
    await kit.graph.waitFor(() => textsTo(bot, user).length === 3, 10_000);
    expect(textsTo(bot, user)).toEqual(['ECHO: one', 'ECHO: two', 'ECHO: three']);
    expect(answeredCalls(bot).map(turnOf)).toEqual([['one'], ['two'], ['three']]);
  });
});
