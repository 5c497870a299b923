import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
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
const children: ChildProcess[] = [];

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = address && typeof address === 'object' ? address.port : 0;
      server.close(() => resolve(port));
    });
  });

async function startProcess(label: string): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  const log = createWriteStream(
    path.join(process.env.TMPDIR ?? '/tmp', `wabot-worker-e2e-${label}-${process.pid}.log`),
  );
  const child = spawn(process.execPath, [path.join(root, 'services/worker/dist/main.js')], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      WORKER_PORT: String(port),
      ...workerProcessEnv(kit, database.current, redis.current),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  children.push(child);
  await eventually(
    async () => {
      if (child.exitCode !== null) throw new Error(`worker ${label} exited with ${child.exitCode}`);
      try {
        return (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200;
      } catch {
        return false;
      }
    },
    20_000,
    `worker ${label} ready`,
  );
  return { child, port };
}

beforeAll(async () => {
  // Services run from dist: make sure it matches the source under test.
  execFileSync(path.join(root, 'node_modules/.bin/tsc'), ['-b', 'services/worker'], { cwd: root, stdio: 'inherit' });
  kit = await createWorkerKitOn(database.current, redis.current);
}, 120_000);

afterAll(async () => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
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
    if (first.child.pid) process.kill(first.child.pid, 'SIGKILL');
    await eventually(() => first.child.exitCode !== null || first.child.signalCode !== null, 5_000, 'worker a gone');

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
    const exited = new Promise<number | null>((resolve) => second.child.once('exit', (code) => resolve(code)));
    const started = Date.now();
    if (second.child.pid) process.kill(second.child.pid, 'SIGTERM');
    expect(await exited).toBe(0);
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
      if (first.child.pid) process.kill(first.child.pid, 'SIGKILL');
      await eventually(() => first.child.exitCode !== null || first.child.signalCode !== null, 5_000, 'worker a gone');
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
      const exited = new Promise<number | null>((resolve) => second.child.once('exit', (code) => resolve(code)));
      if (second.child.pid) process.kill(second.child.pid, 'SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      release();
      await lock.catch(() => {});
    }
  }, 90_000);
});
