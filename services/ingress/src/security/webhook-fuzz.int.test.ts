import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  createSecretScan,
  jsonMutationsArbitrary,
  loadMetaFixtures,
  mutateJson,
  useTestDatabase,
  useTestRedis,
} from '@wabot/testing';
import { normalizeWebhook, signWebhookBody } from '@wabot/whatsapp';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIngressHarness, type IngressHarness } from '../testing/ingress-harness.js';

// Property-based fuzzing of what a sender can post, correctly signed so it gets past the
// signature: arbitrary JSON, arbitrary bytes, and Meta's own payloads mutated at random. The
// ingress answers 200 or 4xx (never 5xx), whatever it enqueued the worker's normalization takes
// without throwing, and the heap does not grow with the number of requests.

const database = useTestDatabase();
const redis = useTestRedis();
const scan = createSecretScan();
let ingress: IngressHarness;
let bot: Awaited<ReturnType<IngressHarness['createBot']>>;
const fixtures = loadMetaFixtures();
const statuses = new Map<number, number>();
/** Bounded: the whole file runs in a few seconds (fast-check prints the seed of a failure to replay it). */
const RUNS = { json: 100, envelope: 150, mutated: 400, bytes: 100 };

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
const heapUsed = () => {
  collectGarbage();
  return process.memoryUsage().heapUsed;
};

beforeAll(async () => {
  ingress = await createIngressHarness(database.current, redis.current, scan);
  bot = await ingress.createBot();
});

afterAll(async () => {
  await ingress?.close();
});

/** Posts `body` signed with the bot's secret; fails on a 5xx or a signature refusal; returns the status. */
async function postSigned(body: Buffer): Promise<number> {
  const res = await ingress.post(bot.id, body, signWebhookBody(bot.appSecret, body));
  statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
  expect(res.status, `${res.status} for ${body.toString().slice(0, 200)}`).toBeLessThan(500);
  expect(res.status, 'a correctly signed body').not.toBe(401);
  expect(() => JSON.parse(res.body), 'every answer is JSON').not.toThrow();
  return res.status;
}

/** The worker's first step on an accepted body: normalization never throws and yields a list. */
function normalizes(rawBody: string) {
  const events = normalizeWebhook(JSON.parse(rawBody));
  expect(Array.isArray(events)).toBe(true);
  return events.length;
}

describe('webhook fuzzing (fast-check)', () => {
  it('arbitrary JSON bodies: 4xx unless an envelope, never 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        const status = await postSigned(Buffer.from(JSON.stringify(value) ?? 'null'));
        expect([200, 400]).toContain(status);
      }),
      { numRuns: RUNS.json },
    );
  });

  it('arbitrary entries in a WhatsApp envelope: accepted, and normalized without a throw', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.jsonValue({ maxDepth: 6 }), { maxLength: 4 }), async (entry) => {
        const raw = JSON.stringify({ object: 'whatsapp_business_account', entry });
        expect(await postSigned(Buffer.from(raw))).toBe(200);
        normalizes(raw);
      }),
      { numRuns: RUNS.envelope },
    );
  });

  it("Meta's payloads mutated at random: 200 or 400, never 5xx; accepted ones normalize", async () => {
    const start = heapUsed();
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...fixtures), jsonMutationsArbitrary(), async (fixture, mutations) => {
        const raw = JSON.stringify(mutateJson(fixture.json, mutations));
        const status = await postSigned(Buffer.from(raw));
        expect([200, 400]).toContain(status);
        if (status === 200) {
          accepted++;
          normalizes(raw);
        }
      }),
      { numRuns: RUNS.mutated },
    );
    // Most mutations keep the envelope: the fuzzing reached the queue and the normalizer.
    expect(accepted).toBeGreaterThan(RUNS.mutated / 2);
    // Memory bounded: 400 requests leave no more than a few MiB behind (a leak per request would show).
    expect(heapUsed() - start).toBeLessThan(24 * 1024 * 1024);
  });

  it('arbitrary bytes (invalid UTF-8, not JSON, empty): 4xx, never 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), async (bytes) => {
        const status = await postSigned(Buffer.from(bytes));
        expect(status).toBeGreaterThanOrEqual(400);
      }),
      { numRuns: RUNS.bytes },
    );
  });

  it('everything enqueued is byte for byte what was posted and normalizes; the ingress stays ready', async () => {
    const jobs = await ingress.jobs();
    expect(jobs.length).toBeGreaterThan(RUNS.envelope);
    let events = 0;
    for (const job of jobs) events += normalizes(job.rawBody);
    expect(events).toBeGreaterThan(0);
    expect((await ingress.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    expect([...statuses.keys()].every((status) => status < 500)).toBe(true);
  });

  it('no secret in clear in any log line, response, job or row', async () => {
    for (const [index, body] of ingress.bodies.entries()) scan.record(`response ${index}`, body);
    for (const [index, line] of ingress.logs.lines().entries()) scan.record(`log line ${index}`, line);
    await scan.recordDatabase(database.current.url);
    await scan.recordRedis(redis.current.url, redis.current.prefix);
    expect(scan.records).toBeGreaterThan(RUNS.mutated);
    expect(scan.leaks()).toEqual([]);
  });
});
