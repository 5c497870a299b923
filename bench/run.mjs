// ./run bench — every benchmark in one run, side by side on this machine; prints a table and writes
// bench/results/<date>.json and .svg. Benchmarks never fail CI: targets missed are reported, not thrown.
// Usage: node bench/run.mjs [--quick] [--only ingress,e2e,ordering,ratelimit,micro,bursts,stall,durability] [--out DIR]
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { benchmarks as durability } from './durability.mjs';
import { benchIngressCeiling } from './ingress-ceiling.mjs';
import { machineInfo } from './lib/machine.mjs';
import { printTable, writeResults } from './lib/report.mjs';
import { createBenchStack } from './lib/stack.mjs';
import { benchMicro } from './micro.mjs';
import { benchmarks as pipelineV2 } from './pipeline-v2.mjs';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    out: { type: 'string', default: path.resolve(import.meta.dirname, 'results') },
  },
});
const quick = values.quick;
const only = values.only ? new Set(values.only.split(',')) : null;
const wanted = (name) => !only || only.has(name);
// Benchmarks 2–4 live in their own module; only its absence is tolerated, never a broken one.
const extra = await import('./more-benchmarks.mjs').catch((error) => {
  if (error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('more-benchmarks'))
    return { benchmarks: [] };
  throw error;
});

// Other users of the machine skew every figure: the load average is recorded beside them.
const loadAverage = () => os.loadavg().map((n) => Math.round(n * 100) / 100);
const results = {
  startedAt: new Date().toISOString(),
  machine: machineInfo(),
  loadAverageAtStart: loadAverage(),
  quick,
  benchmarks: {},
};
const groups = [];
const rows = [['benchmark', 'figure', 'value', 'target']];
// Only benchmarks that start services need a database and a Redis prefix.
const stackless = new Set(['micro']);
const stack = [...(only ?? ['all'])].some((id) => !stackless.has(id)) ? await createBenchStack() : null;
const log = (line) => console.error(`[bench] ${line}`);

try {
  if (wanted('ingress')) {
    log('1. ingress ceiling: bare Fastify vs. ingress (signature + durable enqueue)');
    const r = await benchIngressCeiling(stack, quick ? { durationS: 2, warmupS: 1, connections: 16, rounds: 1 } : {});
    results.benchmarks.ingressCeiling = r;
    rows.push(['ingress ceiling', 'bare Fastify req/s', r.bare.requestsPerSecond, '']);
    rows.push(['', 'ingress req/s', r.ingress.requestsPerSecond, '']);
    rows.push([
      '',
      `ratio ingress/bare (median of ${r.rounds} round${r.rounds === 1 ? '' : 's'})`,
      r.ratio,
      `>= 0.6 ${r.targets.ratio.met ? 'MET' : 'MISSED'}; >= 0.5 ${r.targets.ratioIngressIssue.met ? 'MET' : 'MISSED'}`,
    ]);
    rows.push(['', 'ratio per round', r.roundRatios.join(' / '), '']);
    rows.push([
      '',
      'ingress p50/p99/p99.9 ms (p99: worst round)',
      `${r.ingress.latencyMs.p50}/${r.ingress.latencyMs.p99}/${r.ingress.latencyMs.p999}`,
      `p99 < 25 ${r.targets.p99.met ? 'MET' : 'MISSED'}`,
    ]);
    rows.push([
      '',
      'bare p50/p99/p99.9 ms',
      `${r.bare.latencyMs.p50}/${r.bare.latencyMs.p99}/${r.bare.latencyMs.p999}`,
      '',
    ]);
    rows.push([
      '',
      '200s answered / events stored / non-2xx',
      `${r.ingress.answered2xx} / ${r.ingress.eventsStored} / ${r.ingress.non2xx}`,
      `every 200 stored ${r.targets.stored.met ? 'MET' : 'MISSED'}`,
    ]);
    for (const [k, v] of Object.entries(r.redisCeiling)) rows.push(['', `redis-benchmark ${k} ops/s`, v, '']);
    rows.push(['', 'RSS MiB bare / ingress', `${r.bare.rssMiB} / ${r.ingress.rssMiB}`, '']);
    groups.push({
      title: `Ingress ceiling (${r.connections} connections, ${r.bodyBytes}-byte signed webhooks)`,
      unit: 'req/s',
      bars: [
        { label: 'bare Fastify route', value: r.bare.requestsPerSecond, color: '#999' },
        { label: 'ingress (verify + enqueue)', value: r.ingress.requestsPerSecond, note: `(ratio ${r.ratio})` },
        ...Object.entries(r.redisCeiling)
          .filter(([, v]) => typeof v === 'number')
          .map(([k, v]) => ({ label: `redis ${k}`, value: v, color: '#d33' })),
      ],
    });
  }
  const runBenchmark = async (b) => {
    if (!wanted(b.id)) return;
    log(b.title);
    const r = await b.run(stack, { quick });
    results.benchmarks[b.key] = r;
    rows.push(...b.rows(r));
    groups.push(...b.groups(r));
  };
  for (const b of extra.benchmarks) await runBenchmark(b);
  if (wanted('micro')) {
    log('5. micro-benchmarks: chunking and normalization');
    const r = await benchMicro(quick ? { timeMs: 100 } : {});
    results.benchmarks.micro = r;
    for (const t of r) rows.push(['micro', t.name, `${t.opsPerSecond} ops/s`, '']);
    groups.push({
      title: 'Hot-path micro-benchmarks',
      unit: 'ops/s',
      bars: r.map((t) => ({ label: t.name.slice(0, 42), value: t.opsPerSecond })),
    });
  }
  // Benchmarks 6–7: ADR 0004's turns and sharded stage 1.
  for (const b of pipelineV2) await runBenchmark(b);
  // Benchmark 8: what each INGRESS_DURABILITY costs the ingress (docs/reliability.md).
  for (const b of durability) await runBenchmark(b);
} finally {
  await stack?.close();
}

results.finishedAt = new Date().toISOString();
results.loadAverageAtEnd = loadAverage();
console.log(
  `\nmachine: ${results.machine.cores} cores (${results.machine.cpuModel}), ${results.machine.memoryGiB} GiB, Node ${results.machine.node}; load average 1/5/15 min: ${results.loadAverageAtStart.join(' ')} at start (others' load), ${results.loadAverageAtEnd.join(' ')} at end (ours included)\n`,
);
printTable(rows);
const files = writeResults(values.out, results, groups);
console.log(
  `\nresults: ${path.relative(process.cwd(), files.jsonFile)}  plot: ${path.relative(process.cwd(), files.svgFile)}`,
);
