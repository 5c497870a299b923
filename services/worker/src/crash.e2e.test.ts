import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { type ServiceSpec, type Stack, startStack } from '@wabot/stack';
import { useTestDatabase, useTestRedis } from '@wabot/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createWorkerKitOn,
  eventually,
  newWamid,
  textWebhook,
  type WorkerKit,
  workerProcessEnv,
} from './testing/worker.test-kit.js';

// End to end: real worker processes (node services/worker/dist/main.js), one SIGKILLed while a
// job is in flight; another process must pick the job up (BullMQ stalled-job detection) and
// every message must still be answered exactly once, in order.

const root = path.resolve(import.meta.dirname, '../../..');
const database = useTestDatabase();
const redis = useTestRedis();
let kit: WorkerKit;
let stack: Stack | undefined;

/** Starts worker process `id` (the first one starts the stack); its log goes to $TMPDIR/wabot-worker-e2e-<pid>/<id>.log. */
async function startProcess(id: string) {
  const spec: ServiceSpec = { service: 'worker', id };
  if (stack) return stack.add(spec);
  stack = await startStack({
    services: [spec],
    inheritEnv: false,
    env: { PATH: process.env.PATH, NODE_ENV: 'test', ...workerProcessEnv(kit, database.current, redis.current) },
    logDir: path.join(process.env.TMPDIR ?? '/tmp', `wabot-worker-e2e-${process.pid}`),
    readyTimeoutMs: 20_000,
  });
  return stack.get(id);
}
const signal = async (id: string, name: NodeJS.Signals) => (await stack?.kill(id, name))?.code;

beforeAll(async () => {
  // Services run from dist: make sure it matches the source under test.
  execFileSync(path.join(root, 'node_modules/.bin/tsc'), ['-b', 'services/worker'], { cwd: root, stdio: 'inherit' });
  kit = await createWorkerKitOn(database.current, redis.current);
}, 120_000);

afterAll(async () => {
  for (const service of stack?.services ?? []) {
    if (service.running()) await signal(service.id, 'SIGKILL');
  }
  await kit?.close();
});

describe('worker processes: crash recovery', () => {
  it('loses nothing when a worker is SIGKILLed mid-job: another process answers each message once, in order', async () => {
    const bot = await kit.createBot();
    const users = ['15554440001', '15554440002'];
    const first = await startProcess('a');
    // The first engine call hangs long enough for the kill to land while it is in flight.
    kit.llm.delayNext(1, 10_000);
    kit.llm.setLatency(20, 80);
    const expected = new Map<string, string[]>(users.map((u) => [u, []]));
    const payloads: unknown[] = [];
    for (let i = 0; i < 10; i++) {
      for (const user of users) {
        const text = `crash test ${i} from ${user}`;
        expected.get(user)?.push(`ECHO: ${text}`);
        payloads.push(textWebhook(bot, [{ id: newWamid(), from: user, text }]));
      }
    }
    await kit.deliverMany(bot, payloads);
    const hanging = await eventually(
      () => kit.llm.requests.find((r) => r.status === 0),
      10_000,
      'an LLM call in flight',
    );

    const second = await startProcess('b');
    expect(hanging.status).toBe(0);
    await signal(first.id, 'SIGKILL');

    await kit.graph.waitFor(() => kit.graph.sentMessages({ phoneNumberId: bot.phoneNumberId }).length >= 20, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const user of users) {
      expect(kit.graph.sentTexts({ phoneNumberId: bot.phoneNumberId, to: user })).toEqual(expected.get(user));
    }
    // The killed call was made again by the surviving process.
    expect(kit.llm.requests.filter((r) => r.lastUser === hanging.lastUser).length).toBeGreaterThanOrEqual(2);
    const handled = await database.current.db.message.count({
      where: { botId: bot.id, direction: 'inbound', status: 'handled' },
    });
    expect(handled).toBe(20);

    // Graceful shutdown of the survivor: SIGTERM, exit 0 well within 10 s.
    const started = Date.now();
    expect(await signal(second.id, 'SIGTERM')).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 90_000);

  it('keeps a shard in order when its worker is SIGKILLed mid stage-1 job: the stalled job runs before the later ones', async () => {
    const bot = await kit.createBot();
    const user = '15554440009';
    const shardQueue = kit.webhooks.forBot(bot.id).queue;
    const first = await startProcess('stage1-a');
    // Stage 1 looks the bot up in PostgreSQL (a fresh process has not cached it): with the bots
    // table locked, the first job of the shard hangs there, observably, while the later ones wait.
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked: () => void = () => {};
    const lockTaken = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const lock = database.current.db.$transaction(
      async (tx) => {
        await tx.$executeRawUnsafe('LOCK TABLE bots IN ACCESS EXCLUSIVE MODE');
        locked();
        await released;
      },
      { maxWait: 5_000, timeout: 60_000 },
    );
    try {
      await lockTaken;
      const texts = ['before the crash', 'queued one', 'queued two'];
      await kit.deliverMany(
        bot,
        texts.map((text) => textWebhook(bot, [{ id: newWamid(), from: user, text }])),
      );
      await eventually(
        async () => {
          const counts = await shardQueue.getJobCounts('active', 'wait');
          const [blocked] = await database.current.db.$queryRaw<{ n: number }[]>`
            SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock'`;
          return counts.active === 1 && counts.wait === 2 && (blocked?.n ?? 0) >= 1;
        },
        10_000,
        'the first stage-1 job active and blocked, two waiting',
      );
      // A second process: with global concurrency 1 it must not start the waiting jobs meanwhile.
      const second = await startProcess('stage1-b');
      await new Promise((resolve) => setTimeout(resolve, 500));
      await signal(first.id, 'SIGKILL');
      release();
      await lock;

      await kit.graph.waitFor(
        () => kit.graph.sentTexts({ phoneNumberId: bot.phoneNumberId, to: user }).length >= 3,
        30_000,
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(kit.graph.sentTexts({ phoneNumberId: bot.phoneNumberId, to: user })).toEqual(
        texts.map((text) => `ECHO: ${text}`),
      );
      const handled = await database.current.db.message.count({
        where: { botId: bot.id, direction: 'inbound', status: 'handled' },
      });
      expect(handled).toBe(3);
      expect(await shardQueue.getJobCounts('failed', 'active', 'wait')).toEqual({ failed: 0, active: 0, wait: 0 });
      expect(await signal(second.id, 'SIGTERM')).toBe(0);
    } finally {
      release();
      await lock.catch(() => {});
    }
  }, 90_000);
});
