// One autocannon run (the load tool, used as a library) with rotating pre-signed bodies.
import autocannon from 'autocannon';

/**
 * POSTs `bodies` ([{body, headers}]) round-robin to `url` with keep-alive at fixed concurrency.
 * Returns req/s and latency percentiles in ms.
 */
export function runLoad({ url, bodies, connections = 64, durationS = 10, pipelining = 1 }) {
  let next = 0;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        connections,
        pipelining,
        duration: durationS,
        method: 'POST',
        requests: [
          {
            setupRequest(request) {
              const item = bodies[next++ % bodies.length];
              return { ...request, method: 'POST', body: item.body, headers: { ...item.headers } };
            },
          },
        ],
      },
      (error, result) => {
        if (error) return reject(error);
        resolve({
          requestsPerSecond: Math.round(result.requests.average),
          totalRequests: result.requests.total,
          non2xx: result.non2xx,
          errors: result.errors + result.timeouts,
          latencyMs: {
            p50: result.latency.p50,
            p99: result.latency.p99,
            p999: result.latency.p99_9,
            max: result.latency.max,
            mean: Math.round(result.latency.mean * 100) / 100,
          },
        });
      },
    );
  });
}
