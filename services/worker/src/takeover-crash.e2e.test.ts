import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { physicalQueueName, resumeJobId } from '@wabot/contracts';
import { createConversationRepository } from '@wabot/db';
import { type ServiceSpec, type Stack, startStack } from '@wabot/stack';
import { useTestDatabase, useTestRedis } from '@wabot/testing';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createWorkerKitOn,
  eventually,
  textWebhook,
  type WorkerKit,
  workerProcessEnv,
} from './testing/worker.test-kit.js';

// End to end, two real worker processes: the takeover race (an operator hands over while the bot
// generates or sends, 200 times: no bot message after any handoff), and the auto-resume of a
// handed-over conversation with the process running the resume job SIGKILLed in the middle of it
// (the other takes the stalled job over; the conversation goes back to the bot once, the notice
// is sent once).

const root = path.resolve(import.meta.dirname, '../../..');
const database = useTestDatabase();
const redis = useTestRedis();
let kit: WorkerKit;
let stack: Stack | undefined;

async function startProcess(id: string) {
  const spec: ServiceSpec = { service: 'worker', id };
  if (stack) return stack.add(spec);
  stack = await startStack({
    services: [spec],
    inheritEnv: false,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      ...workerProcessEnv(kit, database.current, redis.current),
      // No sweep during the test: the stalled job alone must finish the resume.
      RESUME_SWEEP_GRACE_MS: '600000',
    },
    logDir: path.join(process.env.TMPDIR ?? '/tmp', `wabot-takeover-e2e-${process.pid}`),
    readyTimeoutMs: 20_000,
  });
  return stack.get(id);
}
const signal = async (id: string, name: NodeJS.Signals) => (await stack?.kill(id, name))?.code;

beforeAll(async () => {
  execFileSync(path.join(root, 'node_modules/.bin/tsc'), ['-b', 'services/worker'], { cwd: root, stdio: 'inherit' });
  kit = await createWorkerKitOn(database.current, redis.current);
}, 120_000);

afterAll(async () => {
  for (const service of stack?.services ?? []) {
    if (service.running()) await signal(service.id, 'SIGKILL');
  }
  await kit?.close();
});

