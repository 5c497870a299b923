import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually, textWebhook, useWorkerKit, type WorkerKit } from './testing/worker.test-kit.js';
import type { WorkerRuntime } from './worker-runtime.js';

// Every wait has a bound: a model that never answers leaves no conversation stuck. Within the
// retry budget the message is retried (attempts, last_error); past it the message is `failed`
// with the reason and the conversation answers the next message.
const fixture = useWorkerKit({
  workers: 0,
  config: { DELIVERY_RETRY_BUDGET_MS: '1500', OUTAGE_RETRY_MS: '200', LLM_RETRIES: '0' },
});
const { database } = fixture;
let kit: WorkerKit;
let runtime: WorkerRuntime | undefined;
beforeAll(() => {
  kit = fixture.kit;
});
afterEach(async () => {
  kit.llm.reset();
  await runtime?.close();
  runtime = undefined;
});
const db = () => database.current.db;

async function failedWithin(botId: string, text: string, withinMs: number) {
  const started = Date.now();
  const inbound = await eventually(
    () => db().message.findFirst({ where: { botId, direction: 'inbound', text, status: 'failed' } }),
    withinMs,
    `"${text}" recorded failed`,
  );
  return { inbound, tookMs: Date.now() - started };
}

describe('bounded waits', () => {
  it('a permanently hanging LLM: each call times out, and past the budget the message is failed with the reason', async () => {
    runtime = await kit.startWorker({ LLM_TIMEOUT_MS: 300 });
    const bot = await kit.createBot();
    const user = '15557790001';
    kit.llm.delayNext(1_000, 60_000);
    await kit.deliver(bot, textWebhook(bot, [{ from: user, text: 'are you there?' }]));
    const { inbound, tookMs } = await failedWithin(bot.id, 'are you there?', 10_000);
    expect(tookMs).toBeLessThan(6_000);
    expect(inbound).toMatchObject({ errorTitle: 'llm_unreachable' });
    expect(inbound.errorDetails).toMatch(/timed out after 300 ms.*gave up after \d+ attempt/);
    const part = await db().message.findFirstOrThrow({ where: { botId: bot.id, direction: 'outbound' } });
    expect(part.status).toBe('failed');
    // The conversation moves on once the model answers again.
    kit.llm.reset();
    await kit.deliver(bot, textWebhook(bot, [{ from: user, text: 'hello again' }]));
    await kit.graph.waitFor(() => kit.graph.sentTexts({ phoneNumberId: bot.phoneNumberId, to: user })[0], 10_000);
    expect(kit.graph.sentTexts({ phoneNumberId: bot.phoneNumberId, to: user })).toEqual(['ECHO: hello again']);
  });

  it('a turn whose engine work outlasts ENGINE_TURN_TIMEOUT_MS is cut there, even when each call is within its own limit', async () => {
    runtime = await kit.startWorker({ LLM_TIMEOUT_MS: 5_000, ENGINE_TURN_TIMEOUT_MS: 300 });
    const bot = await kit.createBot();
    const user = '15557790002';
    kit.llm.delayNext(1_000, 2_000);
    await kit.deliver(bot, textWebhook(bot, [{ from: user, text: 'think hard' }]));
    const { inbound, tookMs } = await failedWithin(bot.id, 'think hard', 10_000);
    expect(tookMs).toBeLessThan(6_000);
    expect(inbound.errorDetails).toMatch(/ENGINE_TURN_TIMEOUT_MS \(300 ms\)/);
    expect(kit.graph.sentTexts({ phoneNumberId: bot.phoneNumberId, to: user })).toEqual([]);
  });
});
