import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';

/** Every slot of a Redis Cluster. */
const SLOT_COUNT = 16384;
/** A node's cluster bus listens on its port + 10000 (Redis' fixed offset unless cluster-port is set). */
const BUS_OFFSET = 10_000;
/** Client ports are drawn from here: below Linux's ephemeral range (32768+), bus ports land at 20000-39999. */
const PORT_RANGE = { from: 10_000, to: 30_000 };
const LOG_TAIL_CHARS = 4_000;

export interface RedisClusterOptions {
  /** Master nodes, no replicas; at least 3 (redis-cli refuses fewer). Default 3. */
  masters?: number;
  /** Bound on the whole start (nodes, `--cluster create`, convergence); default 20 000 ms. */
  timeoutMs?: number;
  /** The server and CLI binaries: names looked up on PATH, or paths. Default `redis-server` / `redis-cli`. */
  redisServer?: string;
  redisCli?: string;
}

export interface RedisCluster {
  /** `127.0.0.1:<port>` of every master, in start order. */
  nodes: string[];
  /** The nodes comma-joined, as REDIS_CLUSTER_NODES expects. */
  seeds: string;
  /** Process ids of the redis-server children. */
  pids: number[];
  /** The temporary directory holding every node's `nodes.conf` (removed by `stop()`). */
  dir: string;
  /** How long the start took, in milliseconds. */
  startMs: number;
  /** The tail of every node's log, for diagnostics. */
  logs(): string;
  /** Kills every node (by PID), waits for them to exit and removes their directories. Idempotent. */
  stop(): Promise<void>;
}

/** The executable `command` resolves to (a path, or a name on PATH), or undefined. */
function findExecutable(command: string): string | undefined {
  const candidates = command.includes('/')
    ? [command]
    : (process.env.PATH ?? '').split(path.delimiter).map((dir) => path.join(dir || '.', command));
  return candidates.find((candidate) => {
    try {
      accessSync(candidate, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function requireExecutable(command: string, purpose: string): string {
  const found = findExecutable(command);
  if (!found)
    throw new Error(
      `startRedisCluster: ${command} not found on PATH (${purpose}); install Redis 7, e.g. on Debian/Ubuntu ` +
        '`apt-get install redis-server redis-tools`, or pass its path as an option',
    );
  return found;
}

/** Whether 127.0.0.1:`port` can be listened on right now. */
async function portIsFree(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A port P, not in `taken`, such that P and its bus port P + 10000 are both free a moment ago. */
async function freeNodePort(taken: Set<number>): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = PORT_RANGE.from + Math.floor(Math.random() * (PORT_RANGE.to - PORT_RANGE.from));
    if (taken.has(port) || taken.has(port + BUS_OFFSET) || taken.has(port - BUS_OFFSET)) continue;
    if ((await portIsFree(port)) && (await portIsFree(port + BUS_OFFSET))) return port;
  }
  throw new Error('startRedisCluster: found no free port pair (P, P+10000) on 127.0.0.1');
}

/** The last characters a child printed, kept bounded. */
function captureTail(child: ChildProcess): () => string {
  let tail = '';
  const append = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-LOG_TAIL_CHARS);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  return () => tail;
}

/** Lets this process exit while `child` runs (the exit hook ends it): the child and its pipes unref'd. */
function unrefChild(child: ChildProcess): void {
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) if (stream instanceof Socket) stream.unref();
}

/** Undoes {@link unrefChild}: whoever awaits the child's exit keeps this process alive until it comes. */
function refChild(child: ChildProcess): void {
  child.ref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) if (stream instanceof Socket) stream.ref();
}

interface StartedNode {
  port: number;
  child: ChildProcess;
  exited: Promise<void>;
  log(): string;
  /** Resolves once the server accepts connections; rejects with its log when it exits first or `deadline` passes. */
  ready(deadline: number): Promise<void>;
}

/** Spawns one redis-server in cluster mode on `port` with `dir` as its working directory. */
function spawnNode(server: string, port: number, dir: string): StartedNode {
  // biome-ignore format: one flag and its value per line
  const args = [
    '--port', String(port),
    '--cluster-enabled', 'yes',
    '--cluster-config-file', 'nodes.conf',
    '--dir', dir,
    '--save', '',
    '--appendonly', 'no',
    '--bind', '127.0.0.1',
    '--daemonize', 'no',
  ];
  const child = spawn(server, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.on('error', () => {});
  const log = captureTail(child);
  const exited = new Promise<void>((resolve) => {
    if (child.pid === undefined) resolve();
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  const ready = async (deadline: number) => {
    let onData = () => {};
    let timer: NodeJS.Timeout | undefined;
    const up = await new Promise<boolean>((resolve) => {
      onData = () => {
        if (log().includes('Ready to accept connections')) resolve(true);
      };
      child.stdout?.on('data', onData);
      onData();
      void exited.then(() => resolve(false));
      timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()));
    });
    child.stdout?.off('data', onData);
    clearTimeout(timer);
    if (!up) throw new Error(`redis-server on port ${port} did not start:\n${log()}`);
  };
  return { port, child, exited, log, ready };
}

/** Runs `command` to completion; rejects with its output unless it exits 0 by `deadline`. */
async function run(command: string, args: string[], deadline: number): Promise<string> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const output = captureTail(child);
  const timer = setTimeout(() => child.kill('SIGKILL'), Math.max(0, deadline - Date.now()));
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (exitCode) => resolve(exitCode));
    });
    if (code !== 0) {
      const why = code === null ? 'killed at the deadline' : `exit ${code}`;
      throw new Error(`${path.basename(command)} ${args.join(' ')} failed (${why}):\n${output()}`);
    }
    return output();
  } finally {
    clearTimeout(timer);
  }
}

