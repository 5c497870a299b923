// ./run demo [--once]: the whole product against the Meta simulator, no Meta account needed.
// Starts admin, ingress and worker on free ports (fresh REDIS_PREFIX), a simulated Graph API and a
// Meta-like webhook sender, creates a workspace and a bot through the admin API, activates it and
// plays a scripted conversation with every supported message type, printed as a transcript.
// --once exits afterwards (0 when every check passed); otherwise an interactive prompt follows and
// Ctrl-C stops everything.
import { spawn } from 'node:child_process';
import { createHmac, randomBytes, randomInt } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs, stripVTControlCharacters } from 'node:util';

const root = path.resolve(import.meta.dirname, '..');
const simulatorDist = path.join(root, 'packages/meta-simulator/dist/index.js');

const { values: args } = parseArgs({
  options: {
    once: { type: 'boolean', default: false },
    'step-timeout-ms': { type: 'string', default: '30000' },
    // Tests pass their own isolated prefix so their fixture removes the keys afterwards.
    'redis-prefix': { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (args.help) {
  process.stdout.write('usage: ./run demo [--once] [--step-timeout-ms <ms>] [--redis-prefix <prefix>]\n');
  process.exit(0);
}
const stepTimeoutMs = Number(args['step-timeout-ms']);

const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code) => (text) => (color ? `\x1b[${code}m${text}\x1b[0m` : String(text));
const bold = paint(1);
const dim = paint(2);
const green = paint(32);
const blue = paint(34);
const red = paint(31);
const cyan = paint(36);
const yellow = paint(33);
const out = (line = '') => process.stdout.write(`${line}\n`);

for (const name of ['admin', 'ingress', 'worker']) {
  if (!existsSync(path.join(root, 'services', name, 'dist/main.js'))) {
    console.error(`[demo] services/${name} is not built: run ./run setup first`);
    process.exit(1);
  }
}
if (!existsSync(simulatorDist)) {
  console.error('[demo] packages/meta-simulator is not built: run ./run setup first');
  process.exit(1);
}
const { startGraphSimulator, createWebhookSender, createSimUser, createSimClock, HOUR_MS } = await import(
  simulatorDist
);

// ---------------------------------------------------------------- processes

const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const logDir = path.join(os.tmpdir(), `wabot-demo-${runId}`);
mkdirSync(logDir, { recursive: true });
const children = new Map();
let graph;
let stopping = false;
let cleanup = async () => {};
let afterStop = async () => {};

async function freePort() {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function startService(name, env) {
  const log = createWriteStream(path.join(logDir, `${name}.log`));
  const child = spawn(process.execPath, ['--enable-source-maps', path.join(root, 'services', name, 'dist/main.js')], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  children.set(name, child);
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (!stopping) {
      console.error(
        red(`[demo] ${name} exited unexpectedly (${code ?? signal}); log: ${path.join(logDir, `${name}.log`)}`),
      );
      void shutdown(1);
    }
  });
  return child;
}

async function waitReady(name, url, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!children.has(name)) throw new Error(`${name} exited before it was ready`);
    try {
      const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1_000) });
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await sleep(150);
  }
  throw new Error(`${name} not ready within ${timeoutMs / 1000} s; log: ${path.join(logDir, `${name}.log`)}`);
}

async function stopChildren() {
  const exits = [...children.entries()].map(async ([, child]) => {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  });
  await Promise.all(exits);
}

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  process.exitCode = code;
  try {
    await cleanup();
  } catch {
    /* best effort */
  }
  await stopChildren();
  await graph?.close().catch(() => {});
  await afterStop().catch((error) => out(dim(`[demo] clean-up incomplete: ${error.message}`)));
  process.exit(code);
}
process.on('SIGINT', () => {
  out();
  out(dim('[demo] stopping…'));
  void shutdown(0);
});
process.on('SIGTERM', () => void shutdown(0));
// Never leave the services running behind a crashed demo.
process.on('uncaughtException', (error) => {
  console.error(red(`[demo] ${error?.stack ?? error}`));
  void shutdown(1);
});
process.on('unhandledRejection', (error) => {
  console.error(red(`[demo] ${error?.stack ?? error}`));
  void shutdown(1);
});

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------- admin API

function mintJwt(secret, sub) {
  const encode = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ sub, iat: now, exp: now + 12 * 3600 })}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

