import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Child, type Env, type Exit, spawnChild, stopChild, waitReady } from './child.js';
import { freePort, portTaken } from './ports.js';

export type ServiceName = 'ingress' | 'worker' | 'admin';

/** The variable each service reads its port from (docs/contract.md). */
export const PORT_VARIABLES: Readonly<Record<ServiceName, string>> = {
  ingress: 'INGRESS_PORT',
  worker: 'WORKER_PORT',
  admin: 'ADMIN_PORT',
};

export interface ServiceSpec {
  /** A built service (`services/<name>/dist/main.js`). */
  service: ServiceName;
  /** Its name in the stack (unique); the service name by default, then `worker-2`, `worker-3`, … */
  id?: string;
  /** A fixed port, checked before anything starts; a free port when omitted. */
  port?: number;
  /** Variables for this service only, over the stack's. */
  env?: Env;
  /** Further node flags (e.g. `--inspect=127.0.0.1:0`). */
  nodeArgs?: readonly string[];
  /**
   * Another script instead of the service's dist (relative to the repository root), still given
   * its port in the service's port variable and expected to answer `GET /readyz`.
   */
  script?: string;
}

export interface StackOptions {
  services: readonly (ServiceName | ServiceSpec)[];
  /** Variables for every service, over this process's environment (unless `inheritEnv` is false). */
  env?: Env;
  inheritEnv?: boolean;
  /** The address the services bind (HOST); 0.0.0.0 is reached at 127.0.0.1. */
  host?: string;
  /** false: start the processes and return without waiting for /readyz (e.g. a start that must be refused). */
  waitForReady?: boolean;
  readyTimeoutMs?: number;
  /** How long a SIGTERM may take before SIGKILL. */
  stopTimeoutMs?: number;
  /** Each service's output is appended to `<logDir>/<id>.log`. */
  logDir?: string;
  /** Each line a service prints, as it comes. */
  onLine?: (id: string, line: string) => void;
  /** A service that exited by itself (not through stop, kill or restart). */
  onExit?: (id: string, exit: Exit) => void;
  /** node --enable-source-maps (the default): stack traces point at the TypeScript sources. Off for benchmarks. */
  sourceMaps?: boolean;
  /** How much of each service's output `output()` keeps (its tail). */
  keepOutputChars?: number;
  /** The repository root; found from this package's location by default. */
  root?: string;
}

export interface StackService {
  id: string;
  service: ServiceName;
  port: number;
  /** http://<host>:<port> */
  url: string;
  /** The current process's id (a restart changes it). */
  readonly pid: number | undefined;
  /** The current process's exit. */
  readonly exited: Promise<Exit>;
  running(): boolean;
  /** What the current process printed (stdout and stderr, its tail). */
  output(): string;
  logFile: string | undefined;
}

export interface Stack {
  services: StackService[];
  /** The service of that id; throws for an unknown one. */
  get(id: string): StackService;
  /** Starts one more service into the running stack. */
  add(spec: ServiceName | ServiceSpec): Promise<StackService>;
  /** Sends a signal (SIGKILL by default; a SIGTERM is followed by SIGKILL after stopTimeoutMs). */
  kill(id: string, signal?: NodeJS.Signals): Promise<Exit>;
  /** Stops the service if it still runs (SIGTERM), starts it again on the same port and waits until ready. */
  restart(id: string): Promise<StackService>;
  /** SIGTERM to every service, SIGKILL to any still running after stopTimeoutMs; resolves with each exit. */
  stop(): Promise<Record<string, Exit>>;
}

const defaultRoot = path.resolve(import.meta.dirname, '../../..');

interface Entry {
  view: StackService;
  spec: ServiceSpec;
  child: Child;
  /** Set while the stack itself stops, kills or restarts the process. */
  expectedExit: boolean;
}

