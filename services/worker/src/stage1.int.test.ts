import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { webhookShardOf } from '@wabot/contracts';
import { Queue } from 'bullmq';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createStage1Faults,
  eventually,
  newWamid,
  statusWebhook,
  type TestBot,
  textWebhook,
  useWorkerKit,
  type WorkerKit,
} from './testing/worker.test-kit.js';

// Stage 1 (webhook shards): a failing job is retried in process and delays only its own shard,
// is visible (metric, warnings) and, after its budget, fails for good so the shard moves on; a
// worker shutting down mid-retry hands the job back to the head of its shard.

const BUDGET_MS = 6_000;
const faults = createStage1Faults();
const fixture = useWorkerKit({
  config: { STAGE1_RETRY_BUDGET_MS: String(BUDGET_MS) },
  workers: 2,
  wrapDeps: faults.wrapDeps,
});
const { redis } = fixture;
let kit: WorkerKit;

beforeAll(() => {
  kit = fixture.kit;
});

const shardOf = (bot: { id: string }) => webhookShardOf(bot.id, kit.config.WEBHOOK_SHARDS);

/** A bot whose shard passes `accept` (ids are hashed, so draw ids until one does). */
async function botWhere(accept: (shard: number) => boolean): Promise<TestBot> {
  for (;;) {
    const id = `bt_s1${randomBytes(6).toString('hex')}`;
    if (accept(webhookShardOf(id, kit.config.WEBHOOK_SHARDS)))
      return kit.createBot({ rate_limit_per_second: 1000 }, { id });
  }
}

let userSeq = 0;
const newUser = () => `1555777${String(++userSeq).padStart(4, '0')}`;

/**
 * Three messages of one new user per bot, one webhook each (a burst), answered: milliseconds from
 * the first enqueue to the last reply.
 */
async function threeMessagesEach(bots: TestBot[]): Promise<number> {
  const users = bots.map(() => newUser());
  const started = performance.now();
  await Promise.all(
    bots.map((bot, i) =>
      kit.deliverMany(
        bot,
        [1, 2, 3].map((n) => textWebhook(bot, [{ id: newWamid(), from: users[i] ?? '', text: `m${n}` }])),
      ),
    ),
  );
  await kit.graph.waitFor(
    () => bots.every((bot, i) => kit.graph.sentTexts({ phoneNumberId: bot.phoneNumberId, to: users[i] }).length >= 3),
    15_000,
  );
  const elapsed = performance.now() - started;
  bots.forEach((bot, i) => {
    expect(kit.graph.sentTexts({ phoneNumberId: bot.phoneNumberId, to: users[i] })).toEqual([
      'ECHO: m1',
      'ECHO: m2',
      'ECHO: m3',
    ]);
  });
  return elapsed;
}

