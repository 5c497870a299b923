import { type MetaWebhookJob, physicalQueueName, webhookShardOf } from '@wabot/contracts';
import type { ShardedProducer, TypedProducer } from '@wabot/queue';
import { useTestRedis } from '@wabot/testing';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createShardedWebhookBatcher, createWebhookBatcher } from './webhook-batcher.js';
import { createWebhookProducer } from './webhook-producer.js';

const redis = useTestRedis();
const SHARDS = 2;
let webhooks: ShardedProducer;
/** Shard 0's producer: the single-queue batcher tests write there. */
let producer: TypedProducer<'webhook-events'>;
let connection: Redis;
let reader: Queue;
let readers: Queue[];
let readerConnection: Redis;

beforeAll(async () => {
  ({ webhooks, connection } = createWebhookProducer(redis.current.url, redis.current.prefix, SHARDS));
  const [first] = webhooks.producers;
  if (!first) throw new Error('no shard 0');
  producer = first;
  await producer.queue.waitUntilReady();
  readerConnection = new Redis(redis.current.url, { maxRetriesPerRequest: null });
  readers = Array.from(
    { length: SHARDS },
    (_, shard) =>
      new Queue(physicalQueueName('webhook-events', shard), {
        connection: readerConnection,
        prefix: redis.current.prefix,
      }),
  );
  [reader] = readers as [Queue];
});

afterAll(async () => {
  await webhooks?.close();
  await Promise.all((readers ?? []).map((queue) => queue.close()));
  readerConnection?.disconnect();
  connection?.disconnect();
});

const event = (botId: string, n: number): MetaWebhookJob => ({
  botId,
  rawBody: `{"object":"whatsapp_business_account","entry":[],"n":${n}}`,
  receivedAt: Date.now(),
  requestId: `req-${botId}-${n}`,
});

/** Every stored event of `botId` in one shard queue, in job-id order then position: the order the worker sees. */
async function storedEvents(botId: string, queue = reader) {
  const jobs = await queue.getJobs(['waiting']);
  jobs.sort((a, b) => Number(a.id) - Number(b.id));
  const events: { jobId: string; name: string; event: MetaWebhookJob }[] = [];
  for (const job of jobs) {
    const list: MetaWebhookJob[] = job.name === 'meta-webhook-batch' ? job.data.events : [job.data];
    for (const e of list) if (e.botId === botId) events.push({ jobId: String(job.id), name: job.name, event: e });
  }
  return events;
}

describe('createWebhookBatcher (group commit)', () => {
  it('writes a lone event as a plain meta-webhook job', async () => {
    const batcher = createWebhookBatcher(producer);
    const id = await batcher.enqueue(event('lone', 1));
    const stored = await storedEvents('lone');
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ jobId: id, name: 'meta-webhook', event: { requestId: 'req-lone-1' } });
  });

  it('confirms concurrent events with one job, in arrival order', async () => {
    const batcher = createWebhookBatcher(producer);
    const events = Array.from({ length: 50 }, (_, n) => event('burst', n));
    const ids = await Promise.all(events.map((e) => batcher.enqueue(e)));
    const stored = await storedEvents('burst');
    expect(stored.map((s) => s.event.requestId)).toEqual(events.map((e) => e.requestId));
    expect(new Set(ids).size).toBe(1);
    expect(stored.every((s) => s.name === 'meta-webhook-batch' && s.jobId === ids[0])).toBe(true);
  });

  it('splits at maxEvents and maxBytes, keeping order across jobs with ascending ids', async () => {
    const batcher = createWebhookBatcher(producer, { maxEvents: 7, maxBytes: 400 });
    const events = Array.from({ length: 40 }, (_, n) => event('split', n));
    const ids = await Promise.all(events.map((e) => batcher.enqueue(e)));
    const stored = await storedEvents('split');
    expect(stored.map((s) => s.event.requestId)).toEqual(events.map((e) => e.requestId));
    const jobIds = [...new Set(ids)].map(Number);
    expect(jobIds.length).toBeGreaterThan(40 / 7);
    expect([...jobIds].sort((a, b) => a - b)).toEqual(jobIds);
    for (const id of jobIds) {
      const inJob = stored.filter((s) => s.jobId === String(id));
      expect(inJob.length).toBeLessThanOrEqual(7);
      expect(inJob.reduce((sum, s) => sum + s.event.rawBody.length, 0)).toBeLessThanOrEqual(400);
    }
  });

  it('rejects every event of a batch whose write failed (nothing acknowledged that was not stored)', async () => {
    const dead = createWebhookProducer(redis.current.url, redis.current.prefix, SHARDS);
    const [deadProducer] = dead.webhooks.producers;
    if (!deadProducer) throw new Error('no shard 0');
    await deadProducer.queue.waitUntilReady();
    dead.connection.disconnect(); // Redis goes away after start: writes now fail fast
    try {
      const batcher = createWebhookBatcher(deadProducer);
      const results = await Promise.allSettled(Array.from({ length: 5 }, (_, n) => batcher.enqueue(event('dead', n))));
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected', 'rejected']);
    } finally {
      await dead.webhooks.close().catch(() => {});
      dead.connection.disconnect();
    }
  });
});

