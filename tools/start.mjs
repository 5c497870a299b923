// ./run start: ingress, worker and admin in the foreground; Ctrl-C (or SIGTERM) stops all three gracefully.
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

const root = path.resolve(import.meta.dirname, '..');
const services = ['ingress', 'worker', 'admin'];
const colors = { ingress: 36, worker: 33, admin: 35 };
const children = new Map();
let stopping = false;

for (const name of services) {
  const child = spawn(process.execPath, ['--enable-source-maps', path.join(root, 'services', name, 'dist/main.js')], {
    cwd: root,
    env: process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.set(name, child);
  const tag = `\x1b[${colors[name]}m${name.padEnd(7)}\x1b[0m |`;
  for (const stream of [child.stdout, child.stderr]) {
    readline.createInterface({ input: stream }).on('line', (line) => process.stdout.write(`${tag} ${line}\n`));
  }
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (!stopping) {
      console.error(`[run] ${name} exited (${code ?? signal}); stopping the others`);
      stop(code || 1);
    } else if (children.size === 0) process.exit(process.exitCode ?? 0);
  });
}

function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  process.exitCode = code;
  for (const child of children.values()) child.kill('SIGTERM');
  if (children.size === 0) process.exit(code);
  setTimeout(() => {
    for (const child of children.values()) child.kill('SIGKILL');
    process.exit(code || 1);
  }, 15_000).unref();
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

const host = process.env.HOST && process.env.HOST !== '0.0.0.0' ? process.env.HOST : '127.0.0.1';
const ports = {
  ingress: process.env.INGRESS_PORT ?? '3000',
  worker: process.env.WORKER_PORT ?? '3002',
  admin: process.env.ADMIN_PORT ?? '3001',
};
const deadline = Date.now() + 60_000;
const ready = new Set();
while (!stopping && ready.size < services.length && Date.now() < deadline) {
  for (const name of services) {
    if (ready.has(name)) continue;
    try {
      const res = await fetch(`http://${host}:${ports[name]}/readyz`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) ready.add(name);
    } catch {
      /* not yet */
    }
  }
  await new Promise((r) => setTimeout(r, 250));
}
if (!stopping) {
  if (ready.size === services.length) {
    console.log(
      `[run] ready: dashboard http://${host}:${ports.admin}/  API docs http://${host}:${ports.admin}/docs  ` +
        `webhooks http://${host}:${ports.ingress}/api/bots/webhook/whatsapp/<bot id>  (Ctrl-C stops)`,
    );
  } else {
    console.error(`[run] not ready after 60 s: ${services.filter((s) => !ready.has(s)).join(', ')}`);
  }
}
