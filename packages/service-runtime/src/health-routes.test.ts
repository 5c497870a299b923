import Fastify from 'fastify';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { registerHealthRoutes } from './health-routes.js';

const apps: ReturnType<typeof Fastify>[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

function appWith(checks: Record<string, () => Promise<boolean>>, checkTimeoutMs?: number) {
  const app = Fastify();
  apps.push(app);
  registerHealthRoutes(app, {
    checks,
    registry: new Registry(),
    ...(checkTimeoutMs === undefined ? {} : { checkTimeoutMs }),
  });
  return app;
}

describe('registerHealthRoutes /readyz', () => {
  it('is 200 when every check answers true', async () => {
    const res = await appWith({ redis: async () => true, postgres: async () => true }).inject('/readyz');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ready', dependencies: { redis: 'ok', postgres: 'ok' } });
  });

  it('counts a check that rejects, answers false or hangs past the bound as unreachable, and answers in time', async () => {
    const app = appWith(
      {
        redis: async () => false,
        postgres: () => Promise.reject(new Error('down')),
        slow: () => new Promise<boolean>(() => {}),
      },
      50,
    );
    const started = Date.now();
    const res = await app.inject('/readyz');
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({
      status: 'not_ready',
      dependencies: { redis: 'unreachable', postgres: 'unreachable', slow: 'unreachable' },
    });
  });

  it('reports a failing reported-only dependency but stays ready, and exports every dependency as a metric', async () => {
    const app = Fastify();
    apps.push(app);
    const registry = new Registry();
    registerHealthRoutes(app, {
      checks: { redis: async () => true },
      reportedChecks: { postgres: async () => false },
      registry,
    });
    const res = await app.inject('/readyz');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ready', dependencies: { redis: 'ok', postgres: 'unreachable' } });
    const metrics = await app.inject('/metrics');
    expect(metrics.body).toContain('wabot_dependency_up{dependency="redis"} 1');
    expect(metrics.body).toContain('wabot_dependency_up{dependency="postgres"} 0');
  });
});
