import { webhookShardOf } from '@wabot/contracts';
import { scanKeys } from '@wabot/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createStage1Faults,
  eventually,
  newWamid,
  textWebhook,
  useWorkerKit,
  type WorkerKit,
} from './testing/worker.test-kit.js';

const faults = createStage1Faults();
const fixture = useWorkerKit({ config: { WORKER_CONCURRENCY: '8' }, workers: 2, wrapDeps: faults.wrapDeps });
const { redis } = fixture;
let kit: WorkerKit;

beforeAll(() => {
  kit = fixture.kit;
});

describe('worker: ordering across a fleet', () => {
  it('answers 30 messages of one user in arrival order (3 users in parallel, 2 workers, concurrency 8)', async () => {
    kit.llm.setLatency(0, 40);
    const bot = await kit.createBot({ rate_limit_per_second: 1000 });
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
    // One answered engine call per message (a loaded machine may time out and retry a call: that
    // one went unanswered and is not a turn).
    const calls = kit.llm.requests.filter((r) => r.messages[0]?.content === bot.systemPrompt && r.status === 200);
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
      const keys = await scanKeys(kit.redis, `${redis.current.prefix}:conv:{${bot.id}:*`);
      return keys.length === 0 ? 'empty' : null;
    });
    expect(inbox).toBe('empty');
  });

  it('keeps arrival order across batched (group-commit) and single webhook jobs', async () => {
    const bot = await kit.createBot({ rate_limit_per_second: 1000 });
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

  it('keeps arrival order when the first attempt of a stage-1 job fails while the next job of its conversation waits', async () => {
    const bot = await kit.createBot({ rate_limit_per_second: 1000 });
    const user = '15551130001';
    const shard = String(webhookShardOf(bot.id, kit.config.WEBHOOK_SHARDS));
    const retriesBefore = await stage1Retries(shard);
    // Stage 1 looks the bot up first: the first job's first attempt fails, jobs 2 and 3 are waiting.
    faults.failLookups(bot.id, 1);
    const texts = ['first', 'second', 'third'];
    await kit.deliverMany(
      bot,
      texts.map((text) => textWebhook(bot, [{ id: newWamid(), from: user, text }])),
    );
    await kit.graph.waitFor(() => kit.graph.sentTexts({ phoneNumberId: bot.phoneNumberId }).length >= 3, 15_000);
    expect(kit.graph.sentTexts({ phoneNumberId: bot.phoneNumberId, to: user })).toEqual(texts.map((t) => `ECHO: ${t}`));
    // It was retried in process (counted, logged), not through BullMQ: nothing failed or waits delayed.
    expect(await stage1Retries(shard)).toBe(retriesBefore + 1);
    const warned = kit.logs
      .entries()
      .filter((e) => String(e.msg).startsWith('stage 1: job failed, retrying') && String(e.shard) === shard);
    expect(warned.length).toBeGreaterThanOrEqual(1);
    expect(await kit.webhookJobCounts('failed', 'delayed')).toEqual({ failed: 0, delayed: 0 });
  });
});

/** `wabot_worker_stage1_retries_total{shard}` summed over the file's runtimes. */
async function stage1Retries(shard: string) {
  let total = 0;
  for (const runtime of fixture.runtimes) {
    const metric = await runtime.deps.metrics.stage1Retries.get();
    total += metric.values.find((v) => v.labels.shard === shard)?.value ?? 0;
  }
  return total;
}