const infoField = (info: string, field: string) => new RegExp(`^${field}:(\\S+)`, 'm').exec(info)?.[1];

/** Polls CLUSTER INFO on every node until each reports state ok, every slot assigned and all masters known. */
async function waitForConvergence(ports: number[], deadline: number): Promise<void> {
  const clients = ports.map(
    (port) =>
      new Redis({
        host: '127.0.0.1',
        port,
        lazyConnect: true,
        // Fail a poll fast, keep reconnecting for the next one.
        maxRetriesPerRequest: 0,
        retryStrategy: () => 50,
        connectTimeout: 1_000,
        commandTimeout: 1_000,
      }),
  );
  for (const client of clients) client.on('error', () => {});
  let last = '';
  try {
    for (;;) {
      const states = await Promise.all(
        clients.map(async (client, i) => {
          try {
            const info = await client.cluster('INFO');
            const ok =
              infoField(info, 'cluster_state') === 'ok' &&
              infoField(info, 'cluster_slots_assigned') === String(SLOT_COUNT) &&
              infoField(info, 'cluster_known_nodes') === String(ports.length);
            return { ok, line: `${ports[i]}: ${info.split(/\r?\n/).slice(0, 7).join(' ')}` };
          } catch (error) {
            return { ok: false, line: `${ports[i]}: ${error instanceof Error ? error.message : String(error)}` };
          }
        }),
      );
      if (states.every((state) => state.ok)) return;
      last = states.map((state) => state.line).join('\n');
      if (Date.now() > deadline)
        throw new Error(`the cluster did not reach cluster_state:ok in time; last CLUSTER INFO:\n${last}`);
      await sleep(20);
    }
  } finally {
    for (const client of clients) client.disconnect();
  }
}

/**
 * Starts a real Redis Cluster of `masters` (default 3) redis-server processes on free loopback
 * ports, each with its own temporary directory, joins them with `redis-cli --cluster create` and
 * resolves once every node reports `cluster_state:ok` with all 16384 slots assigned. The servers
 * are children of this process: `stop()` kills them by PID and removes their directories; they are
 * also killed when this process exits, and a watchdog shell kills them and removes the directories
 * should this process die without running its exit hooks (SIGKILL, a killed test worker).
 * Requires `redis-server` and `redis-cli` (Redis 7) on PATH and fails saying so otherwise.
 */
