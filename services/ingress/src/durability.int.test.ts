import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createCaptureStream, createLogger } from '@wabot/logger';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDurability } from './durability.js';

// INGRESS_DURABILITY against real redis-servers of the test's own: a primary with one replica
// (WAIT succeeds), the same primary once the replica is gone (WAIT times out → the write is not
// acknowledged), and the fsync check at start.

const dir = mkdtempSync(path.join(os.tmpdir(), 'wabot-durability-'));
const children: ChildProcess[] = [];
const clients: Redis[] = [];

const portFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
async function freePortIn(from: number, to: number, skip: number[] = []) {
  for (let port = from; port <= to; port++) if (!skip.includes(port) && (await portFree(port))) return port;
  throw new Error(`no free port in ${from}-${to}`);
}
function startRedis(port: number, args: string[]) {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', ...args],
    {
      stdio: 'ignore',
    },
  );
  children.push(child);
  return child;
}
function client(port: number) {
  const redis = new Redis(`redis://127.0.0.1:${port}`, { maxRetriesPerRequest: 2 });
  redis.on('error', () => {});
  clients.push(redis);
  return redis;
}

let primaryPort = 0;
let replica: ChildProcess;
beforeAll(async () => {
  primaryPort = await freePortIn(4750, 4799);
  const replicaPort = await freePortIn(4750, 4799, [primaryPort]);
  startRedis(primaryPort, ['--appendonly', 'yes', '--appendfsync', 'everysec', '--appendfilename', 'primary.aof']);
  replica = startRedis(replicaPort, ['--replicaof', '127.0.0.1', String(primaryPort), '--appendonly', 'no']);
  const probe = client(replicaPort);
  for (let i = 0; i < 100; i++) {
    const info = await probe.info('replication').catch(() => '');
    if (info.includes('master_link_status:up')) return;
    await sleep(100);
  }
  throw new Error('the replica did not connect');
}, 20_000);

afterAll(() => {
  for (const redis of clients) redis.disconnect();
  for (const child of children) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const logs = createCaptureStream();
const logger = createLogger({ name: 'durability-test', level: 'debug', destination: logs });
const config = { INGRESS_DURABILITY: 'replica', INGRESS_WAIT_REPLICAS: 1, INGRESS_WAIT_TIMEOUT_MS: 300 } as const;

describe('INGRESS_DURABILITY', () => {
  it('replica: a write is confirmed once the replica has it, and refused when no replica answers in time', async () => {
    const redis = client(primaryPort);
    const durability = createDurability(config, redis, logger);
    await redis.set('durability:one', '1');
    await expect(durability.confirmWrite?.()).resolves.toBeUndefined();

    const gone = new Promise((resolve) => replica.once('exit', resolve));
    replica.kill('SIGKILL');
    await gone;
    await redis.set('durability:two', '2');
    const started = Date.now();
    await expect(durability.confirmWrite?.()).rejects.toThrow(
      /only 0 of 1 Redis replica\(s\) confirmed the write within 300 ms/,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('fsync: warns at start when Redis does not fsync every write; none and replica do not check', async () => {
    const redis = client(primaryPort);
    await createDurability({ ...config, INGRESS_DURABILITY: 'fsync' }, redis, logger).checkAtStart();
    const warned = () => logs.entries().filter((e) => String(e.msg).includes('does not fsync every write'));
    expect(warned()).toHaveLength(1);
    expect(warned()[0]).toMatchObject({ appendonly: 'yes', appendfsync: 'everysec' });
    expect(createDurability({ ...config, INGRESS_DURABILITY: 'fsync' }, redis, logger).confirmWrite).toBeUndefined();

    await redis.config('SET', 'appendfsync', 'always');
    await createDurability({ ...config, INGRESS_DURABILITY: 'fsync' }, redis, logger).checkAtStart();
    await createDurability({ ...config, INGRESS_DURABILITY: 'none' }, redis, logger).checkAtStart();
    expect(warned()).toHaveLength(1);
  });
});
