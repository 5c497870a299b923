import { beforeAll, describe, expect, it } from 'vitest';
import { acceptedKey } from './delivery/send-outbound.js';
import { eventually, textWebhook, useWorkerKit, type WorkerKit } from './testing/worker.test-kit.js';
import type { WorkerRuntime } from './worker-runtime.js';

// Meta accepted a part but PostgreSQL refused to record it: the job must not send it again.
const fixture = useWorkerKit({ config: { RECORD_SENT_RETRIES: '2', RECORD_SENT_RETRY_BASE_MS: '10' } });
const { database, redis } = fixture;
let kit: WorkerKit;
let runtime: WorkerRuntime;

beforeAll(() => {
  kit = fixture.kit;
  runtime = fixture.runtime;
});

const db = () => database.current.db;

/** Makes the next `count` markSent calls of the runtime's store fail like a lost database. */
function failMarkSent(count: number): { calls: () => number } {
  const { store } = runtime.deps;
  const original = store.markSent;
  let calls = 0;
  store.markSent = async (...args) => {
    calls++;
    if (calls <= count) throw new Error('simulated: Connection terminated unexpectedly');
    store.markSent = original;
    return original(...args);
  };
  return { calls: () => calls };
}

async function answerOnce(user: string, text: string) {
  const bot = await kit.createBot();
  await kit.deliver(bot, textWebhook(bot, [{ from: user, text }]));
  const inbound = await eventually(
    () => db().message.findFirst({ where: { botId: bot.id, direction: 'inbound', status: 'handled' } }),
    15_000,
    'the inbound message handled',
  );
  const outbound = await db().message.findMany({ where: { botId: bot.id, direction: 'outbound' } });
  // Give a wrongly retried send time to show up.
  await new Promise((resolve) => setTimeout(resolve, 300));
  return { bot, inbound, outbound, sent: kit.graph.sentMessages({ phoneNumberId: bot.phoneNumberId, to: user }) };
}

describe('recording an accepted part when the database fails', () => {
  it('retries the write in process: one send, recorded, no failed job', async () => {
    const failing = failMarkSent(1);
    const { outbound, sent } = await answerOnce('15557770001', 'hello once');
    expect(failing.calls()).toBe(2);
    expect(sent).toHaveLength(1);
    expect(outbound).toHaveLength(1);
    expect(outbound[0]).toMatchObject({ status: 'sent', metaMessageId: sent[0]?.messageId });
    expect(kit.logs.entries().some((e) => e.msg === 'recording a sent part failed; retrying')).toBe(true);
  });

  it('when every in-process retry fails, the retried job records the parked wamid instead of re-sending', async () => {
    // 1 + RECORD_SENT_RETRIES (2) failures: the attempt gives up and BullMQ retries the drain job.
    const failing = failMarkSent(3);
    const { outbound, sent } = await answerOnce('15557770002', 'hello twice?');
    expect(failing.calls()).toBe(4);
    expect(sent).toHaveLength(1);
    expect(outbound).toHaveLength(1);
    expect(outbound[0]).toMatchObject({ status: 'sent', metaMessageId: sent[0]?.messageId });
    expect(kit.logs.entries().some((e) => e.msg === 'part was accepted by Meta earlier: recorded, not re-sent')).toBe(
      true,
    );
    // The parked wamid is gone once PostgreSQL has it.
    const id = outbound[0]?.id ?? '';
    expect(await kit.redis.exists(acceptedKey(redis.current.prefix, id))).toBe(0);
  });
});
