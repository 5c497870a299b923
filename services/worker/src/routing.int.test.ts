import { createBotDiagnostics } from '@wabot/bot-registry';
import { sentText } from '@wabot/meta-simulator';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventually, newWamid, textWebhook, useWorkerKit, type WorkerKit } from './testing/worker.test-kit.js';

// One Meta app has one callback URL for all its numbers: Meta posts every number's events to the
// URL of whichever bot the app was given (docs/contract.md, Diagnostics).
const fixture = useWorkerKit();
const { database } = fixture;
let kit: WorkerKit;
const APP_SECRET = 'one-meta-app-secret';

beforeAll(() => {
  kit = fixture.kit;
});

const repliesTo = (phoneNumberId: string, to: string) =>
  kit.graph.sentMessages({ phoneNumberId, to }).map((request) => sentText(request) ?? '');

const diagnosticsOf = (botId: string) => createBotDiagnostics(kit.redis, kit.config.REDIS_PREFIX).read(botId);

/** `wabot_worker_foreign_number_events_total{outcome}` of the file's worker. */
const metricValue = async (outcome: string) => {
  const metric = await fixture.runtime.deps.metrics.foreignNumberEvents.get();
  return metric.values.find((v) => v.labels.outcome === outcome)?.value ?? 0;
};

describe('events for another number of the workspace', () => {
  it("are answered by that number's bot when the signature verifies with its app secret", async () => {
    const front = await kit.createBot({}, { appSecret: APP_SECRET });
    const second = await kit.createBot({}, { appSecret: APP_SECRET });
    const user = '15550009001';
    const routedBefore = await metricValue('routed');
    // Posted to the first bot's URL (signed with the app's secret), for the second bot's number.
    await kit.deliver(front, textWebhook(second, [{ id: newWamid(), from: user, text: 'for the second number' }]));
    const [reply] = await kit.graph.waitFor(() => {
      const sent = repliesTo(second.phoneNumberId, user);
      return sent.length ? sent : null;
    }, 10_000);
    expect(reply).toBe('ECHO: for the second number');
    expect(kit.graph.sentMessages({ phoneNumberId: second.phoneNumberId, to: user })[0]?.token).toBe(
      second.accessToken,
    );
    expect(repliesTo(front.phoneNumberId, user)).toEqual([]);
    const stored = await database.current.db.message.findFirstOrThrow({
      where: { direction: 'inbound', text: 'for the second number' },
    });
    expect(stored.botId).toBe(second.id);
    expect(await metricValue('routed')).toBe(routedBefore + 1);
    expect((await diagnosticsOf(front.id)).foreign_phone_number_events).toBe(0);
  });

  it('are dropped and counted when no bot of the workspace has the number, or its secret does not verify', async () => {
    const front = await kit.createBot({}, { appSecret: APP_SECRET });
    const otherApp = await kit.createBot({}, { appSecret: 'another-apps-secret' });
    const otherWorkspace = (await database.current.db.workspace.create({ data: { name: 'elsewhere' } })).id;
    const foreign = await kit.createBot({}, { appSecret: APP_SECRET, workspaceId: otherWorkspace });
    const unknown = { phoneNumberId: '100000000000999' };
    const user = '15550009002';
    const unroutableBefore = await metricValue('unroutable');
    for (const target of [otherApp, foreign, unknown]) {
      await kit.deliver(
        front,
        textWebhook(target, [{ id: newWamid(), from: user, text: `to ${target.phoneNumberId}` }]),
      );
    }
    await eventually(async () => (await diagnosticsOf(front.id)).foreign_phone_number_events === 3, 10_000, 'counted');
    expect(await metricValue('unroutable')).toBe(unroutableBefore + 3);
    // A control message to the front bot itself, after the three: once it is answered, the others had their chance.
    await kit.deliver(front, textWebhook(front, [{ id: newWamid(), from: user, text: 'for the front bot' }]));
    await kit.graph.waitFor(() => repliesTo(front.phoneNumberId, user).length > 0, 10_000);
    for (const target of [otherApp, foreign, unknown]) expect(repliesTo(target.phoneNumberId, user)).toEqual([]);
    expect(
      await database.current.db.message.count({
        where: { text: { startsWith: 'to ' }, conversation: { userKey: user } },
      }),
    ).toBe(0);
  });
});
