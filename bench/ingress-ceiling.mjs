// Benchmark 1 — ingress ceiling: a bare Fastify route vs. our ingress (signature + durable enqueue),
// same load tool, same machine, same run, keep-alive, fixed concurrency, ~1.5 KB signed webhooks.
import { execFileSync } from 'node:child_process';
import { startServiceProcess } from '@wabot/testing';
import { runLoad } from './lib/autocannon-run.mjs';
import { rssMiB, startBareServer } from './lib/processes.mjs';
import { signedTextBodies } from './lib/webhook-bodies.mjs';

export async function benchIngressCeiling(stack, { durationS = 10, connections = 64, warmupS = 3 } = {}) {
  const bot = await stack.createBot();
  const bodies = signedTextBodies(bot, { count: 2000, sizeBytes: 1500 });
  const path = `/api/bots/webhook/whatsapp/${bot.id}`;
  const result = { connections, durationS, bodyBytes: bodies[0].body.length };

  const bare = await startBareServer();
  try {
    await runLoad({ url: `http://127.0.0.1:${bare.port}${path}`, bodies, connections, durationS: warmupS });
    result.bare = await runLoad({ url: `http://127.0.0.1:${bare.port}${path}`, bodies, connections, durationS });
    result.bare.rssMiB = rssMiB(bare.pid);
  } finally {
    await bare.stop();
  }

  const ingress = await startServiceProcess('ingress', { ...stack.env, LOG_LEVEL: 'warn' });
  try {
    await runLoad({ url: `${ingress.url}${path}`, bodies, connections, durationS: warmupS });
    await stack.flushRedis();
    result.ingress = await runLoad({ url: `${ingress.url}${path}`, bodies, connections, durationS });
    result.ingress.rssMiB = rssMiB(ingress.child.pid);
    // Every 200 must be a stored job: count what is waiting in the queue.
    result.ingress.jobsEnqueued = await stack.redis.llen(`${stack.prefix}:webhook-events:wait`);
  } finally {
    await ingress.stop();
    await stack.flushRedis();
  }

  result.ratio = Math.round((result.ingress.requestsPerSecond / result.bare.requestsPerSecond) * 1000) / 1000;
  result.targets = {
    ratio: { target: '>= 0.6', met: result.ratio >= 0.6 },
    p99: { target: '< 25 ms', met: result.ingress.latencyMs.p99 < 25 },
  };
  result.redisCeiling = redisCeiling(connections);
  return result;
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
