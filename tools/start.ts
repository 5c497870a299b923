// ./run start: ingress, worker and admin in the foreground; Ctrl-C (or SIGTERM) stops all three gracefully.
import { randomBytes } from 'node:crypto';
import { listenHostOf } from '@wabot/config';
import { resolveLogFormat } from '@wabot/logger';
import { PORT_VARIABLES, type ServiceName, type Stack, startStack } from '@wabot/stack';
import { WEBHOOK_ROUTE } from '@wabot/whatsapp';

const services: ServiceName[] = ['ingress', 'worker', 'admin'];
const colors: Record<string, number> = { ingress: 36, worker: 33, admin: 35 };
const defaultPorts: Record<ServiceName, number> = { ingress: 3000, admin: 3001, worker: 3002 };
// The admin's own default (services/admin/src/config.ts) when the variable is not set.
const webhookBase = process.env.PUBLIC_WEBHOOK_BASE_URL ?? 'http://localhost:3000';

function portOf(name: ServiceName): number {
  const variable = PORT_VARIABLES[name];
  const raw = process.env[variable];
  if (raw === undefined || raw === '') return defaultPorts[name];
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    console.error(`[run] ${variable}=${raw} is not a port (1-65535)`);
    process.exit(2);
  }
  return port;
}

// The services write to pipes, so LOG_FORMAT=auto is decided here, by this process's terminal.
const logFormat = process.env.LOG_FORMAT;
const childLogFormat =
  logFormat === undefined || logFormat === '' || logFormat === 'auto'
    ? resolveLogFormat('auto', Boolean(process.stdout.isTTY))
    : logFormat;

// The first owner's one-time setup token, fresh at each start (the admin keeps only its hash, and
// only while no account exists); printed below as a link, never logged.
const setupToken = process.env.SETUP_TOKEN || randomBytes(32).toString('base64url');

let stopping = false;
let running: Stack | undefined;
const stack = await startStack({
  services: services.map((service) => ({
    service,
    port: portOf(service),
    ...(service === 'admin' ? { env: { SETUP_TOKEN: setupToken } } : {}),
  })),
  // The services' own rule (loopback outside production), so the ports are checked where they will listen.
  host: listenHostOf({
    HOST: process.env.HOST || undefined,
    NODE_ENV: process.env.NODE_ENV === 'production' ? 'production' : 'development',
  }),
  env: { LOG_FORMAT: childLogFormat },
  readyTimeoutMs: 60_000,
  onLine: (id, line) => process.stdout.write(`\x1b[${colors[id] ?? 37}m${id.padEnd(7)}\x1b[0m | ${line}\n`),
  // While starting, startStack itself fails on an early exit.
  onExit: (id, exit) => {
    if (stopping || !running) return;
    console.error(`[run] ${id} exited (${exit.code ?? exit.signal}); stopping the others`);
    void stop(exit.code || 1);
  },
}).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  for (const line of message.split('\n')) console.error(`[run] ${line}`);
  process.exit(1);
});

running = stack;

async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  await stack.stop();
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
process.on('SIGHUP', () => void stop(0));

const admin = stack.get('admin').url;
console.log(`[run] ready: console ${admin}/  API docs ${admin}/docs  (Ctrl-C stops)`);
console.log(
  `[run] webhooks handed out: ${webhookBase}${WEBHOOK_ROUTE.replace(':botId', '<bot id>')} ` +
    `(PUBLIC_WEBHOOK_BASE_URL; Meta needs a public HTTPS address) — this ingress listens at ${stack.get('ingress').url}`,
);

// Until the first account exists, the link that creates it (once).
const status: unknown = await fetch(`${admin}/api/auth/status`)
  .then((response) => response.json())
  .catch(() => null);
if (typeof status === 'object' && status !== null && 'setup_required' in status && status.setup_required === true) {
  const base = (process.env.ADMIN_PUBLIC_URL || admin).replace(/\/+$/, '');
  console.log(
    `\x1b[1m[run] first owner: open ${base}/setup?token=${setupToken} to create the first account (a one-time link)\x1b[0m`,
  );
}
