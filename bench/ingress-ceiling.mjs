// Benchmark 1 — ingress ceiling: a bare Fastify route vs. our ingress (signature + durable enqueue),
// same load tool, same machine, same run, keep-alive, fixed concurrency, ~1.5 KB signed webhooks.
//
// This machine's speed drifts by up to half between one minute and the next (other tenants; the
// load generator's own CPU per request is the tell), so one bare run followed by one ingress run
// measures the drift as much as the servers. Both servers stay up and are measured in alternating
// rounds (bare, ingress | ingress, bare | ...); the ratio is the median of the rounds' ratios.
import { execFileSync } from 'node:child_process';
import { DEFAULT_WEBHOOK_SHARDS, webhookQueueNames } from '@wabot/contracts';
import { startStack } from '@wabot/stack';
import { Queue } from 'bullmq';
import { runLoad } from './lib/autocannon-run.mjs';
import { rssMiB } from './lib/rss.mjs';
import { signedTextBodies } from './lib/webhook-bodies.mjs';

/** Baseline (a) as a stack member in the ingress's place: the bare Fastify route of bench/bare-server.mjs. */
export const BARE_SERVER = { service: 'ingress', id: 'bare', script: 'bench/bare-server.mjs' };

export async function benchIngressCeiling(stack, { durationS = 5, rounds = 5, connections = 64, warmupS = 3 } = {}) {
  const bot = await stack.createBot();
  const bodies = signedTextBodies(bot, { count: 2000, sizeBytes: 1500 });
  const path = `/api/bots/webhook/whatsapp/${bot.id}`;
  const result = { connections, durationS, rounds, bodyBytes: bodies[0].body.length };

  const servers = await startStack({
    services: ['ingress', BARE_SERVER],
    env: { ...stack.env, LOG_LEVEL: 'warn' },
    sourceMaps: false,
  });
  const bare = servers.get(BARE_SERVER.id);
  const ingress = servers.get('ingress');
  const urls = { bare: `${bare.url}${path}`, ingress: `${ingress.url}${path}` };
  const runs = { bare: [], ingress: [] };
  try {
    for (const side of ['bare', 'ingress']) await runLoad({ url: urls[side], bodies, connections, durationS: warmupS });
    for (let round = 0; round < rounds; round++) {
      for (const side of round % 2 === 0 ? ['bare', 'ingress'] : ['ingress', 'bare']) {
        await stack.flushRedis();
        const run = await runLoad({ url: urls[side], bodies, connections, durationS });
        // Every 200 must be a stored event: count what the round left in the queue.
        if (side === 'ingress') run.eventsStored = await countStoredEvents(stack);
        runs[side].push(run);
      }
    }
    result.bare = { ...summariseRuns(runs.bare), rssMiB: rssMiB(bare.pid) };
    result.ingress = { ...summariseRuns(runs.ingress), rssMiB: rssMiB(ingress.pid) };
  } finally {
    await servers.stop();
    await stack.flushRedis();
  }

  result.roundRatios = runs.ingress.map((run, i) => round3(run.requestsPerSecond / runs.bare[i].requestsPerSecond));
  result.ratio = median(result.roundRatios);
  result.ingress.answered2xx = result.ingress.totalRequests - result.ingress.non2xx;
  result.ingress.eventsStored = runs.ingress.reduce((sum, run) => sum + run.eventsStored, 0);
  result.targets = {
    ratio: { target: '>= 0.6', met: result.ratio >= 0.6 },
    // The issue's own bar for the ingress (the benchmarks issue asks for 0.6).
    ratioIngressIssue: { target: '>= 0.5', met: result.ratio >= 0.5 },
    p99: { target: '< 25 ms (worst round)', met: result.ingress.latencyMs.p99 < 25 },
    stored: {
      target: 'every 200 stored',
      met: result.ingress.eventsStored >= result.ingress.answered2xx,
    },
  };
  result.redisCeiling = redisCeiling(connections);
  return result;
}

/** Median throughput over the rounds; latency percentiles from the worst round. */
export function summariseRuns(runs) {
  const worst = (key) => Math.max(...runs.map((run) => run.latencyMs[key]));
  const sum = (key) => runs.reduce((total, run) => total + run[key], 0);
  return {
    requestsPerSecond: median(runs.map((run) => run.requestsPerSecond)),
    perRound: runs.map((run) => run.requestsPerSecond),
    totalRequests: sum('totalRequests'),
    non2xx: sum('non2xx'),
    errors: sum('errors'),
    latencyMs: {
      p50: median(runs.map((run) => run.latencyMs.p50)),
      p99: worst('p99'),
      p999: worst('p999'),
      max: worst('max'),
      mean: median(runs.map((run) => run.latencyMs.mean)),
    },
  };
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : round3((sorted[mid - 1] + sorted[mid]) / 2);
}

const round3 = (x) => Math.round(x * 1000) / 1000;

/**
 * Webhook events in the stage-1 shard queues' waiting jobs (a `meta-webhook-batch` job holds
 * several), read through BullMQ's Queue API, a page at a time.
 */
async function countStoredEvents(stack) {
  const shards = Number(stack.env.WEBHOOK_SHARDS ?? DEFAULT_WEBHOOK_SHARDS);
  const page = 500;
  let events = 0;
  for (const name of webhookQueueNames(shards)) {
    const queue = new Queue(name, { connection: stack.redis, prefix: stack.prefix });
    try {
      const waiting = await queue.getWaitingCount();
      for (let start = 0; start < waiting; start += page) {
        for (const job of await queue.getWaiting(start, start + page - 1)) {
          events += job.name === 'meta-webhook-batch' ? job.data.events.length : 1;
        }
      }
    } finally {
      await queue.close();
    }
  }
  return events;
}

/** redis-benchmark for the primitives an enqueue uses (BullMQ's add is one EVALSHA doing INCR, HSET, LPUSH, XADD). */
function redisCeiling(connections) {
  try {
    const out = execFileSync(
      'redis-benchmark',
      ['-h', '127.0.0.1', '-p', '6379', '-c', String(connections), '-n', '100000', '-q', '-t', 'incr,lpush,hset'],
      { encoding: 'utf8', timeout: 120_000 },
    );
    const rows = {};
    for (const line of out.split(/\r|\n/)) {
      const m = /^(\w+)[^:]*:\s+([\d.]+) requests per second/.exec(line.trim());
      if (m) rows[m[1].toLowerCase()] = Math.round(Number(m[2]));
    }
    const evalOut = execFileSync(
      'redis-benchmark',
      [
        '-h',
        '127.0.0.1',
        '-p',
        '6379',
        '-c',
        String(connections),
        '-n',
        '100000',
        '-q',
        'EVAL',
        "redis.call('INCR', KEYS[1]); redis.call('HSET', KEYS[2], 'data', ARGV[1]); redis.call('LPUSH', KEYS[3], ARGV[2]); return 1",
        '3',
        'wabot-bench-redis:id',
        'wabot-bench-redis:job',
        'wabot-bench-redis:wait',
        'x'.repeat(1500),
        '1',
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
    const m = /([\d.]+) requests per second/.exec(evalOut);
    if (m) rows.eval_enqueue_like = Math.round(Number(m[1]));
    execFileSync(
      'redis-cli',
      ['-h', '127.0.0.1', 'DEL', 'wabot-bench-redis:id', 'wabot-bench-redis:job', 'wabot-bench-redis:wait'],
      { stdio: 'ignore' },
    );
    return rows;
  } catch (error) {
    return { error: `redis-benchmark unavailable: ${error.message.split('\n')[0]}` };
  }
}
