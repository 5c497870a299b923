// The whole path as real processes: simulated Graph API (in this process) ← worker(s) ← Redis ←
// ingress ← the load generator (this process). Stops everything it started, in any outcome.
import { performance } from 'node:perf_hooks';
import { startGraphSimulator } from '@wabot/meta-simulator';
import { startStack } from '@wabot/stack';
import { rssMiB } from './rss.mjs';

/** The marker each benchmark message carries; the offline engine echoes it back in the reply. */
export const markerOf = (runTag, index) => `[${runTag}#${index}]`;

/**
 * Starts the simulated Graph API, one ingress and `workers` worker processes on the stack's
 * database and Redis prefix, with the offline (instant) engine. Every accepted Graph request is
 * passed to `onGraphRequest({record, at})` with `at` from performance.now() (the load generator's
 * clock). `extraEnv` goes to every service (e.g. NODE_OPTIONS for CPU profiles).
 */
export async function startPipeline(stack, { workers = 1, workerEnv = {}, extraEnv = {} } = {}) {
  const listeners = new Set();
  const graph = await startGraphSimulator({ maxRecorded: 200 });
  graph.onRequest((record) => {
    const at = performance.now();
    for (const listener of listeners) listener({ record, at });
  });
  const env = { ...stack.env, LOG_LEVEL: 'warn', LLM_BASE_URL: undefined, ...extraEnv };
  try {
    const services = await startStack({
      services: [
        'ingress',
        ...Array.from({ length: workers }, () => ({
          service: 'worker',
          env: { GRAPH_API_BASE_URL: graph.url, ...workerEnv },
        })),
      ],
      env,
      sourceMaps: false,
    });
    const ingress = services.get('ingress');
    const workerProcesses = services.services.filter((s) => s.service === 'worker');
    return {
      graph,
      ingress,
      workers: workerProcesses,
      /** Subscribes to Graph requests; returns the unsubscribe function. */
      onGraphRequest(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      /** RSS in MiB of every service process and of this process (load generator + Graph simulator). */
      rss() {
        return {
          ingress: rssMiB(ingress.pid),
          workers: workerProcesses.map((w) => rssMiB(w.pid)),
          benchProcess: Math.round(process.memoryUsage.rss() / 2 ** 20),
        };
      },
      /**
       * The workers' job, inbound, Graph and turn counters and their engine-call count summed over
       * the processes (`name{labels}` → value), to explain a run: retries, held jobs, duplicates
       * skipped, engine calls per turn.
       */
      async workerCounters() {
        const totals = {};
        for (const worker of workerProcesses) {
          const text = await fetch(`${worker.url}/metrics`, { signal: AbortSignal.timeout(5_000) })
            .then((res) => res.text())
            .catch(() => '');
          for (const line of text.split('\n')) {
            const m =
              /^(wabot_worker_(?:(?:jobs|inbound_messages|graph_sends|graph_retries|turns)_total|engine_latency_seconds_count))(\{[^}]*\})?\s+([\d.e+-]+)$/.exec(
                line,
              );
            if (!m) continue;
            const key = `${m[1].replace('wabot_worker_', '')}${m[2] ?? ''}`;
            totals[key] = (totals[key] ?? 0) + Number(m[3]);
          }
        }
        return totals;
      },
      /** Warnings and errors the services logged: count per message, plus a few samples. */
      problems() {
        const counts = {};
        const samples = [];
        for (const service of services.services) {
          for (const line of service.output().split('\n')) {
            if (!/"level":"(warn|error|fatal)"/.test(line)) continue;
            const msg = /"msg":"((?:[^"\\]|\\.){0,120})/.exec(line)?.[1] ?? line.slice(0, 120);
            const key = `${service.service}: ${msg}`;
            counts[key] = (counts[key] ?? 0) + 1;
            if (counts[key] === 1 && samples.length < 4) samples.push(`${service.service}: ${line.slice(0, 600)}`);
          }
        }
        return { counts, samples };
      },
      async stop() {
        await services.stop();
        await graph.close();
      },
    };
  } catch (error) {
    // startStack stopped whatever it had started.
    await graph.close();
    throw error;
  }
}
