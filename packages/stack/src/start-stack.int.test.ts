import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { useTestDatabase, useTestRedis } from '@wabot/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './ports.js';
import { startStack } from './start-stack.js';

// Real processes from the services' builds (./run setup builds them).
const database = useTestDatabase();
const redis = useTestRedis();
const logDir = mkdtempSync(path.join(os.tmpdir(), 'wabot-stack-test-'));
afterAll(() => rmSync(logDir, { recursive: true, force: true }));

const env = () => ({
  DATABASE_URL: database.current.url,
  REDIS_URL: redis.current.url,
  REDIS_PREFIX: redis.current.prefix,
  LOG_LEVEL: 'info',
});

describe('startStack', () => {
  it('refuses a taken port before starting anything, naming the variable to set', async () => {
    const blocker = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    const lines: string[] = [];
    try {
      await expect(
        startStack({
          services: ['worker', { service: 'ingress', port }],
          env: env(),
          onLine: (id, line) => lines.push(`${id}: ${line}`),
        }),
      ).rejects.toThrow(`port ${port} on 127.0.0.1 is already in use (ingress): set INGRESS_PORT to a free port`);
      expect(lines).toEqual([]);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('starts services ready on their ports, kills and restarts one, and stops all gracefully', async () => {
    const exits: string[] = [];
    const stack = await startStack({
      services: ['ingress', 'worker', 'worker'],
      env: env(),
      logDir,
      onExit: (id, exit) => exits.push(`${id}: ${exit.code ?? exit.signal}`),
    });
    try {
      expect(stack.services.map((s) => s.id)).toEqual(['ingress', 'worker', 'worker-2']);
      for (const service of stack.services) {
        expect((await fetch(`${service.url}/readyz`)).status).toBe(200);
        expect(service.pid).toBeGreaterThan(0);
      }
      const worker = stack.get('worker-2');
      const { port, pid } = worker;
      expect(await stack.kill('worker-2')).toEqual({ code: null, signal: 'SIGKILL' });
      expect(worker.running()).toBe(false);
      await expect(fetch(`${worker.url}/readyz`)).rejects.toThrow();

      const restarted = await stack.restart('worker-2');
      expect(restarted.port).toBe(port);
      expect(restarted.pid).not.toBe(pid);
      expect((await fetch(`${restarted.url}/readyz`)).status).toBe(200);
      expect(() => stack.get('nope')).toThrow('no service nope in this stack');
    } finally {
      const stopped = await stack.stop();
      expect(Object.values(stopped).map((exit) => exit.code)).toEqual([0, 0, 0]);
    }
    // Stopped, killed and restarted on purpose: no unexpected exit reported.
    expect(exits).toEqual([]);
    // Both runs of worker-2 appended to its log.
    const log = readFileSync(path.join(logDir, 'worker-2.log'), 'utf8');
    expect(log.match(/"msg":"[^"]*listening/gi)?.length ?? 0).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it('reports a service that exits by itself, and can start one that must be refused without waiting', async () => {
    const exits: string[] = [];
    const stack = await startStack({
      services: [{ service: 'ingress', env: { WEBHOOK_SHARDS: 'not a number' } }],
      env: env(),
      waitForReady: false,
      onExit: (id, exit) => exits.push(`${id}: ${exit.code}`),
    });
    const exit = await stack.get('ingress').exited;
    expect(exit.code).toBe(1);
    expect(stack.get('ingress').output()).toContain('WEBHOOK_SHARDS');
    expect(exits).toEqual(['ingress: 1']);
    await stack.stop();
  });
});
