import { physicalQueueName } from '@wabot/contracts';
import { loadMetaFixtures } from '@wabot/testing';
import { normalizeWebhook } from '@wabot/whatsapp';
import { Queue } from 'bullmq';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventually, useWorkerKit, type WorkerKit } from './testing/worker.test-kit.js';
import type { WorkerRuntime } from './worker-runtime.js';

// Every Meta payload fixture (all message types, batches, statuses, errors-only, other fields)
// goes through the whole worker: nothing crashes, nothing is dead-lettered, every message of the
// bot's number is stored and handled exactly once.

const fixture = useWorkerKit();
const { database, redis } = fixture;
let kit: WorkerKit;
let runtime: WorkerRuntime;

beforeAll(() => {
  kit = fixture.kit;
  runtime = fixture.runtime;
});

/** Stage-1 jobs this runtime completed (completed jobs are removed from Redis at once). */
const completedWebhookJobs = async () =>
  (await runtime.deps.metrics.jobs.get()).values.find(
    (v) => v.labels.queue === 'webhook-events' && v.labels.outcome === 'completed',
  )?.value ?? 0;

describe('worker: every fixture payload', () => {
  it('handles all 44 fixtures without a failed job, storing each message of the number once', async () => {
    const bot = await kit.createBot({}, { phoneNumberId: '106000000000001' });
    const fixtures = loadMetaFixtures();
    expect(fixtures.length).toBeGreaterThanOrEqual(40);
    const expected = new Set<string>();
    for (const fixture of fixtures) {
      for (const event of normalizeWebhook(fixture.json)) {
        if (event.kind === 'message' && event.phoneNumberId === bot.phoneNumberId) expected.add(event.messageId);
      }
    }
    for (const fixture of fixtures) await kit.deliver(bot, fixture.json);

    const drainQueue = new Queue(physicalQueueName('conversations'), {
      connection: kit.redis,
      prefix: redis.current.prefix,
    });
    const idle = async () => {
      const webhooks = await kit.webhookJobCounts('wait', 'active', 'delayed', 'failed');
      const drains = await drainQueue.getJobCounts('wait', 'active', 'delayed', 'failed');
      return (await completedWebhookJobs()) === fixtures.length && !drains.wait && !drains.active && !drains.delayed
        ? { webhooks, drains }
        : null;
    };
    const counts = await eventually(idle, 20_000, 'queues idle');
    expect(counts.webhooks.failed).toBe(0);
    expect(counts.drains.failed).toBe(0);
    await drainQueue.close();

    const inbound = await eventually(async () => {
      const rows = await database.current.db.message.findMany({ where: { botId: bot.id, direction: 'inbound' } });
      return rows.length >= expected.size && rows.every((r) => r.status === 'handled') ? rows : null;
    }, 10_000);
    expect(new Set(inbound.map((r) => r.metaMessageId))).toEqual(expected);
    expect(inbound.length).toBe(expected.size);
    // The fixtures are older than 24 hours: no free-form text went out, each reply is recorded as window_closed.
    expect(kit.graph.sentMessages({ phoneNumberId: bot.phoneNumberId })).toHaveLength(0);
    const outbound = await database.current.db.message.findMany({ where: { botId: bot.id, direction: 'outbound' } });
    expect(outbound.length).toBeGreaterThan(0);
    expect(outbound.every((r) => r.status === 'failed' && r.errorTitle === 'window_closed')).toBe(true);
    const unsupported = inbound.find((r) => r.type === 'unsupported');
    expect(unsupported?.text).toBeTruthy();
  });
});
