// One measured load run over the whole path, and the message plans the benchmarks use.
import pg from 'pg';
import { pidsNamed, startCpuMeter } from './cpu-usage.mjs';
import { startPipeline } from './pipeline.mjs';
import { createReplyTracker } from './reply-tracker.mjs';
import { benchUser, signedTextMessage } from './webhook-bodies.mjs';
import { createPoster, postSequences } from './webhook-load.mjs';

// Meta allows at most 1000 msg/s per phone number (settings cap it there too) and every inbound
// message costs two rate-limited Graph calls (read receipt + reply), so one number tops out at
// 500 msg/s: the throughput runs spread their users over several numbers, as a real fleet does.
export const THROUGHPUT_BOTS = 4;
export const THROUGHPUT_RATE_LIMIT = 1000;

/** Worker knobs for every run (recorded in the results); BENCH_WORKER_CONCURRENCY overrides the default. */
function workerTuning() {
  return process.env.BENCH_WORKER_CONCURRENCY ? { WORKER_CONCURRENCY: process.env.BENCH_WORKER_CONCURRENCY } : {};
}

let userCounter = 0;
let runCounter = 0;
/** `count` users never used before in this bench run (fresh conversations, empty history). */
export const freshUsers = (count) => Array.from({ length: count }, () => benchUser(++userCounter));

function makeBody({ bot, user, timestamp }, text) {
  const path = `/api/bots/webhook/whatsapp/${bot.id}`;
  return { path, ...signedTextMessage(bot, user, text, timestamp === undefined ? {} : { timestamp }) };
}

/** `count` messages from `count / perUser` users, interleaved so one user's messages are far apart. */
export function interleavedPlan(bots, count, perUser = 3) {
  const users = freshUsers(Math.max(1, Math.ceil(count / perUser)));
  return Array.from({ length: count }, (_, i) => ({
    bot: bots[(i % users.length) % bots.length],
    user: users[i % users.length],
    userSeq: Math.floor(i / users.length),
  }));
}

/** `users × perUser` messages as per-user sequences with increasing Meta timestamps. */
export function perUserSequences(bots, users, perUser) {
  const baseTs = Math.floor(Date.now() / 1000) - perUser - 5;
  return freshUsers(users).map((user, u) =>
    Array.from({ length: perUser }, (_, k) => ({
      bot: bots[u % bots.length],
      user,
      userSeq: k,
      timestamp: String(baseTs + k),
    })),
  );
}

/**
 * One measured run on a fresh pipeline: a warm-up burst (JIT, connection pools, bot caches), then
 * `load(poster, tracker)`, then waiting for every reply. Always stops the processes it started.
 * `createTracker(pipeline, runTag, plan, makeBody)` builds the measured run's tracker (default: one
 * reply per message, `createReplyTracker`); its summary's `handled` (else `replies`) is the count
 * the per-message figures divide by.
 */
export async function measuredRun(
  stack,
  {
    workers,
    bots,
    plan,
    load,
    onPipeline,
    warmup = 300,
    settleTimeoutMs = 90_000,
    connections = 64,
    extraEnv = {},
    createTracker = createReplyTracker,
  },
) {
  const before = await serverCounters(stack);
  const pipeline = await startPipeline(stack, { workers, workerEnv: workerTuning(), extraEnv });
  const poster = createPoster(pipeline.ingress.url, { connections });
  let unwatch = () => {};
  let result;
  let handled = 0;
  try {
    if (warmup > 0) {
      const warm = createReplyTracker(pipeline, `w${++runCounter}`, interleavedPlan(bots, warmup, 1), makeBody);
      await postSequences(
        poster,
        warm.items.map((item) => [item]),
        { concurrency: 32 },
      );
      await warm.settle({ timeoutMs: 30_000, idleMs: 5_000 });
      warm.stop();
      handled += warm.counts.replies;
    }
    const tracker = createTracker(pipeline, `r${++runCounter}`, plan, makeBody);
    unwatch = onPipeline?.(pipeline) ?? unwatch;
    const meter = startCpuMeter({
      ingress: () => [pipeline.ingress.pid],
      workers: () => pipeline.workers.map((w) => w.pid),
      benchProcess: () => [process.pid],
      redis: () => pidsNamed('redis-server'),
      postgres: () => pidsNamed('postgres'),
    });
    await load(poster, tracker);
    await tracker.settle({ timeoutMs: settleTimeoutMs, idleMs: 10_000 });
    const cpu = meter.stop();
    tracker.stop();
    const summary = tracker.summary();
    const measured = summary.handled ?? summary.replies;
    handled += measured;
    cpu.msPerMessage = Object.fromEntries(
      Object.entries(cpu.cpuSeconds).map(([name, s]) => [
        name,
        Math.round((s * 1000 * 100) / Math.max(1, measured)) / 100,
      ]),
    );
    result = {
      workers,
      pids: { ingress: pipeline.ingress.pid, workers: pipeline.workers.map((w) => w.pid) },
      workerTuning: workerTuning(),
      ...summary,
      webhookRetries: poster.counts.retries,
      webhookFailures: poster.counts.failed,
      cpu,
      rssMiB: pipeline.rss(),
      workerCounters: await pipeline.workerCounters(),
      serviceWarnings: pipeline.problems(),
    };
  } finally {
    unwatch();
    poster.close();
    await pipeline.stop();
    await stack.flushRedis();
  }
  // Backends flush their statistics when they exit, so this is read after the stop; it covers the
  // warm-up too, hence per handled message.
  const after = await serverCounters(stack);
  result.perMessage = Object.fromEntries(
    Object.keys(after).map((k) => [k, Math.round(((after[k] - before[k]) / Math.max(1, handled)) * 10) / 10]),
  );
  return result;
}

/**
 * PostgreSQL work on the bench database (transactions = statements outside explicit
 * transactions, rows) and Redis commands (whole server: other users of it count too).
 */
async function serverCounters(stack) {
  const client = new pg.Client({ connectionString: stack.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query(
      'SELECT xact_commit + xact_rollback AS pg_transactions, tup_returned + tup_fetched AS pg_rows_read, tup_inserted + tup_updated + tup_deleted AS pg_rows_written FROM pg_stat_database WHERE datname = current_database()',
    );
    const info = await stack.redis.info('stats');
    const redisCommands = Number(/total_commands_processed:(\d+)/.exec(info)?.[1] ?? 0);
    const row = rows[0] ?? {};
    return {
      pgTransactions: Number(row.pg_transactions),
      pgRowsRead: Number(row.pg_rows_read),
      pgRowsWritten: Number(row.pg_rows_written),
      redisCommands,
    };
  } finally {
    await client.end();
  }
}

export async function createThroughputBots(stack) {
  const bots = [];
  for (let i = 0; i < THROUGHPUT_BOTS; i++)
    bots.push(await stack.createBot({ rateLimitPerSecond: THROUGHPUT_RATE_LIMIT }));
  return bots;
}