describe('createWebhookBatcher timeout', () => {
  it('fails every event of a write Redis does not confirm in time', async () => {
    const never = { ...producer, add: () => new Promise<{ id: string }>(() => {}) };
    const batcher = createWebhookBatcher(never, { timeoutMs: 50 });
    const started = Date.now();
    const results = await Promise.allSettled([batcher.enqueue(event('slow', 1)), batcher.enqueue(event('slow', 2))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(Date.now() - started).toBeLessThan(1_000);
    const first = results[0];
    expect(first?.status === 'rejected' ? String(first.reason) : '').toMatch(/did not confirm within 50 ms/);
  });
});

/** The real producer, with each write's confirmation held back until `release()` is called. */
function gatedProducer(real: TypedProducer<'webhook-events'>) {
  const gates: Array<() => void> = [];
  const writes: number[] = [];
  const gated: TypedProducer<'webhook-events'> = {
    ...real,
    add: (job, data, options) => {
      writes.push(job === 'meta-webhook-batch' ? (data as { events: unknown[] }).events.length : 1);
      const stored = real.add(job, data, options);
      return new Promise((resolve, reject) => gates.push(() => stored.then(resolve, reject)));
    },
  };
  return { gated, writes, release: () => gates.shift()?.() };
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('createWebhookBatcher in-flight limit', () => {
  it('collects the events arriving during an unconfirmed write into the next job, in order', async () => {
    const { gated, writes, release } = gatedProducer(producer);
    const batcher = createWebhookBatcher(gated, { maxInFlight: 1 });
    const first = batcher.enqueue(event('inflight', 0));
    await nextTurn();
    expect(writes).toEqual([1]);
    const later: Promise<string>[] = [];
    for (let n = 1; n <= 4; n++) {
      later.push(batcher.enqueue(event('inflight', n)));
      await nextTurn(); // each in its own event-loop turn: without the limit, each would be a write
    }
    expect(writes).toEqual([1]);
    release();
    const firstId = await first;
    await eventuallyWrites(writes, 2);
    expect(writes).toEqual([1, 4]);
    release();
    const laterIds = await Promise.all(later);
    expect(new Set(laterIds).size).toBe(1);
    expect(Number(laterIds[0])).toBeGreaterThan(Number(firstId));
    const stored = await storedEvents('inflight');
    expect(stored.map((s) => s.event.requestId)).toEqual([0, 1, 2, 3, 4].map((n) => `req-inflight-${n}`));
  });

  it('writes a full batch at once even while a write is in flight', async () => {
    const { gated, writes, release } = gatedProducer(producer);
    const batcher = createWebhookBatcher(gated, { maxInFlight: 1, maxEvents: 3 });
    const first = batcher.enqueue(event('full', 0));
    await nextTurn();
    const full = [1, 2, 3].map((n) => batcher.enqueue(event('full', n)));
    expect(writes).toEqual([1, 3]);
    release();
    release();
    await Promise.all([first, ...full]);
  });

  it('answers an event waiting behind a hung write within its own timeout (not two), then recovers', async () => {
    let calls = 0;
    const hangsTwice: TypedProducer<'webhook-events'> = {
      ...producer,
      add: (job, data, options) => (calls++ < 2 ? new Promise(() => {}) : producer.add(job, data, options)),
    };
    const timeoutMs = 500;
    const batcher = createWebhookBatcher(hangsTwice, { maxInFlight: 1, timeoutMs });
    const hung = batcher.enqueue(event('hung', 0));
    await new Promise((resolve) => setTimeout(resolve, 250));
    const behindAt = Date.now();
    const behind = batcher.enqueue(event('hung', 1));
    await expect(hung).rejects.toThrow(`did not confirm within ${timeoutMs} ms`);
    await expect(behind).rejects.toThrow(`did not confirm within ${timeoutMs} ms`);
    // Its deadline counts from its own enqueue: ≈ 500 ms, where a fresh timer per write gave ≈ 750.
    expect(Date.now() - behindAt).toBeLessThan(timeoutMs + 150);
    // Both hung writes gave up their slot: the next event is written as usual.
    await expect(batcher.enqueue(event('hung', 2))).resolves.toMatch(/^\d+$/);
    expect((await storedEvents('hung')).map((s) => s.event.requestId)).toEqual(['req-hung-2']);
  });

  it('answers an event that waited out its deadline for a slot without writing it (Meta redelivers it)', async () => {
    let calls = 0;
    const never: TypedProducer<'webhook-events'> = {
      ...producer,
      add: () => {
        calls++;
        return new Promise(() => {});
      },
    };
    const realNow = Date.now.bind(Date);
    let skew = 0;
    const clock = vi.spyOn(Date, 'now').mockImplementation(() => realNow() + skew);
    try {
      const batcher = createWebhookBatcher(never, { maxInFlight: 1, timeoutMs: 50 });
      const first = batcher.enqueue(event('expired', 0));
      await nextTurn();
      const waiting = batcher.enqueue(event('expired', 1));
      skew = 60_000; // the waiting event's deadline passes before the slot frees
      await expect(first).rejects.toThrow(/did not confirm/);
      await expect(waiting).rejects.toThrow(/did not confirm within 50 ms/);
      expect(calls).toBe(1);
    } finally {
      clock.mockRestore();
    }
  });
});

async function eventuallyWrites(writes: number[], count: number) {
  for (let i = 0; i < 100 && writes.length < count; i++) await nextTurn();
}

/** Two bot ids on different shards. */
function botsOnTwoShards(): [string, string] {
  const first = 'bot-shard-a';
  for (let n = 0; ; n++) {
    const other = `bot-shard-b${n}`;
    if (webhookShardOf(other, SHARDS) !== webhookShardOf(first, SHARDS)) return [first, other];
  }
}

describe('createShardedWebhookBatcher (group commit per shard)', () => {
  it("writes one job per shard for a turn's events, each holding only its shard's events in arrival order", async () => {
    const [a, b] = botsOnTwoShards();
    const batcher = createShardedWebhookBatcher(webhooks);
    const events = Array.from({ length: 20 }, (_, n) => event(n % 3 === 0 ? b : a, n));
    const results = await Promise.all(events.map((e) => batcher.enqueue(e)));
    for (const bot of [a, b]) {
      const shard = webhookShardOf(bot, SHARDS);
      const mine = events.filter((e) => e.botId === bot);
      const stored = await storedEvents(bot, readers[shard]);
      expect(stored.map((s) => s.event.requestId)).toEqual(mine.map((e) => e.requestId));
      expect(stored.every((s) => s.name === 'meta-webhook-batch')).toBe(true);
      expect(new Set(results.filter((_, n) => events[n]?.botId === bot).map((r) => `${r.shard}/${r.jobId}`)).size).toBe(
        1,
      );
      expect(results.filter((_, n) => events[n]?.botId === bot).every((r) => r.shard === shard)).toBe(true);
      // Nothing of this bot in the other shard.
      expect(await storedEvents(bot, readers[1 - shard])).toEqual([]);
    }
  });

  it("answers a shard's webhooks while another shard's write hangs (each waits only for its own write)", async () => {
    const [a, b] = botsOnTwoShards();
    const hungShard = webhookShardOf(a, SHARDS);
    const hanging: TypedProducer<'webhook-events'> = { ...producer, add: () => new Promise(() => {}) };
    const producers = webhooks.producers.map((p, shard) => (shard === hungShard ? hanging : p));
    const batcher = createShardedWebhookBatcher({ ...webhooks, producers }, { timeoutMs: 1_000 });
    const hung = batcher.enqueue(event(a, 0));
    await nextTurn();
    const started = Date.now();
    const results = await Promise.all(
      [1, 2, 3].map(async (n) => {
        await nextTurn(); // each in its own turn: they queue behind the hung write only if slots were shared
        return batcher.enqueue(event(b, n));
      }),
    );
    expect(Date.now() - started).toBeLessThan(500);
    expect(results.every((r) => r.shard === webhookShardOf(b, SHARDS))).toBe(true);
    await expect(hung).rejects.toThrow(/did not confirm within 1000 ms/);
  });
});