export async function startRedisCluster(options: RedisClusterOptions = {}): Promise<RedisCluster> {
  const { masters = 3, timeoutMs = 20_000 } = options;
  if (!Number.isInteger(masters) || masters < 3) throw new Error('startRedisCluster: masters must be an integer >= 3');
  const server = requireExecutable(options.redisServer ?? 'redis-server', 'the Redis server');
  const cli = requireExecutable(options.redisCli ?? 'redis-cli', 'joins the nodes into a cluster');
  const started = Date.now();
  const deadline = started + timeoutMs;
  const dir = mkdtempSync(path.join(tmpdir(), 'wabot-redis-cluster-'));
  const nodes: StartedNode[] = [];

  // The watchdog reads the servers' PIDs on stdin; end of input means this process is gone (or
  // stop() let it go), so it kills them and removes the directory. It ignores the terminal's
  // signals, which reach the whole process group, so that Ctrl-C still leads to the clean-up.
  const watchdog = spawn(
    'sh',
    [
      '-c',
      `trap '' INT TERM HUP; pids=''; while read -r pid; do pids="$pids $pid"; done; [ -n "$pids" ] && kill -9 $pids 2>/dev/null; rm -rf "$0"`,
      dir,
    ],
    { stdio: ['pipe', 'ignore', 'ignore'] },
  );
  watchdog.on('error', () => {});
  watchdog.stdin?.on('error', () => {});
  unrefChild(watchdog);

  const killAllNow = () => {
    watchdog.kill('SIGKILL');
    for (const node of nodes) node.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', killAllNow);

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      process.off('exit', killAllNow);
      // The watchdog goes first: once a server has exited its PID may be reused.
      watchdog.kill('SIGKILL');
      for (const node of nodes) {
        refChild(node.child);
        node.child.kill('SIGKILL');
      }
      await Promise.all(nodes.map((node) => node.exited));
      rmSync(dir, { recursive: true, force: true });
    })();
    return stopping;
  };
  const logs = () => nodes.map((node) => `--- redis-server :${node.port}\n${node.log()}`).join('\n');

  try {
    const taken = new Set<number>();
    for (let i = 0; i < masters; i++) {
      for (let attempt = 0; ; attempt++) {
        const port = await freeNodePort(taken);
        taken.add(port);
        const nodeDir = path.join(dir, String(port));
        mkdirSync(nodeDir);
        const node = spawnNode(server, port, nodeDir);
        nodes.push(node);
        if (node.child.pid !== undefined) watchdog.stdin?.write(`${node.child.pid}\n`);
        try {
          await node.ready(deadline);
          break;
        } catch (error) {
          // Another process took the port between the check and the bind: try another one.
          if (attempt >= 4 || Date.now() > deadline || !/already in use/i.test(node.log())) throw error;
          node.child.kill('SIGKILL');
          await node.exited;
          nodes.pop();
        }
      }
    }
    const addresses = nodes.map((node) => `127.0.0.1:${node.port}`);
    await run(cli, ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes'], deadline);
    await waitForConvergence(
      nodes.map((node) => node.port),
      deadline,
    );
    // From here on a forgotten stop() must not keep the test process alive: the exit hook ends them.
    for (const node of nodes) unrefChild(node.child);
    return {
      nodes: addresses,
      seeds: addresses.join(','),
      pids: nodes.flatMap((node) => (node.child.pid === undefined ? [] : [node.child.pid])),
      dir,
      startMs: Date.now() - started,
      logs,
      stop,
    };
  } catch (error) {
    const tail = logs();
    await stop();
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`startRedisCluster: ${message}\n${tail}`, { cause: error });
  }
}