describe('worker processes: takeover', () => {
  it('the race with 2 processes: 0 bot messages after any of 200 handoffs, the in-flight turn stopped within 1 s', async () => {
    const bot = await kit.createBot();
    const db = database.current.db;
    const conversations = createConversationRepository(db);
    await startProcess('race-a');
    await startProcess('race-b');
    kit.llm.setLatency(20, 250);
    kit.graph.injectFault({ kind: 'latency', latencyMs: 25, match: { phoneNumberId: bot.phoneNumberId } });
    const results: { late: number; cancelled: number; sent: number; stopMs: number | null }[] = [];
    let counter = 0;
    const race = async (i: number) => {
      const user = `1555777${String(++counter).padStart(4, '0')}`;
      const text = i % 2 === 0 ? `race ${i}` : `${'y'.repeat(4_080)} race ${i}`;
      await kit.deliver(bot, textWebhook(bot, [{ from: user, text }]));
      const conversation = await eventually(
        () => db.conversation.findFirst({ where: { botId: bot.id, userKey: user } }),
        15_000,
        `conversation ${user}`,
      );
      await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 300)));
      await conversations.handOff(conversation.id, { reason: 'race', resumeAt: null });
      const committed = Date.now();
      const generating = kit.llm.requests.some((r) => r.lastUser === text && r.time < committed);
      await eventually(async () => (await conversations.countInFlightParts(conversation.id)) === 0, 5_000);
      const after = Date.now();
      const inbound = await eventually(
        () =>
          db.message.findFirst({ where: { conversationId: conversation.id, direction: 'inbound', status: 'handled' } }),
        20_000,
        'turn over',
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      const parts = await db.message.findMany({ where: { conversationId: conversation.id, direction: 'outbound' } });
      const endedAt = inbound.handledAt?.getTime() ?? 0;
      results.push({
        late: kit.graph
          .sentMessages({ phoneNumberId: bot.phoneNumberId })
          .filter((r) => r.to === user && r.time > after).length,
        cancelled: parts.filter((p) => p.errorTitle === 'cancelled_by_handoff').length,
        sent: parts.filter((p) => p.status === 'sent').length,
        // In flight at the handoff: its engine call had started, and the turn was not over yet.
        stopMs: endedAt > committed && generating ? endedAt - committed : null,
      });
    };
    for (let batch = 0; batch < 200; batch += 20) {
      await Promise.all(Array.from({ length: 20 }, (_, j) => race(batch + j)));
    }
    kit.graph.clearFaults();
    const sum = (key: 'late' | 'cancelled' | 'sent') => results.reduce((total, r) => total + r[key], 0);
    const stops = results.flatMap((r) => (r.stopMs === null ? [] : [r.stopMs])).sort((a, b) => a - b);
    const p95 = stops[Math.floor(stops.length * 0.95)] ?? 0;
    console.info(
      `takeover race, 2 worker processes: ${results.length} handoffs, ${sum('late')} bot messages after a handoff, ` +
        `${sum('cancelled')} parts cancelled_by_handoff, ${sum('sent')} parts sent before a handoff, ` +
        `handoff → in-flight turn stopped p95 ${p95} ms, max ${stops.at(-1)} ms over ${stops.length} turns`,
    );
    expect(results).toHaveLength(200);
    expect(sum('late')).toBe(0);
    expect(stops.length).toBeGreaterThan(10);
    expect(sum('sent')).toBeGreaterThan(0);
    expect(p95).toBeLessThan(1_000);
    for (const service of stack?.services ?? []) {
      if (service.running()) expect(await signal(service.id, 'SIGTERM')).toBe(0);
    }
  }, 180_000);

  it('resumes once and sends the notice once when the worker running the resume job is SIGKILLed', async () => {
    const notice = 'You are talking to the bot again.';
    const bot = await kit.createBot({ handoff: { keywords: ['agent'], auto_resume_after_s: 2, notice } });
    const user = '15554449001';
    const db = database.current.db;
    const first = await startProcess('resume-a');
    await kit.deliver(bot, textWebhook(bot, [{ from: user, text: 'agent' }]));
    const conversation = await eventually(
      () => db.conversation.findFirst({ where: { botId: bot.id, userKey: user, control: 'human' } }),
      10_000,
      'handed over by the keyword',
    );
    const resumeAt = conversation.resumeAt;
    if (!resumeAt) throw new Error('no resume time');
    const outbound = new Queue(physicalQueueName('outbound'), {
      connection: redis.current.redis,
      prefix: redis.current.prefix,
    });
    // The conversation row locked: the resume job's conditional UPDATE waits on it, in process a.
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked: () => void = () => {};
    const lockTaken = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const lock = db.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT 1 FROM conversations WHERE id = ${conversation.id}::uuid FOR UPDATE`;
        locked();
        await released;
      },
      { maxWait: 5_000, timeout: 60_000 },
    );
    try {
      await lockTaken;
      const jobId = resumeJobId({ conversationId: conversation.id, resumeAt: resumeAt.getTime() });
      await eventually(
        async () => {
          const job = await outbound.getJob(jobId);
          const [blocked] = await db.$queryRaw<{ n: number }[]>`
            SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock'`;
          return (await job?.isActive()) === true && (blocked?.n ?? 0) >= 1;
        },
        15_000,
        'the resume job active in process a, blocked on the row',
      );
      const second = await startProcess('resume-b');
      await signal(first.id, 'SIGKILL');
      release();
      await lock;

      await eventually(
        () => kit.graph.sentTexts({ phoneNumberId: bot.phoneNumberId, to: user }).includes(notice),
        30_000,
        'the notice',
      );
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(kit.graph.sentTexts({ phoneNumberId: bot.phoneNumberId, to: user }).filter((t) => t === notice)).toEqual([
        notice,
      ]);
      expect(await db.conversation.findUniqueOrThrow({ where: { id: conversation.id } })).toMatchObject({
        control: 'bot',
        resumeAt: null,
      });
      // The job ran again in process b (stalled), and finished.
      const job = await outbound.getJob(jobId);
      expect(job?.stalledCounter ?? 0).toBeGreaterThanOrEqual(1);
      expect(await job?.isCompleted()).toBe(true);
      expect(await db.message.count({ where: { conversationId: conversation.id, text: notice } })).toBe(1);
      // The bot answers again.
      await kit.deliver(bot, textWebhook(bot, [{ from: user, text: 'back to you, bot' }]));
      await eventually(
        () => kit.graph.sentTexts({ phoneNumberId: bot.phoneNumberId, to: user }).includes('ECHO: back to you, bot'),
        15_000,
        'the bot answers',
      );
      expect(await signal(second.id, 'SIGTERM')).toBe(0);
    } finally {
      release();
      await lock.catch(() => {});
      await outbound.close();
    }
  }, 90_000);
});
