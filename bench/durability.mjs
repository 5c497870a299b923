// Benchmark 8 — durable acknowledgement (INGRESS_DURABILITY): the ingress/bare ratio when the 200
// waits for Redis's fsync of every write (`fsync`, appendfsync always), for a replica (`replica`,
// WAIT 1 after every group-commit write), or for Redis's answer alone (`none`, appendfsync
// everysec). Each mode runs on redis-servers of its own (ports 4700–4799, fresh directories),
// measured in alternating rounds against the bare Fastify route, as benchmark 1 does.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startStack } from '@wabot/stack';
import { Redis } from 'ioredis';
import { BARE_SERVER } from './ingress-ceiling.mjs';
import { runLoad } from './lib/autocannon-run.mjs';
import { signedTextBodies } from './lib/webhook-bodies.mjs';

const portFree = (port) =>
  new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

async function freePorts(count) {
  const ports = [];
  for (let port = 4700; port <= 4799 && ports.length < count; port++) if (await portFree(port)) ports.push(port);
  if (ports.length < count) throw new Error('no free ports in 4700-4799 for redis-server');
  return ports;
}

async function waitFor(check, what) {
  for (let i = 0; i < 200; i++) {
    if (await check().catch(() => false)) return;
    await sleep(50);
  }
  throw new Error(`${what} did not come up`);
}

/** A primary (and, for `replica`, one replica) with the persistence of `mode`. */
async function startRedis(mode) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wabot-bench-durability-'));
  const [primaryPort, replicaPort] = await freePorts(2);
  const children = [];
  const base = (port) => ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', ''];
  const fsync = mode === 'fsync' ? 'always' : 'everysec';
  children.push(
    spawn(
      'redis-server',
      [...base(primaryPort), '--appendonly', 'yes', '--appendfsync', fsync, '--appendfilename', 'p.aof'],
      {
        stdio: 'ignore',
      },
    ),
  );
  const primary = new Redis({ port: primaryPort, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => 50 });
  primary.on('error', () => {});
  await waitFor(async () => (await primary.ping()) === 'PONG', 'redis-server');
  if (mode === 'replica') {
    children.push(
      spawn(
        'redis-server',
        [...base(replicaPort), '--replicaof', '127.0.0.1', String(primaryPort), '--appendonly', 'no'],
        {
          stdio: 'ignore',
        },
      ),
    );
    await waitFor(async () => /connected_slaves:1/.test(await primary.info('replication')), 'the replica');
  }
  return {
    url: `redis://127.0.0.1:${primaryPort}`,
    async close() {
      primary.disconnect();
      for (const child of children) child.kill('SIGKILL');
      await sleep(100);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function runDurability(stack, { quick }) {
  const durationS = quick ? 2 : 4;
  const rounds = quick ? 1 : 3;
  const connections = quick ? 16 : 64;
  const bot = await stack.createBot();
  const bodies = signedTextBodies(bot, { count: 2000, sizeBytes: 1500 });
  const webhookPath = `/api/bots/webhook/whatsapp/${bot.id}`;
  const result = { connections, durationS, rounds, modes: {} };
  for (const mode of ['none', 'fsync', 'replica']) {
    const redis = await startRedis(mode);
    const servers = await startStack({
      services: [{ service: 'ingress', env: { INGRESS_DURABILITY: mode } }, BARE_SERVER],
      env: { ...stack.env, REDIS_URL: redis.url, LOG_LEVEL: 'warn' },
      sourceMaps: false,
    });
    const urls = {
      bare: `${servers.get(BARE_SERVER.id).url}${webhookPath}`,
      ingress: `${servers.get('ingress').url}${webhookPath}`,
    };
    const runs = { bare: [], ingress: [] };
    try {
      for (const side of ['bare', 'ingress']) await runLoad({ url: urls[side], bodies, connections, durationS: 1 });
      for (let round = 0; round < rounds; round++) {
        for (const side of round % 2 === 0 ? ['bare', 'ingress'] : ['ingress', 'bare']) {
          runs[side].push(await runLoad({ url: urls[side], bodies, connections, durationS }));
        }
      }
    } finally {
      await servers.stop();
      await redis.close();
    }
    const ratios = runs.ingress.map(
      (run, i) => Math.round((run.requestsPerSecond / runs.bare[i].requestsPerSecond) * 1000) / 1000,
    );
    const sorted = [...ratios].sort((a, b) => a - b);
    result.modes[mode] = {
      ingressRps: Math.round(median(runs.ingress.map((run) => run.requestsPerSecond))),
      bareRps: Math.round(median(runs.bare.map((run) => run.requestsPerSecond))),
      ratio: sorted[Math.floor(sorted.length / 2)],
      roundRatios: ratios,
      p99Ms: Math.max(...runs.ingress.map((run) => run.latencyMs.p99)),
      non2xx: runs.ingress.reduce((sum, run) => sum + run.non2xx, 0),
    };
  }
  return result;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

const LABELS = {
  none: 'none (appendfsync everysec)',
  fsync: 'fsync (appendfsync always)',
  replica: 'replica (WAIT 1 per write)',
};

export const benchmarks = [
  {
    id: 'durability',
    key: 'durability',
    title: '8. durable acknowledgement: ingress/bare ratio per INGRESS_DURABILITY',
    run: runDurability,
    rows: (r) =>
      Object.entries(r.modes).map(([mode, m], i) => [
        i === 0 ? 'durability' : '',
        `${LABELS[mode]}: ingress req/s, ratio, p99 ms, non-2xx`,
        `${m.ingressRps}, ${m.ratio} (${m.roundRatios.join(' / ')}), ${m.p99Ms}, ${m.non2xx}`,
        '',
      ]),
    groups: (r) => [
      {
        title: `Ingress req/s by INGRESS_DURABILITY (${r.connections} connections)`,
        unit: 'req/s',
        bars: Object.entries(r.modes).map(([mode, m]) => ({
          label: LABELS[mode],
          value: m.ingressRps,
          note: `(ratio ${m.ratio})`,
        })),
      },
    ],
  },
];
