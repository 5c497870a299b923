import type { FastifyInstance } from 'fastify';
import { Gauge, type Registry } from 'prom-client';

/** A readiness probe: resolves true when the dependency answers (a rejection counts as false). */
export type ReadinessCheck = () => Promise<boolean>;

export interface HealthRoutesOptions {
  /** Named dependency checks for /readyz (e.g. redis, postgres): every one must pass. */
  checks: Record<string, ReadinessCheck>;
  /**
   * Dependencies reported in /readyz and the metrics but not needed to do the job (the ingress
   * serves cached bots while PostgreSQL is away): a failing one leaves the service ready.
   */
  reportedChecks?: Record<string, ReadinessCheck>;
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

/**
 * GET /healthz (alive), GET /readyz (every required dependency reachable, else 503; each
 * dependency's state in `dependencies`), GET /metrics (Prometheus text, with
 * `wabot_dependency_up{dependency}` checked at each scrape).
 */
export function registerHealthRoutes(
  app: FastifyInstance,
  { checks, reportedChecks = {}, registry, isShuttingDown, checkTimeoutMs = 1_000 }: HealthRoutesOptions,
): void {
  const all = { ...reportedChecks, ...checks };
  const names = Object.keys(all);
  const runChecks = async () => {
    const results = await Promise.all(
      names.map((name) => {
        const check = all[name];
        return check ? boundedCheck(check, checkTimeoutMs) : false;
      }),
    );
    return new Map(names.map((name, i) => [name, results[i] === true]));
  };
  new Gauge({
    name: 'wabot_dependency_up',
    help: 'Whether each dependency answered its readiness check at this scrape (1) or not (0)',
    labelNames: ['dependency'],
    registers: [registry],
    async collect() {
      for (const [name, ok] of await runChecks()) this.set({ dependency: name }, ok ? 1 : 0);
    },
  });

  app.get('/healthz', { logLevel: 'warn' }, async () => ({ status: 'ok' }));

  app.get('/readyz', { logLevel: 'warn' }, async (_request, reply) => {
    const results = await runChecks();
    const dependencies = Object.fromEntries(names.map((name) => [name, results.get(name) ? 'ok' : 'unreachable']));
    const shuttingDown = isShuttingDown?.() ?? false;
    const ready = !shuttingDown && Object.keys(checks).every((name) => results.get(name));
    return reply
      .code(ready ? 200 : 503)
      .send({ status: ready ? 'ready' : shuttingDown ? 'shutting_down' : 'not_ready', dependencies });
  });

  app.get('/metrics', { logLevel: 'warn' }, async (_request, reply) => {
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
}
