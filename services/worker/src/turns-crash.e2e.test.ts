import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { type Stack, startStack } from '@wabot/stack';
import { useTestDatabase, useTestRedis } from '@wabot/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createWorkerKitOn,
  eventually,
  newWamid,
  type TestBot,
  textWebhook,
  type WorkerKit,
  workerProcessEnv,
} from './testing/worker.test-kit.js';

// End to end: real worker processes (services/worker/dist/main.js) SIGKILLed while a turn waits
// for more messages and while its reply is being generated. Nothing may be lost, answered twice
// or skipped: the surviving process answers the whole burst once.

const root = path.resolve(import.meta.dirname, '../../..');
const database = useTestDatabase();
const redis = useTestRedis();
let kit: WorkerKit;
let stack: Stack | undefined;

/** One more worker process; the first one starts the stack. */
const startWorker = async () => {
  if (stack) return stack.add('worker');
  stack = await startStack({
    services: ['worker'],
    env: { ...workerProcessEnv(kit, database.current, redis.current), LOG_LEVEL: 'warn' },
  });
  return stack.get('worker');
};
const killWorker = async (id: string) => {
  await stack?.kill(id, 'SIGKILL');
};

const engineCalls = (bot: TestBot) => kit.llm.requests.filter((r) => r.messages[0]?.content === bot.systemPrompt);
const userTexts = (request: { messages: { role: string; content: string }[] } | undefined) =>
  (request?.messages ?? []).filter((m) => m.role === 'user').map((m) => m.content);

async function send(bot: TestBot, user: string, text: string) {
  const id = newWamid();
  await kit.deliver(bot, textWebhook(bot, [{ id, from: user, text }]));
  return id;
}

async function expectAnsweredOnce(bot: TestBot, user: string, burst: string[]) {
  await kit.graph.waitFor(() => kit.graph.sentTexts({ phoneNumberId: bot.phoneNumberId, to: user }).length > 0, 30_000);
  const handled = await eventually(async () => {
    const count = await database.current.db.message.count({
      where: { botId: bot.id, direction: 'inbound', status: 'handled' },
    });
    return count === burst.length ? count : null;
  }, 10_000);
  expect(handled).toBe(burst.length);
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(kit.graph.sentTexts({ phoneNumberId: bot.phoneNumberId, to: user })).toEqual([`ECHO: ${burst.at(-1)}`]);
  // The call that produced the reply saw the whole burst, in order.
  const answered = engineCalls(bot).find((r) => r.status === 200);
  expect(userTexts(answered)).toEqual(burst);
}

beforeAll(async () => {
  // Services run from dist: make sure it matches the source under test.
  execFileSync(path.join(root, 'node_modules/.bin/tsc'), ['-b', 'services/worker'], { cwd: root, stdio: 'inherit' });
  kit = await createWorkerKitOn(database.current, redis.current);
}, 120_000);

afterAll(async () => {
  const running = stack?.services.filter((s) => s.running()) ?? [];
  await Promise.allSettled(running.map((s) => killWorker(s.id)));
  await kit?.close();
});

describe('worker processes: turns survive a SIGKILL', () => {
  it('killed while the turn generates: another process answers the whole burst once', async () => {
    const bot = await kit.createBot({ turn: { debounce_ms: 200, max_wait_ms: 5_000 } });
    const user = '15556660001';
    const first = await startWorker();
    kit.llm.delayNext(1, 10_000);
    const burst = ['hi', 'my order', "hasn't arrived"];
    for (const text of burst) await send(bot, user, text);
    await eventually(
      () => (engineCalls(bot).some((r) => r.status === 0) ? true : null),
      10_000,
      'engine call in flight',
    );
    await startWorker();
    await killWorker(first.id);
    await expectAnsweredOnce(bot, user, burst);
    expect(engineCalls(bot).length).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it('killed while the turn waits for more messages: nothing lost, one reply for the burst', async () => {
    const bot = await kit.createBot({ turn: { debounce_ms: 1_500, max_wait_ms: 10_000 } });
    const user = '15556660002';
    const first = await startWorker();
    const opening = await send(bot, user, 'hello');
    // The drain has read the message (its receipt went out): the turn is waiting now.
    await kit.graph.waitFor(() => kit.graph.readReceipts(opening).length > 0, 10_000);
    await killWorker(first.id);
    await send(bot, user, 'are you there?');
    await startWorker();
    await expectAnsweredOnce(bot, user, ['hello', 'are you there?']);
    expect(engineCalls(bot)).toHaveLength(1);
  }, 60_000);
});
