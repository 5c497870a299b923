import type { MetaWebhookJob } from '@wabot/contracts';
import type { ShardedProducer, TypedProducer } from '@wabot/queue';

export interface WebhookBatcherOptions {
  /** Most events in one job. */
  maxEvents?: number;
  /** Most raw-body bytes in one job (a job is one Redis value). */
  maxBytes?: number;
  /**
   * An event Redis has not confirmed this long after it was enqueued is failed (the ingress answers
   * 503), whether its write is unconfirmed or it is still waiting for a write slot.
   */
  timeoutMs?: number;
  /**
   * Most writes awaiting Redis's confirmation at once. Events arriving while that many are in flight
   * wait for one to finish and then go together, so batches grow with the load (fewer, larger
   * BullMQ scripts) instead of the write rate. A full batch (maxEvents/maxBytes) never waits.
   */
  maxInFlight?: number;
  /** Told the number of events of every job written (group-commit batch sizes, for metrics). */
  onWrite?: (events: number) => void;
  /**
   * Runs after Redis confirmed a write and before its events are acknowledged (INGRESS_DURABILITY
   * replica: WAIT for the replicas); a rejection fails the batch's events like a failed write.
   */
  confirmWrite?: () => Promise<void>;
}

export interface WebhookBatcher {
  /**
   * Resolves with the id of the job that stored `event` once Redis confirmed the write; rejects
   * when the write failed (then none of that job's events was stored).
   */
  enqueue(event: MetaWebhookJob): Promise<string>;
}

interface Waiting {
  event: MetaWebhookJob;
  resolve: (jobId: string) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for webhook events. Requests whose bodies complete in the same turn of the event
 * loop are written as ONE job (`meta-webhook-batch`), so one Redis round trip and one BullMQ script
 * confirm them all; a lone event is written as a plain `meta-webhook` job. Nothing waits for a
 * batch to fill: the batch is flushed on `setImmediate`, right after the current I/O phase, so a
 * quiet ingress adds no latency and a busy one amortises Redis over many events. While `maxInFlight`
 * writes are unconfirmed the next batch keeps collecting until one of them settles (or times out),
 * which is the classic group commit: under load one write carries everything that arrived during
 * the previous round trip. Events keep their
 * arrival order inside a job, and jobs are written in flush order over one connection, so the
 * queue's jobs follow arrival order (the worker applies them one at a time in that order).
 * One batcher writes to one queue: see {@link createShardedWebhookBatcher} for the ingress's.
 */
export function createWebhookBatcher(
  producer: TypedProducer<'webhook-events'>,
  {
    maxEvents = 100,
    maxBytes = 2 * 1024 * 1024,
    timeoutMs = 2_000,
    maxInFlight = 1,
    onWrite,
    confirmWrite,
  }: WebhookBatcherOptions = {},
): WebhookBatcher {
  let pending: Waiting[] = [];
  let pendingBytes = 0;
  // When the oldest waiting event was enqueued: the batch's deadline counts from then.
  let pendingSince = 0;
  let scheduled = false;
  let inFlight = 0;

  const schedule = () => {
    if (scheduled || pending.length === 0) return;
    scheduled = true;
    setImmediate(flushWhenFree);
  };

  const flushWhenFree = () => {
    scheduled = false;
    // The batch keeps collecting; the write that frees a slot schedules it.
    if (inFlight < maxInFlight) flush();
  };

  const timeoutError = () => new Error(`Redis did not confirm within ${timeoutMs} ms`);

  const flush = () => {
    const batch = pending;
    const remainingMs = pendingSince + timeoutMs - Date.now();
    pending = [];
    pendingBytes = 0;
    const first = batch[0];
    if (!first) return;
    // Waited out its deadline behind an unconfirmed write: answered now, and not written (Meta
    // redelivers it, so writing it too would only store a duplicate).
    if (remainingMs <= 0) {
      const error = timeoutError();
      for (const waiting of batch) waiting.reject(error);
      return;
    }
    onWrite?.(batch.length);
    const added =
      batch.length === 1
        ? producer.add('meta-webhook', first.event)
        : producer.add('meta-webhook-batch', { events: batch.map((w) => w.event) });
    const write = confirmWrite ? added.then(async (job) => (await confirmWrite(), job)) : added;
    inFlight++;
    let slotHeld = true;
    const releaseSlot = () => {
      if (!slotHeld) return;
      slotHeld = false;
      inFlight--;
      schedule();
    };
    // One timer per write, not per request: a write still unconfirmed at the deadline fails its
    // events (a late confirmation then changes nothing: each promise settles once; Meta redelivers)
    // and gives up its slot, so a hung connection cannot hold back the batches behind it.
    const timer = setTimeout(() => {
      const error = timeoutError();
      for (const waiting of batch) waiting.reject(error);
      releaseSlot();
    }, remainingMs);
    write.then(
      ({ id }) => {
        clearTimeout(timer);
        for (const waiting of batch) waiting.resolve(id);
        releaseSlot();
      },
      (error: unknown) => {
        clearTimeout(timer);
        for (const waiting of batch) waiting.reject(error);
        releaseSlot();
      },
    );
  };

  return {
    enqueue(event) {
      return new Promise<string>((resolve, reject) => {
        if (pending.length > 0 && pendingBytes + event.rawBody.length > maxBytes) flush();
        if (pending.length === 0) pendingSince = Date.now();
        pending.push({ event, resolve, reject });
        pendingBytes += event.rawBody.length;
        if (pending.length >= maxEvents) flush();
        else schedule();
      });
    },
  };
}

export interface ShardedWebhookBatcher {
  /**
   * Resolves with the shard and the id of the job (in that shard's queue) that stored `event`, once
   * Redis confirmed the write; rejects when the write failed.
   */
  enqueue(event: MetaWebhookJob): Promise<{ shard: number; jobId: string }>;
}

/**
 * Group commit per stage-1 shard: one {@link createWebhookBatcher} state per shard queue, each
 * with its own batch, write slot and deadlines. An event goes to its bot's shard, so a job only
 * holds events of that shard's bots, in arrival order, and a webhook's 200 waits only for its own
 * shard's write (a slow or hung write on one shard does not hold back the others).
 */
export function createShardedWebhookBatcher(
  producers: ShardedProducer,
  options: WebhookBatcherOptions = {},
): ShardedWebhookBatcher {
  const batchers = producers.producers.map((producer) => createWebhookBatcher(producer, options));
  return {
    async enqueue(event) {
      const shard = producers.shardOf(event.botId);
      const batcher = batchers[shard];
      if (!batcher) throw new RangeError(`no batcher for shard ${shard}`);
      return { shard, jobId: await batcher.enqueue(event) };
    },
  };
}
