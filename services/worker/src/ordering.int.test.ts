import { beforeAll, describe, expect, it } from 'vitest';
import { eventually, newWamid, textWebhook, useWorkerKit, type WorkerKit } from './testing/worker.test-kit.js';

const fixture = useWorkerKit({ config: { WORKER_CONCURRENCY: '8' }, workers: 2 });
const { redis } = fixture;
let kit: WorkerKit;

beforeAll(() => {
  kit = fixture.kit;
});

describe('worker: ordering across a fleet', () => {
  it('answers 30 messages of one user in arrival order (3 users in parallel, 2 workers, concurrency 8)', async () => {
    kit.llm.setLatency(0, 40);
    const bot = await kit.createBot({ rateLimitPerSecond: 1000 });
    const users = ['15551110001', '15551110002', '15551110003'];
    const expected = new Map<string, string[]>(users.map((u) => [u, []]));
    const payloads: unknown[] = [];
    for (let i = 0; i < 30; i++) {
      for (const user of users) {
        const text = `msg ${String(i).padStart(2, '0')} from ${user}`;
        expected.get(user)?.push(`ECHO: ${text}`);
        payloads.push(textWebhook(bot, [{ id: newWamid(), from: user, text }]));
      }
    }
    // One webhook per message, as Meta sends them, in one burst: stage-1 jobs race each other.
    await kit.deliverMany(bot, payloads);
    await kit.graph.waitFor(() => kit.graph.sentMessages({ phoneNumberId: bot.phoneNumberId }).length >= 90, 25_000);
    for (const user of users) {
      expect(kit.graph.sentTexts({ phoneNumberId: bot.phoneNumberId, to: user })).toEqual(expected.get(user));
    }
    // Each engine call saw only the earlier messages of its own conversation.
    const calls = kit.llm.requests.filter((r) => r.messages[0]?.content === bot.systemPrompt);
    expect(calls).toHaveLength(90);
    kit.llm.setLatency(0, 0);
  });

  it('keeps a webhook carrying several messages of one user in their order', async () => {
    const bot = await kit.createBot();
    const user = '15551110009';
    const texts = ['one', 'two', 'three', 'four', 'five'];
    await kit.deliver(
      bot,
      textWebhook(
        bot,
        texts.map((text) => ({ from: user, text })),
      ),
    );
    const sent = await kit.graph.waitFor(() => {
      const list = kit.graph.sentTexts({ phoneNumberId: bot.phoneNumberId });
      return list.length >= 5 ? list : null;
    }, 10_000);
    expect(sent).toEqual(texts.map((t) => `ECHO: ${t}`));
    const inbox = await eventually(async () => {
      const keys = await kit.redis.keys(`${redis.current.prefix}:inbox:${bot.id}:*`);
      return keys.length === 0 ? 'empty' : null;
    });
    expect(inbox).toBe('empty');
  });

  it('keeps arrival order across batched (group-commit) and single webhook jobs', async () => {
    const bot = await kit.createBot({ rateLimitPerSecond: 1000 });
    const [a, b] = ['15551120001', '15551120002'];
    const one = (from: string, text: string) => textWebhook(bot, [{ id: newWamid(), from, text }]);
    await kit.deliverBatch(bot, [one(a, 'a1'), one(b, 'b1'), one(a, 'a2')]);
    await kit.deliver(bot, one(a, 'a3'));
    await kit.deliverBatch(bot, [one(b, 'b2'), one(a, 'a4'), one(b, 'b3')]);
    await kit.graph.waitFor(() => kit.graph.sentMessages({ phoneNumberId: bot.phoneNumberId }).length >= 7, 15_000);
    const repliesTo = (user: string) => kit.graph.sentTexts({ phoneNumberId: bot.phoneNumberId, to: user });
    expect(repliesTo(a)).toEqual(['ECHO: a1', 'ECHO: a2', 'ECHO: a3', 'ECHO: a4']);
    expect(repliesTo(b)).toEqual(['ECHO: b1', 'ECHO: b2', 'ECHO: b3']);
  });
});
