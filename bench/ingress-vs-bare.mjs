// Where each request's CPU and memory go, ingress against the bare Fastify route, under benchmark 1's
// load: both servers run under the inspector, and the CPU profiler (then, in a second window, the
// sampling heap profiler) runs only while the measured load runs, so every figure is per request
// served. Prints the tables docs/performance.md quotes. Sampling inflates CPU figures (by about a
// sixth here); compare the two columns, not the totals with unprofiled runs.
// Usage: node bench/ingress-vs-bare.mjs [--seconds 8]
import { parseArgs } from 'node:util';
import { startStack } from '@wabot/stack';
import { BARE_SERVER } from './ingress-ceiling.mjs';
import { runLoad } from './lib/autocannon-run.mjs';
import { connectInspector, INSPECT } from './lib/inspector-client.mjs';
import { allocationPerRequest, cpuPerRequest, formatComparison } from './lib/request-cost.mjs';
import { createBenchStack } from './lib/stack.mjs';
import { signedTextBodies } from './lib/webhook-bodies.mjs';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '8' } } });
const durationS = Number(values.seconds);
const stack = await createBenchStack();
const inspectors = [];
let servers;
try {
  const bot = await stack.createBot();
  const bodies = signedTextBodies(bot, { count: 2000, sizeBytes: 1500 });
  const route = `/api/bots/webhook/whatsapp/${bot.id}`;
  servers = await startStack({
    services: [
      { service: 'ingress', nodeArgs: INSPECT },
      { ...BARE_SERVER, nodeArgs: INSPECT },
    ],
    env: { ...stack.env, LOG_LEVEL: 'warn' },
    sourceMaps: false,
  });
  const targets = [];
  for (const [name, id] of [
    ['ingress', 'ingress'],
    ['bare Fastify', BARE_SERVER.id],
  ]) {
    const service = servers.get(id);
    const server = await connectInspector(service);
    inspectors.push(server);
    targets.push({ name, server, url: `${service.url}${route}` });
  }
  const cpu = {};
  const memory = {};
  for (const { name, server, url } of targets) {
    await runLoad({ url, bodies, connections: 64, durationS: 3 });
    await server.call('Profiler.enable');
    await server.call('Profiler.setSamplingInterval', { interval: 200 });
    await server.call('Profiler.start');
    const cpuRun = await runLoad({ url, bodies, connections: 64, durationS });
    const { profile } = await server.call('Profiler.stop');
    cpu[name] = cpuPerRequest(profile, cpuRun.totalRequests);
    await stack.flushRedis();

    await server.call('HeapProfiler.enable');
    await server.call('HeapProfiler.startSampling', {
      samplingInterval: 4096,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
    const heapRun = await runLoad({ url, bodies, connections: 64, durationS: Math.min(durationS, 4) });
    const { profile: heap } = await server.call('HeapProfiler.stopSampling');
    memory[name] = allocationPerRequest(heap, heapRun.totalRequests);
    await stack.flushRedis();
    console.log(`${name}: ${cpuRun.requestsPerSecond} req/s while profiled`);
  }
  console.log(`\n${formatComparison(cpu, 'µs of CPU, sampled')}\n`);
  const kib = Object.fromEntries(
    Object.entries(memory).map(([name, groups]) => [name, new Map([...groups].map(([g, b]) => [g, b / 1024]))]),
  );
  console.log(`${formatComparison(kib, 'KiB allocated')}\n`);
} finally {
  for (const inspector of inspectors) inspector.close();
  await servers?.stop();
  await stack.flushRedis();
  await stack.close();
}
