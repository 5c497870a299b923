import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import readline from 'node:readline';

export type Exit = { code: number | null; signal: NodeJS.Signals | null };
export type Env = Record<string, string | undefined>;

/** One spawned node process whose output is kept (its tail), written to a file and passed on line by line. */
export interface Child {
  process: ChildProcess;
  exited: Promise<Exit>;
  running(): boolean;
  output(): string;
}

export interface SpawnOptions {
  root: string;
  script: string;
  nodeArgs: readonly string[];
  sourceMaps: boolean;
  env: Env;
  /** Appended to (several runs of one service share a file). */
  logFile: string | undefined;
  onLine: ((line: string) => void) | undefined;
  keepOutputChars: number;
}

export function spawnChild(options: SpawnOptions): Child {
  const child = spawn(
    process.execPath,
    [...(options.sourceMaps ? ['--enable-source-maps'] : []), ...options.nodeArgs, options.script],
    { cwd: options.root, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const log: WriteStream | undefined = options.logFile ? createWriteStream(options.logFile, { flags: 'a' }) : undefined;
  for (const stream of [child.stdout, child.stderr]) {
    stream.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.length > options.keepOutputChars) output = output.slice(-options.keepOutputChars);
      log?.write(chunk);
    });
    const onLine = options.onLine;
    if (onLine) readline.createInterface({ input: stream }).on('line', onLine);
  }
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => {
      log?.end();
      resolve({ code, signal });
    });
  });
  return {
    process: child,
    exited,
    running: () => child.exitCode === null && child.signalCode === null,
    output: () => output,
  };
}

/** Sends `signal`; after a SIGTERM not obeyed within `graceMs`, SIGKILL. Resolves with the exit. */
export async function stopChild(child: Child, signal: NodeJS.Signals, graceMs: number): Promise<Exit> {
  if (child.running()) child.process.kill(signal);
  const timer = signal === 'SIGKILL' ? undefined : setTimeout(() => child.process.kill('SIGKILL'), graceMs);
  try {
    return await child.exited;
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `url` until it answers 200; fails when the child exits first or after `timeoutMs`. */
export async function waitReady(child: Child, url: string, label: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!child.running()) throw new Error(`${label} exited before it was ready:\n${child.output().slice(-2000)}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      await res.body?.cancel();
      if (res.status === 200) return;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      throw new Error(`${label} not ready within ${timeoutMs} ms:\n${child.output().slice(-2000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
