import { beforeAll, describe, expect, it } from 'vitest';
import { eventually, statusWebhook, textWebhook, useWorkerKit, type WorkerKit } from './testing/worker.test-kit.js';
import type { WorkerDeps } from './worker-deps.js';

// The duplicate window of a crash: Meta accepted a part but the process died before recording
// its wamid. Simulated by a send whose answer is lost (Meta got it, the worker saw a dropped
// connection): the part stays claimed (`sending_at`), the job is retried and finds it in flight.
// Every send carries the part id in biz_opaque_callback_data; a status webhook naming it teaches
// the part its wamid, and the retried job records that instead of sending again.

let loseAnswers = 0;
const wrapDeps = (deps: WorkerDeps): WorkerDeps => ({
  ...deps,
  delivery: {
    async call(bot, operation, fn, options) {
      const result = await deps.delivery.call(bot, operation, fn, options);
      if (operation !== 'read' && loseAnswers > 0) {
        loseAnswers--;
        throw Object.assign(new Error('simulated: socket hang up after Meta accepted'), { code: 'ECONNRESET' });
      }
      return result;
    },
  },
});
const fixture = useWorkerKit({ config: { SEND_IN_FLIGHT_WAIT_MS: '1500', GRAPH_SEND_RETRIES: '0' }, wrapDeps });
const { database } = fixture;
let kit: WorkerKit;
beforeAll(() => {
  kit = fixture.kit;
});
const db = () => database.current.db;

describe('a part in flight at a crash', () => {
  it('carries its part id to Meta, and a status naming it records the wamid instead of a second send', async () => {
    const bot = await kit.createBot();
    const user = '15557780001';
    loseAnswers = 1;
    await kit.deliver(bot, textWebhook(bot, [{ from: user, text: 'answer me once' }]));
    const [first] = await kit.graph.waitFor(() => {
      const sent = kit.graph.sentMessages({ phoneNumberId: bot.phoneNumberId, to: user });
      return sent.length > 0 ? sent : null;
    });
    const part = await eventually(
      () => db().message.findFirst({ where: { botId: bot.id, direction: 'outbound' } }),
      5_000,
      'the reply part',
    );
    expect(first?.body).toMatchObject({ biz_opaque_callback_data: part.id });
    // The retried job found the part in flight and waits.
    await eventually(
      () =>
        kit.logs
          .entries()
          .find(
            (e) =>
              e.msg === 'part was in flight at a crash: waiting for a status webhook naming it' &&
              e.messageId === part.id,
          ),
      5_000,
      'the retried job waiting for the status',
    );
    // Meta's status for the accepted send, echoing the part id.
    await kit.deliver(
      bot,
      statusWebhook(bot, [
        { id: first?.messageId ?? '', status: 'sent', recipient: user, bizOpaqueCallbackData: part.id },
      ]),
    );
    const recorded = await eventually(
      () => db().message.findFirst({ where: { id: part.id, metaMessageId: first?.messageId ?? '' } }),
      10_000,
      'the wamid learnt from the status',
    );
    expect(recorded.status).toBe('sent');
    await eventually(
      () => db().message.findFirst({ where: { botId: bot.id, direction: 'inbound', status: 'handled' } }),
      10_000,
      'the inbound message handled',
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(kit.graph.sentMessages({ phoneNumberId: bot.phoneNumberId, to: user })).toHaveLength(1);
  });

  it('sends the part again when no status names it within SEND_IN_FLIGHT_WAIT_MS', async () => {
    const bot = await kit.createBot();
    const user = '15557780002';
    loseAnswers = 1;
    const started = Date.now();
    await kit.deliver(bot, textWebhook(bot, [{ from: user, text: 'lost in the void' }]));
    const sent = await kit.graph.waitFor(() => {
      const all = kit.graph.sentMessages({ phoneNumberId: bot.phoneNumberId, to: user });
      return all.length >= 2 ? all : null;
    }, 10_000);
    // Not before the wait ran out.
    expect((sent[1]?.time ?? Date.now()) - started).toBeGreaterThanOrEqual(1_400);
    const part = await eventually(
      () => db().message.findFirst({ where: { botId: bot.id, direction: 'outbound', status: 'sent' } }),
      5_000,
      'the part recorded sent',
    );
    expect(part.metaMessageId).toBe(sent[1]?.messageId);
  });

  it('a status for an unknown wamid with a foreign or malformed callback id changes nothing', async () => {
    const bot = await kit.createBot();
    const other = await kit.createBot();
    const user = '15557780003';
    await kit.deliver(other, textWebhook(other, [{ from: user, text: 'hi' }]));
    const part = await eventually(
      () => db().message.findFirst({ where: { botId: other.id, direction: 'outbound', status: 'sent' } }),
      10_000,
      'the other bot answered',
    );
    await kit.deliver(
      bot,
      statusWebhook(bot, [
        { id: 'wamid.FOREIGN', status: 'delivered', recipient: user, bizOpaqueCallbackData: part.id },
        { id: 'wamid.GARBAGE', status: 'delivered', recipient: user, bizOpaqueCallbackData: "'; DROP TABLE x" },
      ]),
    );
    await eventually(async () => (await kit.webhookJobCounts('wait', 'active')).wait === 0, 5_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const after = await db().message.findUniqueOrThrow({ where: { id: part.id } });
    expect(after.metaMessageId).toBe(part.metaMessageId);
    expect(after.status).toBe('sent');
  });
});
