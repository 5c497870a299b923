import { randomBytes } from 'node:crypto';
import { physicalQueueName } from '@wabot/contracts';
import { DEVELOPMENT_SECRETS_KEY } from '@wabot/secrets';
import { createSecretScan, jsonMutationsArbitrary, loadMetaFixtures, mutateJson } from '@wabot/testing';
import { Queue } from 'bullmq';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventually, useWorkerKit, type WorkerKit } from '../testing/worker.test-kit.js';
import type { WorkerRuntime } from '../worker-runtime.js';

// Meta's payloads mutated at random (fast-check), as the ingress would have enqueued them, through
// the whole worker: stage 1 (normalization, routing, statuses), the conversation drains, the
// engine and the Graph simulator. No job fails, the worker keeps running and logs no error, and
// no credential shows in its logs or rows.

// A short stage-1 retry budget: a job that throws fails for good within a second, and shows here.
const fixture = useWorkerKit({ config: { STAGE1_RETRY_BUDGET_MS: '300' } });
const { database, redis } = fixture;
const scan = createSecretScan();
let kit: WorkerKit;
let runtime: WorkerRuntime;
const PAYLOADS = 150;
/** Printed on failure, so a failing set of payloads can be generated again. */
const SEED = randomBytes(4).readInt32LE();

beforeAll(() => {
  kit = fixture.kit;
  runtime = fixture.runtime;
});

const completedWebhookJobs = async () =>
  (await runtime.deps.metrics.jobs.get()).values.find(
    (v) => v.labels.queue === 'webhook-events' && v.labels.outcome === 'completed',
  )?.value ?? 0;

describe(`worker fuzzing (fast-check seed ${SEED})`, () => {
  it('mutated Meta payloads: every stage-1 job completes, no drain fails, no error logged', async () => {
    const accessToken = `EAAT${randomBytes(20).toString('hex')}`;
    scan.add('access token', accessToken);
    scan.add('SECRETS_KEY', DEVELOPMENT_SECRETS_KEY);
    if (kit.config.LLM_API_KEY) scan.add('LLM_API_KEY', kit.config.LLM_API_KEY);
    // The fixtures' phone number: mutated messages still reach this bot's conversations.
    const bot = await kit.createBot({}, { phoneNumberId: '106000000000001', accessToken });
    const fixtures = loadMetaFixtures();
    const payloads = fc
      .sample(
        fc
          .tuple(fc.constantFrom(...fixtures), jsonMutationsArbitrary(4))
          .map(([f, mutations]) => mutateJson(f.json, mutations)),
        { numRuns: PAYLOADS, seed: SEED },
      )
      // The ingress only enqueues a WhatsApp envelope; the rest of the body is anything.
      .filter(
        (payload) =>
          typeof payload === 'object' &&
          payload !== null &&
          !Array.isArray(payload) &&
          payload.object === 'whatsapp_business_account' &&
          Array.isArray(payload.entry),
      );
    expect(payloads.length).toBeGreaterThan(PAYLOADS / 2);
    await kit.deliverMany(bot, payloads);

    const drainQueue = new Queue(physicalQueueName('conversations'), {
      connection: kit.redis,
      prefix: redis.current.prefix,
    });
    try {
      const counts = await eventually(
        async () => {
          const drains = await drainQueue.getJobCounts('wait', 'active', 'delayed', 'failed');
          const webhooks = await kit.webhookJobCounts('wait', 'active', 'delayed', 'failed');
          return (await completedWebhookJobs()) + (webhooks.failed ?? 0) >= payloads.length &&
            !drains.wait &&
            !drains.active &&
            !drains.delayed
            ? { webhooks, drains }
            : null;
        },
        30_000,
        'queues idle',
      );
      expect(counts.webhooks.failed, `seed ${SEED}`).toBe(0);
      expect(counts.drains.failed, `seed ${SEED}`).toBe(0);
    } finally {
      await drainQueue.close();
    }
    expect(await completedWebhookJobs()).toBe(payloads.length);
    const errors = kit.logs.entries().filter((entry) => typeof entry.level === 'number' && entry.level >= 50);
    expect(
      errors.map((entry) => entry.msg),
      `seed ${SEED}`,
    ).toEqual([]);
    // Some mutations kept a message whole: the fuzzing reached the conversations, not only stage 1.
    expect(await database.current.db.message.count({ where: { botId: bot.id, direction: 'inbound' } })).toBeGreaterThan(
      0,
    );
  });

  it('no credential in clear in the worker log or the database', async () => {
    for (const [index, line] of kit.logs.lines().entries()) scan.record(`worker log line ${index}`, line);
    await scan.recordDatabase(database.current.url);
    await scan.recordRedis(redis.current.url, redis.current.prefix);
    expect(scan.records).toBeGreaterThan(50);
    expect(scan.leaks()).toEqual([]);
  });
});
