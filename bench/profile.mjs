// CPU profiles of the ingress and a worker under end-to-end load (node --cpu-prof), summarised as
// self time per area and per function. Used for docs/performance.md; profiles stay out of git.
// Usage: node bench/profile.mjs [--messages 3000] [--workers 1] [--dir /tmp/wabot-cpuprof]
//        node bench/profile.mjs --ingress-only [--seconds 10]   (the ingress alone under benchmark 1's load)
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startStack } from '@wabot/stack';
import pg from 'pg';
import { runLoad } from './lib/autocannon-run.mjs';
import { formatSummary, summariseCpuProfile } from './lib/cpuprofile-summary.mjs';
import { createThroughputBots, interleavedPlan, measuredRun } from './lib/e2e-run.mjs';
import { flameGraphSvg } from './lib/flamegraph.mjs';
import { createBenchStack } from './lib/stack.mjs';
import { signedTextBodies } from './lib/webhook-bodies.mjs';
import { postSequences } from './lib/webhook-load.mjs';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '3000' },
    workers: { type: 'string', default: '1' },
    'ingress-only': { type: 'boolean', default: false },
    seconds: { type: 'string', default: '10' },
    dir: { type: 'string', default: path.join(os.tmpdir(), `wabot-cpuprof-${Date.now()}`) },
  },
});
const dir = path.resolve(values.dir);
mkdirSync(dir, { recursive: true });
const stack = await createBenchStack();
if (values['ingress-only']) {
  await profileIngressOnly();
  process.exit(0);
}
let run;
let tableStats = [];
try {
  const bots = await createThroughputBots(stack);
  run = await measuredRun(stack, {
    workers: Number(values.workers),
    bots,
    warmup: 300,
    plan: interleavedPlan(bots, Number(values.messages)),
    load: (poster, tracker) =>
      postSequences(
        poster,
        tracker.items.map((item) => [item]),
        { concurrency: 64 },
      ),
    // Profiles are written when the process exits, i.e. at the graceful stop after the run.
    extraEnv: { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${dir}` },
  });
  tableStats = await tableScans(stack.databaseUrl);
} finally {
  await stack.close();
}

/** Sequential vs. index scans per table of the bench database over the run (missing indexes show here). */
async function tableScans(databaseUrl) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query(
      'SELECT relname, seq_scan, seq_tup_read, idx_scan, n_live_tup FROM pg_stat_user_tables WHERE seq_scan + coalesce(idx_scan, 0) > 0 ORDER BY seq_tup_read DESC',
    );
    return rows;
  } finally {
    await client.end();
  }
}
const { pids, messages, replies, messagesPerSecond, latencyMs, cpu } = run;
console.log(
  `# CPU profile run: ${messages} messages, ${replies} replies, ${messagesPerSecond} msg/s, p50/p99 ${latencyMs.p50}/${latencyMs.p99} ms`,
);
console.log(
  `CPU seconds during the load: ${JSON.stringify(cpu.cpuSeconds)}; ms per message: ${JSON.stringify(cpu.msPerMessage)}; machine busy ${cpu.machineBusyPct} %\n`,
);
console.log(`per handled message: ${JSON.stringify(run.perMessage)}\n`);
console.log('| table | seq scans | rows read by seq scans | index scans | live rows |\n|---|---:|---:|---:|---:|');
for (const t of tableStats)
  console.log(`| ${t.relname} | ${t.seq_scan} | ${t.seq_tup_read} | ${t.idx_scan} | ${t.n_live_tup} |`);
console.log('');
const role = (file) => {
  const pid = Number(file.split('.')[3]);
  if (pid === pids.ingress) return 'ingress';
  const n = pids.workers.indexOf(pid);
  return n >= 0 ? `worker ${n + 1}` : `pid ${pid}`;
};
for (const file of readdirSync(dir)
  .filter((f) => f.endsWith('.cpuprofile'))
  .sort()) {
  console.log(`${formatSummary(summariseCpuProfile(path.join(dir, file), { top: 25 }), role(file))}\n`);
  writeFlameGraph(file, `${role(file)} under end-to-end load`);
}
console.log(`profiles and flame graphs (.svg): ${dir} (the profiles also open in Chrome DevTools → Performance)`);

/** `<profile>.svg` beside the profile: a flame graph of it. */
function writeFlameGraph(file, title) {
  const input = path.join(dir, file);
  const output = input.replace(/\.cpuprofile$/, '.svg');
  writeFileSync(output, flameGraphSvg(JSON.parse(readFileSync(input, 'utf8')), { title }));
  return output;
}

/** The ingress alone under autocannon (64 connections, 1.5 KB signed webhooks), as in benchmark 1. */
async function profileIngressOnly() {
  const stack = await createBenchStack();
  try {
    const bot = await stack.createBot();
    const bodies = signedTextBodies(bot, { count: 2000, sizeBytes: 1500 }).map((b) => ({
      body: b.body,
      headers: b.headers,
    }));
    const services = await startStack({
      services: [{ service: 'ingress', nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`] }],
      env: { ...stack.env, LOG_LEVEL: 'warn' },
      sourceMaps: false,
    });
    let load;
    try {
      const url = `${services.get('ingress').url}/api/bots/webhook/whatsapp/${bot.id}`;
      await runLoad({ url, bodies, connections: 64, durationS: 3 });
      load = await runLoad({ url, bodies, connections: 64, durationS: Number(values.seconds) });
    } finally {
      await services.stop();
    }
    console.log(
      `# ingress alone: ${load.requestsPerSecond} req/s, p50/p99 ${load.latencyMs.p50}/${load.latencyMs.p99} ms (64 connections)\n`,
    );
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
      console.log(`${formatSummary(summariseCpuProfile(path.join(dir, file), { top: 25 }), 'ingress under load')}\n`);
      writeFlameGraph(file, 'ingress alone under load');
    }
    console.log(`profiles and flame graphs (.svg): ${dir}`);
  } finally {
    await stack.close();
  }
}
