import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import path from 'node:path';

const repoRoot = path.resolve(import.meta.dirname, '../../..');

export type ServiceName = 'ingress' | 'worker' | 'admin';

export interface ServiceProcess {
  name: ServiceName;
  port: number;
  url: string;
  child: ChildProcess;
  /** Everything the process printed (stdout + stderr), for diagnostics. */
  output(): string;
  /** SIGTERM (graceful) or another signal; resolves with the exit code/signal. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const portVariable: Record<ServiceName, string> = {
  ingress: 'INGRESS_PORT',
  worker: 'WORKER_PORT',
  admin: 'ADMIN_PORT',
};

type Exit = { code: number | null; signal: NodeJS.Signals | null };

/** Spawns a built service (`services/<name>/dist/main.js`) on a free port, collecting what it prints. */
async function spawnService(name: ServiceName, env: Record<string, string>) {
  const port = await freePort();
  const chunks: string[] = [];
  const child = spawn(process.execPath, [path.join(repoRoot, 'services', name, 'dist/main.js')], {
    cwd: repoRoot,
    env: { ...process.env, HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env, [portVariable[name]]: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => chunks.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => chunks.push(d.toString()));
  const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { port, child, output: () => chunks.join(''), exited };
}

/**
 * Starts a built service (`services/<name>/dist/main.js`) as a real process on a free port and
 * waits until its /readyz answers 200. The caller passes DATABASE_URL, REDIS_URL, REDIS_PREFIX etc.
 */
export async function startServiceProcess(
  name: ServiceName,
  env: Record<string, string>,
  { readyTimeoutMs = 30_000 }: { readyTimeoutMs?: number } = {},
): Promise<ServiceProcess> {
  const { port, child, output, exited } = await spawnService(name, env);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${name} exited before it was ready:\n${output().slice(-2000)}`);
    }
    try {
      const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1_000) });
      if (res.status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} not ready within ${readyTimeoutMs} ms:\n${output().slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    name,
    port,
    url,
    child,
    output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/**
 * Runs a built service that is expected to stop on its own (a refused start), on a free port, and
 * resolves with its exit code and everything it printed; SIGKILLs it after `timeoutMs`.
 */
export async function runServiceToExit(
  name: ServiceName,
  env: Record<string, string>,
  { timeoutMs = 30_000 }: { timeoutMs?: number } = {},
): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  const { child, output, exited } = await spawnService(name, env);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  try {
    return { ...(await exited), output: output() };
  } finally {
    clearTimeout(timer);
  }
}