function createAdminClient(baseUrl, token) {
  return async function call(method, route, body) {
    const res = await fetch(`${baseUrl}/api${route}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const json = text ? JSON.parse(text) : null;
    if (!res.ok) throw new Error(`${method} /api${route} → ${res.status} ${text.slice(0, 300)}`);
    return json;
  };
}

// ---------------------------------------------------------------- start everything

const host = '127.0.0.1';
const ports = { admin: await freePort(), ingress: await freePort(), worker: await freePort() };
const urls = Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, `http://${host}:${port}`]));
const jwtSecret = randomBytes(32).toString('hex');
const statusDelivery = new Map(); // wamid → promise of the status webhooks' deliveries
let sender; // set once the bot exists; status webhooks need its webhook URL

graph = await startGraphSimulator({
  onAccepted: (request) => {
    if (sender) statusDelivery.set(request.messageId, sender.emitStatuses(request, { stepDelayMs: 120 }));
  },
});

const env = {
  ...process.env,
  NODE_ENV: process.env.NODE_ENV ?? 'development',
  HOST: host,
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  REDIS_PREFIX: args['redis-prefix'] ?? `wabot-demo-${runId}`,
  GRAPH_API_BASE_URL: graph.url,
  PUBLIC_WEBHOOK_BASE_URL: urls.ingress,
  SECRETS_KEY: process.env.SECRETS_KEY || randomBytes(32).toString('base64'),
  JWT_SECRET: jwtSecret,
  ADMIN_PORT: String(ports.admin),
  INGRESS_PORT: String(ports.ingress),
  WORKER_PORT: String(ports.worker),
};

out(bold('wabot demo') + dim(` — services on free ports, Redis prefix ${env.REDIS_PREFIX}, logs in ${logDir}`));
out(
  dim(
    `engine: ${process.env.LLM_BASE_URL ? `LLM at ${process.env.LLM_BASE_URL}` : 'built-in offline engine (set LLM_BASE_URL for a real model)'}`,
  ),
);
try {
  for (const name of ['admin', 'ingress', 'worker']) startService(name, env);
  await Promise.all(Object.keys(ports).map((name) => waitReady(name, urls[name])));
} catch (error) {
  console.error(red(`[demo] ${error.message}`));
  for (const name of ['admin', 'ingress', 'worker']) {
    const file = path.join(logDir, `${name}.log`);
    if (existsSync(file)) console.error(dim(`--- ${name}.log (tail)\n${readFileSync(file, 'utf8').slice(-1500)}`));
  }
  await shutdown(1);
}
out(
  dim(`ready: admin ${urls.admin}, ingress ${urls.ingress}, worker ${urls.worker}, Graph API simulator ${graph.url}`),
);

const adminToken = mintJwt(jwtSecret, 'demo-user');
const api = createAdminClient(urls.admin, adminToken);
const phoneNumberId = String(randomInt(100_000_000_000_000, 199_999_999_999_999));
const displayPhoneNumber = `1555${String(randomInt(0, 10_000_000)).padStart(7, '0')}`;
const appSecret = randomBytes(16).toString('hex');

const workspace = await api('POST', '/workspaces', { name: `Demo ${new Date().toISOString().slice(0, 16)}` });
const bot = await api('POST', '/bots', {
  name: 'Demo Café',
  platform: 'whatsapp',
  workspace_id: workspace.id,
  system_prompt: 'You are the friendly assistant of Demo Café. Answer briefly.',
  platform_config: {
    phone_number_id: phoneNumberId,
    access_token: `EAAG${randomBytes(24).toString('hex')}`,
    verify_token: `verify-${randomBytes(6).toString('hex')}`,
    app_secret: appSecret,
    business_account_id: '102000000000001',
  },
  settings: { typingIndicator: true, fallbackTemplate: { name: 'hello_world', language: 'en_US', parameters: [] } },
});
cleanup = async () => {
  await api('DELETE', `/bots/${bot.id}`).catch(() => {});
};
// After the services stopped: nothing of this run stays behind — its workspace (with its bot,
// conversations and messages) and, unless the caller chose the prefix, its Redis keys.
afterStop = async () => {
  const requireFrom = (pkg) => createRequire(path.join(root, pkg, 'package.json'));
  const pg = requireFrom('packages/db')('pg');
  const client = new pg.Client({
    connectionString: process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/wabot',
  });
  await client.connect();
  try {
    await client.query('DELETE FROM workspaces WHERE id = $1', [workspace.id]);
  } finally {
    await client.end();
  }
  if (args['redis-prefix']) return;
  const { Redis } = requireFrom('packages/queue')('ioredis');
  const redis = new Redis(process.env.REDIS_URL || 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 2 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${env.REDIS_PREFIX}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
};
const activation = await api('POST', `/bots/${bot.id}/activate`);
out(dim(`workspace ${workspace.id}, bot ${bot.id} (${activation.status}), webhook ${activation.webhook_url}`));

const clock = createSimClock();
sender = createWebhookSender({
  webhookUrl: activation.webhook_url,
  appSecret,
  phoneNumberId,
  displayPhoneNumber,
  wabaId: '102000000000001',
  clock,
  retry: { attempts: 5, initialDelayMs: 200 },
});

// ---------------------------------------------------------------- transcript

const time = () => dim(new Date(clock.now()).toISOString().slice(11, 19));
const indent = ' '.repeat(11);

function ticks(message) {
  switch (message?.status) {
    case 'read':
      return blue('✓✓ read');
    case 'delivered':
      return '✓✓ delivered';
    case 'sent':
      return '✓ sent';
    case 'failed':
      return red(
        `✗ failed${message.error_code ? ` (${message.error_code}` : ' ('}${message.error_title ? ` ${message.error_title}` : ''})`,
      );
    default:
      return dim(`… ${message?.status ?? 'not sent'}`);
  }
}

const WIDTH = Math.max(60, Math.min(process.stdout.columns ?? 100, 120) - 24);
const clip = (line) => ([...line].length > WIDTH ? `${[...line].slice(0, WIDTH - 1).join('')}…` : line);

function printBubble(who, text, suffix = '') {
  const lines = String(text)
    .split('\n')
    .filter((line, index, all) => line.trim() !== '' || (index > 0 && all[index - 1]?.trim() !== ''))
    .map(clip);
  const shown = lines.length > 6 ? [...lines.slice(0, 4), dim(`… (${lines.length - 4} more lines)`)] : lines;
  const head = `${time()}  ${who} `;
  out(`${head}${shown[0]}${suffix ? `  ${suffix}` : ''}`);
  for (const line of shown.slice(1)) out(`${indent}${' '.repeat(stripAnsi(who).length + 1)}${line}`);
}

const stripAnsi = (text) => stripVTControlCharacters(String(text));

function describeContent(content) {
  switch (content.type) {
    case 'text':
      return content.body;
    case 'image':
      return `🖼  [photo] ${content.caption ?? ''}`;
    case 'document':
      return `📄 [${content.filename}] ${content.caption ?? ''}`;
    case 'audio':
      return '🎤 [voice note 0:07]';
    case 'video':
      return `🎬 [video] ${content.caption ?? ''}`;
    case 'sticker':
      return '🙂 [sticker]';
    case 'location':
      return `📍 [location] ${content.name ?? ''} (${content.latitude}, ${content.longitude})`;
    case 'contacts':
      return `👤 [contact card] ${content.contacts.map((c) => c.name).join(', ')}`;
    case 'button_reply':
      return `🔘 [tapped button] ${content.title}`;
    case 'list_reply':
      return `📋 [picked from list] ${content.title}`;
    case 'button':
      return `🔘 [tapped template button] ${content.text}`;
    case 'reaction':
      return `[reacted ${content.emoji} to the bot's last message]`;
    case 'order':
      return `🛒 [order] ${content.items.map((i) => `${i.quantity}× ${i.productRetailerId}`).join(', ')}`;
    case 'unsupported':
      return `[${content.unsupportedType} — a type the Cloud API does not support]`;
    default:
      return `[${content.type}]`;
  }
}

async function findConversation(user) {
  const { data } = await api('GET', `/bots/${bot.id}/conversations?limit=200`);
  return data.find(
    (c) => (user.waId !== null && c.wa_id === user.waId) || (user.bsuid !== null && c.user_id === user.bsuid),
  );
}

/** Waits until the worker has handled the inbound wamid; returns it and its replies (oldest first). */
async function waitHandled(user, wamid, timeoutMs = stepTimeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const conversation = await findConversation(user);
    if (conversation) {
      const { data } = await api('GET', `/conversations/${conversation.id}/messages?limit=200`);
      const inbound = data.find((m) => m.direction === 'inbound' && m.meta_message_id === wamid);
      if (inbound?.status === 'handled') {
        const replies = data
          .filter((m) => m.direction === 'outbound' && m.reply_to_id === inbound.id)
          .sort((a, b) => (a.part_index ?? 0) - (b.part_index ?? 0));
        return { conversation, inbound, replies };
      }
    }
    await sleep(150);
  }
  return null;
}

/** Waits for the status webhooks of the replies, then for the product to record the final state. */
async function settleTicks(conversationId, replies, timeoutMs = 8_000) {
  await Promise.all(replies.map((r) => statusDelivery.get(r.meta_message_id)).filter(Boolean));
  const deadline = Date.now() + timeoutMs;
  let current = replies;
  while (Date.now() < deadline) {
    const { data } = await api('GET', `/conversations/${conversationId}/messages?limit=200`);
    current = replies.map((r) => data.find((m) => m.id === r.id) ?? r);
    if (current.every((m) => m.status === 'read' || m.status === 'failed' || !m.meta_message_id)) break;
    await sleep(150);
  }
  return current;
}

const checks = [];
const check = (ok, label) => checks.push({ ok: Boolean(ok), label });

async function say(user, content, options = {}) {
  const label = bold(cyan(user.name.padEnd(6)));
  const delivery = await sender.sendMessage(user, content, options.message);
  printBubble(
    `${label} ▸`,
    describeContent(content),
    delivery.status === 200 ? '' : red(`(webhook answered ${delivery.status})`),
  );
  if (delivery.status !== 200) {
    check(false, `${content.type}: webhook accepted`);
    return { delivery, replies: [] };
  }
  const handled = await waitHandled(user, delivery.messageId);
  if (!handled) {
    out(
      `${indent}${red(`no answer within ${stepTimeoutMs / 1000} s (worker log: ${path.join(logDir, 'worker.log')})`)}`,
    );
    check(false, `${content.type}: handled by the worker`);
    return { delivery, replies: [] };
  }
  const receipt = graph.readReceipts(delivery.messageId)[0];
  if (receipt)
    out(
      `${indent}${dim(`${receipt.kind === 'typing' ? 'bot marked it read and is typing…' : 'bot marked it read'} ${blue('✓✓')}`)}`,
    );
  const replies = await settleTicks(handled.conversation.id, handled.replies);
  if (replies.length === 0) out(`${indent}${dim('(no reply — by design for this message type)')}`);
  replies.forEach((reply, index) => {
    const part =
      replies.length > 1 ? yellow(`[part ${index + 1}/${replies.length}, ${[...reply.text].length} chars] `) : '';
    const text =
      reply.type === 'template' ? `📨 [template ${reply.metadata?.template?.name ?? ''}] ${reply.text}` : reply.text;
    printBubble(`${bold(green('Bot   '))} ◂`, `${part}${reply.text ? text : dim('(nothing sent)')}`, ticks(reply));
  });
  return { delivery, replies, receipt };
}

const ana = createSimUser({ name: 'Ana', waId: '15557654321', bsuid: true });
const kai = createSimUser({ name: 'Kai', waId: null, username: '@kai.dev' });
const ben = createSimUser({ name: 'Ben', waId: '447700900123' });
const cleo = createSimUser({ name: 'Cleo', waId: '5511999990001' });

async function playScript() {
  out();
  out(bold('— Scripted conversation —'));
  const greet = await say(ana, { type: 'text', body: 'Hello! Are you open today? 😊' });
  check(greet.replies.length > 0 && greet.replies.every((r) => r.status === 'read'), 'text: answered, reply read (✓✓)');
  check(greet.receipt, 'text: read receipt sent before replying');
  const steps = [
    { type: 'image', caption: 'Is this your storefront?' },
    { type: 'document', filename: 'catering-order.pdf', caption: 'Our catering order' },
    { type: 'audio', voice: true },
    { type: 'video', caption: 'Look at the queue outside' },
    { type: 'location', latitude: 38.7223, longitude: -9.1393, name: 'Praça do Comércio', address: 'Lisboa' },
    {
      type: 'contacts',
      contacts: [{ name: 'Maria José Ferreira', phone: '+55 11 99999-0001', waId: '5511999990001' }],
    },
    { type: 'sticker', animated: true },
    { type: 'button_reply', id: 'book-table', title: 'Book a table' },
    { type: 'list_reply', id: 'menu-veggie', title: 'Vegetarian menu', description: 'Meat-free dishes' },
    { type: 'button', payload: 'STOP_PROMOTIONS', text: 'Stop promotions' },
    {
      type: 'order',
      catalogId: '194800000000001',
      text: 'For pick-up at 6pm',
      items: [
        { productRetailerId: 'pastel-de-nata', quantity: 6, itemPrice: 1.5, currency: 'EUR' },
        { productRetailerId: 'espresso', quantity: 2, itemPrice: 1.2, currency: 'EUR' },
      ],
    },
    { type: 'unsupported', unsupportedType: 'poll_creation' },
  ];
  let lastReply = greet.replies.at(-1)?.meta_message_id;
  for (const content of steps) {
    const result = await say(ana, content);
    check(result.replies.length > 0 && result.replies.every((r) => r.status === 'read'), `${content.type}: answered`);
    lastReply = result.replies.at(-1)?.meta_message_id ?? lastReply;
  }
  const reaction = await say(ana, { type: 'reaction', messageId: lastReply ?? 'wamid.unknown', emoji: '❤️' });
  check(reaction.delivery.status === 200 && reaction.replies.length === 0, 'reaction: stored, not answered');

  out();
  out(bold('— A long answer is split into WhatsApp-sized parts —'));
  const long = await say(ana, { type: 'text', body: 'Please tell me everything about your menu. LONGREPLY' });
  check(
    long.replies.length > 1 && long.replies.every((r) => [...r.text].length <= 4096 && r.status === 'read'),
    `long reply: ${long.replies.length} parts of ≤ 4096 characters, sent in order and read`,
  );

  out();
  out(bold('— A username user (no phone number, business-scoped user id only) —'));
  const username = await say(kai, { type: 'text', body: 'hi, I only share my username' });
  const toBsuid = graph.sentMessages({ to: kai.bsuid }).length > 0;
  check(username.replies.length > 0 && toBsuid, `username user: answered at their BSUID ${kai.bsuid}`);

  out();
  out(bold('— 24-hour window closed —'));
  out(
    dim(
      `${indent}Ben's message is delivered late: the clock is set 25 h back for it, so the window it opened is already closed.`,
    ),
  );
  clock.advance(-25 * HOUR_MS);
  const late = await say(ben, { type: 'text', body: 'Hi, are you still there?' });
  clock.reset();
  check(
    late.replies.length > 0 && late.replies.every((r) => r.type === 'template' || r.status === 'failed'),
    'closed window (our clock): no free-form reply; the fallback template is sent instead',
  );
  out(dim(`${indent}Meta itself refuses the next free-form reply to Cleo with 131047 (simulated fault).`));
  graph.injectFault({ kind: 'window_closed_131047', match: { to: cleo.waId } });
  const refused = await say(cleo, { type: 'text', body: 'Thanks for yesterday!' });
  graph.clearFaults();
  check(
    refused.replies.some((r) => r.status === 'failed' && r.error_code === 131047),
    'closed window (Meta 131047): reply recorded as failed with the error code',
  );
}

/** Human takeover: a person takes Ana's conversation, the bot stays silent, the person answers, the bot resumes. */
async function playTakeover() {
  out();
  out(bold('— Human takeover: a person answers, the bot stays silent, then resumes —'));
  const conversation = await findConversation(ana);
  if (!conversation) {
    check(false, 'takeover: Ana has a conversation');
    return;
  }
  const handed = await api('POST', `/conversations/${conversation.id}/handoff`, {
    reason: 'demo: a person takes over',
  });
  out(`${indent}${yellow(`control: ${handed.control} (${handed.handoff_reason})`)}`);
  const silent = await say(ana, { type: 'text', body: 'Can I talk to a real person?' });
  check(handed.control === 'human' && silent.replies.length === 0, 'takeover: handed over, the bot does not answer');
  const sent = await api('POST', `/conversations/${conversation.id}/messages`, {
    text: 'Hi Ana, Sam from the café here. Your table for 6 is booked!',
  });
  const stored = await whenSent(conversation.id, sent.message.id);
  const [operator] = stored ? await settleTicks(conversation.id, [stored]) : [];
  printBubble(`${bold(yellow('Sam   '))} ◂`, sent.message.text, operator ? ticks(operator) : '');
  check(
    operator?.status === 'read' && operator.author === 'operator',
    'takeover: operator message delivered and read (✓✓)',
  );
  const resumed = await api('POST', `/conversations/${conversation.id}/resume`);
  out(`${indent}${yellow(`control: ${resumed.control}`)}`);
  const back = await say(ana, { type: 'text', body: 'Thanks Sam! And bot: do you have parking?' });
  check(resumed.control === 'bot' && back.replies.length > 0, 'takeover: resumed, the bot answers again');
}

/** The outbound message `id` once the worker sent it (it has Meta's wamid); null after the step timeout. */
async function whenSent(conversationId, id) {
  const deadline = Date.now() + stepTimeoutMs;
  while (Date.now() < deadline) {
    const { data } = await api('GET', `/conversations/${conversationId}/messages?limit=200`);
    const message = data.find((m) => m.id === id);
    if (message?.meta_message_id && statusDelivery.has(message.meta_message_id)) return message;
    await sleep(150);
  }
  return null;
}

async function summary() {
  out();
  const failed = checks.filter((c) => !c.ok);
  for (const c of checks) out(`${c.ok ? green('✔') : red('✘')} ${c.label}`);
  out();
  out(
    failed.length === 0
      ? green(bold(`Demo transcript complete: all ${checks.length} checks passed.`))
      : red(bold(`Demo transcript complete: ${failed.length} of ${checks.length} checks failed.`)),
  );
  return failed.length === 0;
}

async function interactive() {
  const you = createSimUser({ name: 'You', waId: '15550001111' });
  out();
  out(bold('Everything keeps running:'));
  out(`  dashboard      ${urls.admin}/   (sign in with the token below)`);
  out(`  API docs       ${urls.admin}/docs`);
  out(`  metrics        ${urls.admin}/metrics  ${urls.ingress}/metrics  ${urls.worker}/metrics`);
  out(`  webhook        ${activation.webhook_url}`);
  out(`  Graph API sim  ${graph.url}`);
  out(`  admin token    ${adminToken}`);
  out();
  out(
    `Type as a WhatsApp user (${you.waId}). Commands: ${cyan('/image <caption>')} ${cyan('/voice')} ${cyan('/location <lat> <lng>')} ${cyan('/help')} — Ctrl-C stops everything.`,
  );
  const rl = readline.createInterface({
    input: process.stdin,
    output: process.stdout,
    prompt: `${bold(cyan('You'))} ▸ `,
  });
  rl.on('SIGINT', () => process.emit('SIGINT'));
  let busy = Promise.resolve();
  let closed = false;
  const prompt = () => {
    if (!closed) rl.prompt();
  };
  rl.prompt();
  rl.on('line', (line) => {
    const text = line.trim();
    if (!text) return prompt();
    busy = busy.then(async () => {
      let content = { type: 'text', body: text };
      const [command, ...rest] = text.split(/\s+/);
      if (command === '/help') content = { type: 'text', body: 'help' };
      else if (command === '/image') content = { type: 'image', caption: rest.join(' ') || undefined };
      else if (command === '/voice') content = { type: 'audio', voice: true };
      else if (command === '/location')
        content = { type: 'location', latitude: Number(rest[0] ?? 38.72), longitude: Number(rest[1] ?? -9.14) };
      if (process.stdout.isTTY) {
        readline.moveCursor(process.stdout, 0, -1);
        readline.clearLine(process.stdout, 0);
      }
      try {
        await say(you, content);
      } catch (error) {
        out(red(`[demo] ${error.message}`));
      }
      prompt();
    });
  });
  // Piped input (no TTY): answer every line before stopping.
  rl.on('close', () => {
    closed = true;
    void busy.then(() => shutdown(0));
  });
}

try {
  await playScript();
  await playTakeover();
  const ok = await summary();
  if (args.once) await shutdown(ok ? 0 : 1);
  else await interactive();
} catch (error) {
  console.error(red(`[demo] ${error.stack ?? error}`));
  await shutdown(1);
}
