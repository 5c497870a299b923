import { beforeAll, describe, expect, it } from 'vitest';
import { newWamid, textWebhook, useWorkerKit, type WorkerKit } from './testing/worker.test-kit.js';

const fixture = useWorkerKit({ workers: 0 });
let kit: WorkerKit;

beforeAll(() => {
  kit = fixture.kit;
});

describe('worker: graceful shutdown', () => {
  it('finishes the message in flight quickly and hands the rest of the conversation to another worker', async () => {
    const bot = await kit.createBot();
    const user = '15556660001';
    const first = await kit.startWorker();
    kit.llm.setLatency(150, 150);
    const texts = Array.from({ length: 10 }, (_, i) => `queued ${i}`);
    await kit.deliverMany(
      bot,
      texts.map((text) => textWebhook(bot, [{ id: newWamid(), from: user, text }])),
    );
    await kit.graph.waitFor(() => kit.graph.sentMessages({ phoneNumberId: bot.phoneNumberId }).length >= 1, 10_000);
    const started = Date.now();
    await first.close();
    const closeMs = Date.now() - started;
    const sentBeforeSecond = kit.graph.sentMessages({ phoneNumberId: bot.phoneNumberId }).length;
    expect(sentBeforeSecond).toBeLessThan(10);
    expect(closeMs).toBeLessThan(2_000);

    await kit.startWorker();
    await kit.graph.waitFor(() => kit.graph.sentMessages({ phoneNumberId: bot.phoneNumberId }).length >= 10, 15_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(kit.graph.sentTexts({ phoneNumberId: bot.phoneNumberId })).toEqual(texts.map((t) => `ECHO: ${t}`));
    expect(kit.logs.text()).toContain('conversation handed over to another worker');
    kit.llm.setLatency(0, 0);
  });
});