/** `wabot_worker_stage1_retries_total{shard}` summed over the file's runtimes. */
async function retriesOf(shard: number) {
  let total = 0;
  for (const runtime of fixture.runtimes) {
    const metric = await runtime.deps.metrics.stage1Retries.get();
    total += metric.values.find((v) => v.labels.shard === String(shard))?.value ?? 0;
  }
  return total;
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

describe('stage 1: a stuck shard', () => {
  it('delays only its own shard, shows in metrics and logs, and after its budget is a dead letter and the shard moves on', async () => {
    const stuck = await botWhere(() => true);
    const others = [await botWhere((s) => s !== shardOf(stuck)), await botWhere((s) => s !== shardOf(stuck))];
    // Warm up (bot caches, connections), then the baseline: nothing stuck.
    await threeMessagesEach(others);
    const baseline = [await threeMessagesEach(others), await threeMessagesEach(others)];

    // A poison webhook: its status update always fails. A message of the same bot waits behind it.
    const poison = newWamid();
    faults.failStatus(poison);
    const stuckUser = newUser();
    const stuckAt = performance.now();
    await kit.deliver(stuck, statusWebhook(stuck, [{ id: poison, status: 'delivered', recipient: stuckUser }]));
    await kit.deliver(stuck, textWebhook(stuck, [{ id: newWamid(), from: stuckUser, text: 'behind the poison' }]));
    const injected = faults.injected;
    await eventually(() => faults.injected >= injected + 2, 5_000, 'the poison job retrying');

    const whileStuck = [await threeMessagesEach(others), await threeMessagesEach(others)];
    console.info(
      `stage 1 stuck shard: unrelated 2×3 messages ${whileStuck.map(Math.round).join(', ')} ms, baseline ${baseline.map(Math.round).join(', ')} ms`,
    );
    expect(mean(whileStuck)).toBeLessThan(mean(baseline) + 500);
    // Still stuck while the others were measured (else the comparison proves nothing).
    expect(kit.graph.sentTexts({ phoneNumberId: stuck.phoneNumberId, to: stuckUser })).toEqual([]);

    // Visible while it lasts: retries counted and the age of the retrying job, for its shard.
    expect(await retriesOf(shardOf(stuck))).toBeGreaterThanOrEqual(2);
    const scraped = (await Promise.all(fixture.runtimes.map((r) => r.metricsRegistry.metrics()))).join('\n');
    const age = new RegExp(
      `wabot_worker_stage1_oldest_retry_age_seconds\\{shard="${shardOf(stuck)}",service="worker"\\} ([0-9.]+)`,
    ).exec(scraped);
    expect(Number(age?.[1])).toBeGreaterThan(0);

    // The budget runs out: dead letter with the cause, and the message behind it is answered.
    const shardQueue = kit.webhooks.producers[shardOf(stuck)]?.queue;
    const [dead] = await eventually(
      async () => {
        const failed = (await shardQueue?.getFailed()) ?? [];
        return failed.length > 0 ? failed : null;
      },
      BUDGET_MS + 5_000,
      'the poison job dead-lettered',
    );
    expect(dead?.failedReason).toMatch(
      new RegExp(`^stage 1 shard ${shardOf(stuck)}: gave up after \\d+ attempts over \\d+ ms: injected fault`),
    );
    expect(dead?.attemptsMade).toBe(1);
    await kit.graph.waitFor(
      () => kit.graph.sentTexts({ phoneNumberId: stuck.phoneNumberId, to: stuckUser }).length === 1,
      10_000,
    );
    expect(performance.now() - stuckAt).toBeGreaterThanOrEqual(BUDGET_MS - 200);
    expect(await retriesOf(shardOf(stuck))).toBeGreaterThanOrEqual(5);
    const entries = kit.logs.entries();
    const warnings = entries.filter(
      (e) => String(e.msg).startsWith('stage 1: job failed, retrying') && e.shard === shardOf(stuck),
    );
    expect(warnings.length).toBeGreaterThanOrEqual(5);
    expect(warnings.every((e) => e.level === 'warn' && e.jobId === dead?.id)).toBe(true);
    expect(entries.some((e) => String(e.msg).startsWith('job failed for good (dead letter): stage 1 shard'))).toBe(
      true,
    );
    faults.clear();
  });
});

describe('stage 1: upgrade and shutdown', () => {
  it('warns at start when a legacy (pre-shard) queue still holds jobs', async () => {
    const legacy = new Queue('webhook-events', { connection: kit.redis, prefix: redis.current.prefix });
    await legacy.add('meta-webhook', { botId: 'bt_old', rawBody: '{}', receivedAt: Date.now(), requestId: 'r' });
    const runtime = await kit.startWorker();
    await runtime.close();
    await legacy.obliterate({ force: true });
    await legacy.close();
    const warned = kit.logs
      .entries()
      .filter((e) => e.queue === 'webhook-events' && String(e.msg).startsWith('legacy queue webhook-events'));
    expect(warned).toHaveLength(1);
    expect(warned[0]?.level).toBe('warn');
    expect(String(warned[0]?.msg)).toMatch(/still holds 1 unfinished job/);
  });

  it('hands a job in back-off back to the head of its shard when its worker shuts down', async () => {
    const bot = await botWhere(() => true);
    const shard = String(shardOf(bot));
    const user = newUser();
    faults.failLookups(bot.id, 1_000);
    await kit.deliverMany(
      bot,
      ['one', 'two'].map((text) => textWebhook(bot, [{ id: newWamid(), from: user, text }])),
    );
    const holder = await eventually(
      () => fixture.runtimes.find((r) => r.deps.metrics.stage1RetryingSince.has(shard)),
      5_000,
      'a runtime retrying the first job',
    );
    await holder.close();
    faults.clear();
    await kit.graph.waitFor(
      () => kit.graph.sentTexts({ phoneNumberId: bot.phoneNumberId, to: user }).length >= 2,
      10_000,
    );
    expect(kit.graph.sentTexts({ phoneNumberId: bot.phoneNumberId, to: user })).toEqual(['ECHO: one', 'ECHO: two']);
    expect(kit.logs.entries().some((e) => e.msg === 'stage 1: shutting down; job returned to its shard')).toBe(true);
    expect(await kit.webhookJobCounts('failed')).toMatchObject({ failed: 1 }); // the poison job of the first test
  });
});