/**
 * Starts ingress, worker(s) and admin as real processes from their builds: checks fixed ports
 * first (a taken one fails with the variable to set), picks free ports for the rest, waits until
 * every /readyz answers 200, and stops everything it started if any of that fails.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const root = options.root ?? defaultRoot;
  const host = options.host ?? '127.0.0.1';
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
  const stopTimeoutMs = options.stopTimeoutMs ?? 15_000;
  const keepOutputChars = options.keepOutputChars ?? 4 * 1024 * 1024;
  if (options.logDir) mkdirSync(options.logDir, { recursive: true });
  const entries = new Map<string, Entry>();

  const specOf = (spec: ServiceName | ServiceSpec): ServiceSpec =>
    typeof spec === 'string' ? { service: spec } : spec;
  const idOf = (spec: ServiceSpec, taken: Set<string>): string => {
    if (spec.id) {
      if (taken.has(spec.id)) throw new Error(`two services named ${spec.id} in one stack`);
      return spec.id;
    }
    let id: string = spec.service;
    for (let n = 2; taken.has(id); n++) id = `${spec.service}-${n}`;
    return id;
  };

  async function checkPorts(specs: { id: string; spec: ServiceSpec }[]) {
    const problems: string[] = [];
    for (const { id, spec } of specs) {
      const script = scriptOf(spec);
      if (!existsSync(path.join(root, script))) problems.push(`${script} is missing (${id}): run ./run setup first`);
      if (spec.port !== undefined && (await portTaken(host, spec.port))) {
        problems.push(
          `port ${spec.port} on ${host} is already in use (${id}): set ${PORT_VARIABLES[spec.service]} to a free port`,
        );
      }
    }
    if (problems.length > 0) throw new Error(problems.join('\n'));
  }

  function spawnEntry(entry: Omit<Entry, 'child' | 'expectedExit'> & { child?: Child }): Entry {
    const { view, spec } = entry;
    const child = spawnChild({
      root,
      script: scriptOf(spec),
      nodeArgs: spec.nodeArgs ?? [],
      sourceMaps: options.sourceMaps !== false,
      env: {
        ...(options.inheritEnv === false ? {} : process.env),
        HOST: host,
        ...options.env,
        ...spec.env,
        [PORT_VARIABLES[spec.service]]: String(view.port),
      },
      logFile: view.logFile,
      onLine: options.onLine ? (line) => options.onLine?.(view.id, line) : undefined,
      keepOutputChars,
    });
    const next: Entry = { view, spec, child, expectedExit: false };
    void child.exited.then((exit) => {
      if (!next.expectedExit) options.onExit?.(view.id, exit);
    });
    entries.set(view.id, next);
    return next;
  }

  async function launch(specs: { id: string; spec: ServiceSpec }[]): Promise<Entry[]> {
    await checkPorts(specs);
    const started: Entry[] = [];
    for (const { id, spec } of specs) {
      const port = spec.port ?? (await freePort(host));
      const logFile = options.logDir ? path.join(options.logDir, `${id}.log`) : undefined;
      const view: StackService = {
        id,
        service: spec.service,
        port,
        url: `http://${urlHost}:${port}`,
        get pid() {
          return entries.get(id)?.child.process.pid;
        },
        get exited() {
          return current(id).child.exited;
        },
        running: () => current(id).child.running(),
        output: () => current(id).child.output(),
        logFile,
      };
      started.push(spawnEntry({ view, spec }));
    }
    if (options.waitForReady !== false) {
      await Promise.all(
        started.map((entry) => waitReady(entry.child, `${entry.view.url}/readyz`, entry.view.id, readyTimeoutMs)),
      );
    }
    return started;
  }

  function current(id: string): Entry {
    const entry = entries.get(id);
    if (!entry) throw new Error(`no service ${id} in this stack (${[...entries.keys()].join(', ')})`);
    return entry;
  }

  async function halt(entry: Entry, signal: NodeJS.Signals): Promise<Exit> {
    entry.expectedExit = true;
    return stopChild(entry.child, signal, stopTimeoutMs);
  }

  async function stop(): Promise<Record<string, Exit>> {
    const all = [...entries.values()];
    const exits = await Promise.all(all.map((entry) => halt(entry, 'SIGTERM')));
    return Object.fromEntries(all.map((entry, i) => [entry.view.id, exits[i] ?? { code: null, signal: null }]));
  }

  const plan = (specs: readonly (ServiceName | ServiceSpec)[]) => {
    const taken = new Set(entries.keys());
    return specs.map((raw) => {
      const spec = specOf(raw);
      const id = idOf(spec, taken);
      taken.add(id);
      return { id, spec };
    });
  };

  try {
    await launch(plan(options.services));
  } catch (error) {
    await stop();
    throw error;
  }

  const stack: Stack = {
    get services() {
      return [...entries.values()].map((entry) => entry.view);
    },
    get: (id) => current(id).view,
    async add(raw) {
      const planned = plan([raw]);
      try {
        const [entry] = await launch(planned);
        if (!entry) throw new Error('nothing started');
        return entry.view;
      } catch (error) {
        for (const { id } of planned) {
          const entry = entries.get(id);
          if (entry) await halt(entry, 'SIGKILL');
          entries.delete(id);
        }
        throw error;
      }
    },
    kill: (id, signal = 'SIGKILL') => halt(current(id), signal),
    async restart(id) {
      const entry = current(id);
      await halt(entry, 'SIGTERM');
      const next = spawnEntry(entry);
      if (options.waitForReady !== false) {
        await waitReady(next.child, `${entry.view.url}/readyz`, id, readyTimeoutMs);
      }
      return next.view;
    },
    stop,
  };
  return stack;
}

const scriptOf = (spec: ServiceSpec) => spec.script ?? path.join('services', spec.service, 'dist/main.js');
