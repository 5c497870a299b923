import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';

/** A readiness probe: resolves true when the dependency answers (a rejection counts as false). */
export type ReadinessCheck = () => Promise<boolean>;

export interface HealthRoutesOptions {
  /** Named dependency checks for /readyz (e.g. redis, postgres). */
  checks: Record<string, ReadinessCheck>;
  registry: Registry;
  /** Set while shutting down: /readyz answers 503 so load balancers stop routing here. */
  isShuttingDown?: () => boolean;
  /** A check that has not answered by then counts as unreachable, so /readyz never hangs. */
  checkTimeoutMs?: number;
}

/** Runs one check: true only if it resolves true within `timeoutMs`; never rejects. */
function boundedCheck(check: ReadinessCheck, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    check().then(
      (ok) => {
        clearTimeout(timer);
        resolve(ok);
      },
      () => {
        clearTimeout(timer);
        resolve(false);
      },
    );
  });
}

/** GET /healthz (alive), GET /readyz (dependencies reachable, else 503), GET /metrics (Prometheus text). */
export function registerHealthRoutes(
  app: FastifyInstance,
  { checks, registry, isShuttingDown, checkTimeoutMs = 1_000 }: HealthRoutesOptions,
): void {
  app.get('/healthz', { logLevel: 'warn' }, async () => ({ status: 'ok' }));

  app.get('/readyz', { logLevel: 'warn' }, async (_request, reply) => {
    const names = Object.keys(checks);
    const results = await Promise.all(
      names.map((name) => {
        const check = checks[name];
        return check ? boundedCheck(check, checkTimeoutMs) : false;
      }),
    );
    const dependencies = Object.fromEntries(names.map((name, i) => [name, results[i] ? 'ok' : 'unreachable']));
    const shuttingDown = isShuttingDown?.() ?? false;
    const ready = !shuttingDown && results.every(Boolean);
    return reply
      .code(ready ? 200 : 503)
      .send({ status: ready ? 'ready' : shuttingDown ? 'shutting_down' : 'not_ready', dependencies });
  });

  app.get('/metrics', { logLevel: 'warn' }, async (_request, reply) => {
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
}
