import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { type Cluster, Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { eventually } from './eventually.js';
import { startRedisCluster } from './redis-cluster.js';
import { toClusterNode } from './test-redis-cluster.js';
import { deleteKeysWithPrefix } from './test-services.js';
import { useTestRedisCluster } from './vitest-fixtures.js';

/** Whether `pid` is a live process (a zombie waiting to be reaped counts as gone). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

function accepts(address: string): Promise<boolean> {
  const { host, port } = toClusterNode(address);
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** A hash tag whose slot lives on `node` (tags are tried in order: `{t0}`, `{t1}`, …). */
async function tagOn(client: Cluster, node: string): Promise<string> {
  const { port } = toClusterNode(node);
  for (let i = 0; ; i++) {
    const tag = `{t${i}}`;
    const slot = await client.cluster('KEYSLOT', tag);
    const owner = client.slots[slot]?.[0];
    if (owner?.endsWith(`:${port}`)) return tag;
  }
}

describe('useTestRedisCluster', () => {
  const cluster = useTestRedisCluster();

  it('starts three masters that share all 16384 slots, quickly', async () => {
    const { nodes, seeds, client } = cluster.current;
    console.info(`[redis cluster] started in ${cluster.current.cluster.startMs} ms`);
    expect(cluster.current.cluster.startMs).toBeLessThan(10_000);
    expect(nodes).toHaveLength(3);
    for (const node of nodes) expect(node).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(seeds).toBe(nodes.join(','));
    for (const node of nodes) {
      const direct = new Redis({ ...toClusterNode(node), lazyConnect: true });
      try {
        const info = await direct.cluster('INFO');
        expect(info).toContain('cluster_state:ok');
        expect(info).toContain('cluster_slots_assigned:16384');
        expect(info).toContain('cluster_known_nodes:3');
        expect(info).toContain('cluster_size:3');
      } finally {
        direct.disconnect();
      }
    }
    const ranges = await client.cluster('SLOTS');
    const owned = ranges.map(([from, to]) => Number(to) - Number(from) + 1);
    expect(owned.reduce((a, b) => a + b, 0)).toBe(16384);
    expect(ranges).toHaveLength(3);
  });

  it('routes keys of different hash tags to different nodes, and the prefix is the file’s own', async () => {
    const { nodes, client, prefix } = cluster.current;
    expect(prefix).toMatch(/^wabot-test-[0-9a-f]{10}$/);
    const tags = await Promise.all(nodes.map((node) => tagOn(client, node)));
    await Promise.all(tags.map((tag) => client.set(`${prefix}:${tag}:k`, tag)));
    for (const [i, node] of nodes.entries()) {
      const direct = new Redis({ ...toClusterNode(node), lazyConnect: true });
      try {
        expect(await direct.get(`${prefix}:${tags[i]}:k`)).toBe(tags[i]);
        expect(await direct.dbsize()).toBe(1);
      } finally {
        direct.disconnect();
      }
    }
  });

  it('deleteKeysWithPrefix deletes the prefix’s keys on every master, and only those', async () => {
    const { client, prefix } = cluster.current;
    const keys = Array.from({ length: 60 }, (_, i) => `${prefix}:del:{${i}}`);
    await Promise.all(keys.map((key) => client.set(key, '1')));
    await client.set('other-prefix:{x}', '1');
    expect(await deleteKeysWithPrefix(client, `${prefix}:del:`)).toBe(60);
    expect(await Promise.all(keys.map((key) => client.exists(key)))).toEqual(keys.map(() => 0));
    expect(await client.get('other-prefix:{x}')).toBe('1');
  });
});

describe('startRedisCluster', () => {
  it('stop() kills every node by PID, frees the ports and removes the directories', async () => {
    const cluster = await startRedisCluster();
    expect(cluster.pids).toHaveLength(3);
    expect(cluster.pids.every(isAlive)).toBe(true);
    expect(existsSync(cluster.dir)).toBe(true);
    expect(await Promise.all(cluster.nodes.map(accepts))).toEqual([true, true, true]);
    await cluster.stop();
    expect(cluster.pids.some(isAlive)).toBe(false);
    expect(existsSync(cluster.dir)).toBe(false);
    expect(await Promise.all(cluster.nodes.map(accepts))).toEqual([false, false, false]);
    await cluster.stop();
  });

  it('fails clearly when redis-server is not on PATH', async () => {
    await expect(startRedisCluster({ redisServer: 'redis-server-that-does-not-exist' })).rejects.toThrow(
      /redis-server-that-does-not-exist not found on PATH.*apt-get install redis-server/,
    );
    await expect(startRedisCluster({ redisCli: 'no-such-redis-cli' })).rejects.toThrow(/no-such-redis-cli not found/);
  });

  it('fails with the nodes’ logs, leaving no server behind, when the cluster is not up in time', async () => {
    const error: unknown = await startRedisCluster({ timeoutMs: 400 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    const message = error instanceof Error ? error.message : '';
    expect(message).toMatch(/^startRedisCluster: /);
    expect(message).toMatch(/killed at the deadline|did not reach cluster_state:ok|did not start/);
    const ports = [...message.matchAll(/--- redis-server :(\d+)/g)].map((match) => match[1]);
    expect(ports.length).toBeGreaterThan(0);
    expect(message).toContain('Ready to accept connections');
    expect(await Promise.all(ports.map((port) => accepts(`127.0.0.1:${port}`)))).toEqual(ports.map(() => false));
  });

  it('refuses fewer than three masters', async () => {
    await expect(startRedisCluster({ masters: 2 })).rejects.toThrow(/masters must be an integer >= 3/);
  });

  it('leaves no server behind when the process that started it is killed outright', async () => {
    // A separate Node process starts a cluster, reports it and is then SIGKILLed: no exit hook runs,
    // so only the watchdog can clean up.
    const script = `
      const { startRedisCluster } = await import(${JSON.stringify(new URL('./redis-cluster.ts', import.meta.url).href)});
      const cluster = await startRedisCluster();
      console.log(JSON.stringify({ pids: cluster.pids, dir: cluster.dir }));
      setInterval(() => {}, 1000);
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: import.meta.dirname,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const line = await eventually(() => output.split('\n').find((l) => l.startsWith('{"pids"')), 20_000, 'the child');
    const started: { pids: number[]; dir: string } = JSON.parse(line);
    expect(started.pids).toHaveLength(3);
    expect(started.pids.every(isAlive)).toBe(true);
    child.kill('SIGKILL');
    await eventually(() => !started.pids.some(isAlive) && !existsSync(started.dir), 5_000, 'the watchdog');
  });
});
