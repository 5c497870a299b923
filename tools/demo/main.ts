// ./run demo [--once]: the whole product against the Meta simulator, no Meta account needed.
// Starts admin, ingress and worker on free ports (fresh REDIS_PREFIX), a simulated Graph API and a
// Meta-like webhook sender, creates a workspace and a bot through the admin API, activates it and
// plays a scripted conversation (scenario.ts) with every supported message type, printed as a
// transcript (transcript.ts). --once exits afterwards (0 when every check passed); otherwise an
// interactive prompt follows and Ctrl-C stops everything.
import { randomBytes, randomInt } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { type LlmSimulator, startLlmSimulator } from '@wabot/llm-simulator';
import {
  createSimClock,
  createSimUser,
  createWebhookSender,
  type GraphSimulator,
  type InboundContent,
  type SimUser,
  startGraphSimulator,
  type WebhookDelivery,
  type WebhookSender,
} from '@wabot/meta-simulator';
import { freePort, type Stack, startStack } from '@wabot/stack';
import { Redis } from 'ioredis';
import pg from 'pg';
import { type AdminApi, createAdminApi, mintJwt, templateNameOf } from './admin-api.ts';
import { playScript, type SayResult } from './scenario.ts';
import { type Check, createTranscript } from './transcript.ts';

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
const databaseUrl = process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/wabot';
const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

const clock = createSimClock();
const t = createTranscript({
  color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
  columns: process.stdout.columns,
  clock,
});
const { out, bold, dim, red, cyan, green, yellow, blue, indent } = t;

// ---------------------------------------------------------------- processes and shutdown

const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const logDir = path.join(os.tmpdir(), `wabot-demo-${runId}`);
const redisPrefix = args['redis-prefix'] ?? `wabot-demo-${runId}`;
let graph: GraphSimulator | undefined;
let stack: Stack | undefined;
let sttStandIn: LlmSimulator | undefined;
let stopping = false;
let cleanup = async () => {};
let afterStop = async () => {};

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    process.exitCode = code;
    await cleanup().catch(() => {});
    await stack?.stop();
    await graph?.close().catch(() => {});
    await sttStandIn?.close().catch(() => {});
    await afterStop().catch((error: unknown) => out(dim(`[demo] clean-up incomplete: ${messageOf(error)}`)));
  }
  process.exit(code);
}
process.on('SIGINT', () => {
  out();
  out(dim('[demo] stopping…'));
  void shutdown(0);
});
process.on('SIGTERM', () => void shutdown(0));
// Never leave the services running behind a crashed demo.
const crashed = (error: unknown) => {
  console.error(red(`[demo] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`));
  void shutdown(1);
};
process.on('uncaughtException', crashed);
process.on('unhandledRejection', crashed);

// ---------------------------------------------------------------- start everything

const statusDelivery = new Map<string, Promise<WebhookDelivery[]>>(); // wamid → its status webhooks' deliveries
let sender: WebhookSender | undefined; // set once the bot exists; status webhooks need its webhook URL

graph = await startGraphSimulator({
  onAccepted: (request) => {
    if (sender && request.messageId)
      statusDelivery.set(request.messageId, sender.emitStatuses(request, { stepDelayMs: 120 }));
  },
});
const jwtSecret = randomBytes(32).toString('hex');
// Without STT_BASE_URL the demo brings its own speech to text: the LLM simulator's fake, whose
// transcripts say plainly that they are a stand-in (scenario.ts sets the voice note's).
sttStandIn = process.env.STT_BASE_URL ? undefined : await startLlmSimulator();
const sttBaseUrl = process.env.STT_BASE_URL || sttStandIn?.url || '';

out(bold('wabot demo') + dim(` — services on free ports, Redis prefix ${redisPrefix}, logs in ${logDir}`));
out(
  dim(
    `engine: ${process.env.LLM_BASE_URL ? `LLM at ${process.env.LLM_BASE_URL}` : 'built-in offline engine (set LLM_BASE_URL for a real model)'}`,
  ),
);
out(
  dim(
    `speech to text: ${process.env.STT_BASE_URL ? `at ${process.env.STT_BASE_URL}` : 'offline stand-in (set STT_BASE_URL for a real one)'}`,
  ),
);
// The ingress's address goes into the bots' webhook URLs, so its port is chosen first.
const ingressPort = await freePort();
try {
  stack = await startStack({
    services: ['admin', { service: 'ingress', port: ingressPort }, 'worker'],
    env: {
      NODE_ENV: process.env.NODE_ENV ?? 'development',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      REDIS_PREFIX: redisPrefix,
      GRAPH_API_BASE_URL: graph.url,
      PUBLIC_WEBHOOK_BASE_URL: `http://127.0.0.1:${ingressPort}`,
      SECRETS_KEY: process.env.SECRETS_KEY || randomBytes(32).toString('base64'),
      JWT_SECRET: jwtSecret,
      STT_BASE_URL: sttBaseUrl,
      // This run's files stay with its logs, not in the project's media directory.
      MEDIA_STORE: process.env.MEDIA_STORE || path.join(logDir, 'media'),
    },
    logDir,
    readyTimeoutMs: 60_000,
    onExit: (id, exit) => {
      if (stopping) return;
      console.error(
        red(`[demo] ${id} exited unexpectedly (${exit.code ?? exit.signal}); log: ${path.join(logDir, `${id}.log`)}`),
      );
      void shutdown(1);
    },
  });
} catch (error) {
  console.error(red(`[demo] ${messageOf(error)}`));
  await shutdown(1);
}
const urlOf = (id: string) => stack?.get(id).url ?? '';
out(
  dim(
    `ready: admin ${urlOf('admin')}, ingress ${urlOf('ingress')}, worker ${urlOf('worker')}, Graph API simulator ${graph.url}`,
  ),
);

const adminToken = mintJwt(jwtSecret, 'demo-user');
const api: AdminApi = createAdminApi(urlOf('admin'), adminToken);
const phoneNumberId = String(randomInt(100_000_000_000_000, 199_999_999_999_999));
const displayPhoneNumber = `1555${String(randomInt(0, 10_000_000)).padStart(7, '0')}`;
const appSecret = randomBytes(16).toString('hex');

const workspace = await api.createWorkspace(`Demo ${new Date().toISOString().slice(0, 16)}`);
const bot = await api.createBot({
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
  settings: {
    typing_indicator: true,
    fallback_template: { name: 'hello_world', language: 'en_US', parameters: [] },
    // Images reach the model as images (offline: a labelled stand-in description).
    llm: { vision: true },
  },
});
cleanup = async () => {
  await api.deleteBot(bot.id).catch(() => {});
};
// After the services stopped: nothing of this run stays behind — its workspace (with its bot,
// conversations and messages) and, unless the caller chose the prefix, its Redis keys.
afterStop = async () => {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('DELETE FROM workspaces WHERE id = $1', [workspace.id]);
  } finally {
    await client.end();
  }
  if (args['redis-prefix']) return;
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${redisPrefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
};
const activation = await api.activateBot(bot.id);
out(dim(`workspace ${workspace.id}, bot ${bot.id} (${activation.status}), webhook ${activation.webhook_url}`));

const webhooks = createWebhookSender({
  webhookUrl: activation.webhook_url,
  appSecret,
  phoneNumberId,
  displayPhoneNumber,
  wabaId: '102000000000001',
  clock,
  retry: { attempts: 5, initialDelayMs: 200 },
});
sender = webhooks;

// ---------------------------------------------------------------- one message and its answer

const checks: Check[] = [];
const check = (ok: unknown, label: string) => checks.push({ ok: Boolean(ok), label });

async function say(user: SimUser, content: InboundContent): Promise<SayResult> {
  const label = bold(cyan(user.name.padEnd(6)));
  const delivery = await webhooks.sendMessage(user, content);
  t.bubble(
    `${label} ▸`,
    t.describe(content),
    delivery.status === 200 ? '' : red(`(webhook answered ${delivery.status})`),
  );
  if (delivery.status !== 200) {
    check(false, `${content.type}: webhook accepted`);
    return { delivery, replies: [] };
  }
  const { inbound } = (await api.waitHandled(bot.id, user, delivery.messageId, stepTimeoutMs)) ?? {};
  const media = inbound?.media;
  if (media) {
    const stored =
      media.fetch_status === 'stored'
        ? green(`📎 stored ${media.mime_type}, ${media.file_size} bytes (${media.url})`)
        : red(`📎 ${media.fetch_status}: ${media.error ?? ''}`);
    out(`${indent}${stored}`);
    if (media.transcript) out(`${indent}${blue(`📝 transcript: ${media.transcript}`)}`);
    if (media.description) out(`${indent}${blue(`👁  ${media.description}`)}`);
    if (media.understanding_error) out(`${indent}${red(media.understanding_error)}`);
  }
  const handled = await api.waitHandled(bot.id, user, delivery.messageId, stepTimeoutMs);
  if (!handled) {
    out(
      `${indent}${red(`no answer within ${stepTimeoutMs / 1000} s (worker log: ${path.join(logDir, 'worker.log')})`)}`,
    );
    check(false, `${content.type}: handled by the worker`);
    return { delivery, replies: [] };
  }
  const receipt = graph?.readReceipts(delivery.messageId)[0];
  if (receipt)
    out(
      `${indent}${dim(`${receipt.kind === 'typing' ? 'bot marked it read and is typing…' : 'bot marked it read'} ${blue('✓✓')}`)}`,
    );
  // The status webhooks of the replies first, then the product's record of the final state.
  await Promise.all(handled.replies.flatMap((r) => statusDelivery.get(r.meta_message_id ?? '') ?? []));
  const replies = await api.settle(handled.conversation.id, handled.replies);
  if (replies.length === 0) out(`${indent}${dim('(no reply — by design for this message type)')}`);
  replies.forEach((reply, index) => {
    const part =
      replies.length > 1 ? yellow(`[part ${index + 1}/${replies.length}, ${[...reply.text].length} chars] `) : '';
    const text = reply.type === 'template' ? `📨 [template ${templateNameOf(reply)}] ${reply.text}` : reply.text;
    t.bubble(`${bold(green('Bot   '))} ◂`, `${part}${reply.text ? text : dim('(nothing sent)')}`, t.ticks(reply));
  });
  return { delivery, replies, receipt, inbound };
}

// ---------------------------------------------------------------- after the script

function interactive() {
  const you = createSimUser({ name: 'You', waId: '15550001111' });
  out();
  out(bold('Everything keeps running:'));
  out(`  console        ${urlOf('admin')}/   (Sign in with an API key: the token below)`);
  out(`  API docs       ${urlOf('admin')}/docs`);
  out(`  metrics        ${urlOf('admin')}/metrics  ${urlOf('ingress')}/metrics  ${urlOf('worker')}/metrics`);
  out(`  webhook        ${activation.webhook_url}`);
  out(`  Graph API sim  ${graph?.url}`);
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
      try {
        await say(you, contentOf(text));
      } catch (error) {
        out(red(`[demo] ${messageOf(error)}`));
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

/** A typed line as a WhatsApp message: text, or one of the prompt's commands. */
function contentOf(text: string): InboundContent {
  const [command, ...rest] = text.split(/\s+/);
  if (process.stdout.isTTY) {
    readline.moveCursor(process.stdout, 0, -1);
    readline.clearLine(process.stdout, 0);
  }
  switch (command) {
    case '/help':
      return { type: 'text', body: 'help' };
    case '/image': {
      // A file the Graph simulator serves, so the worker fetches and stores it like a real one.
      const media = graph?.media.register({ data: randomBytes(2048), mimeType: 'image/jpeg' });
      return { type: 'image', ...(rest.length > 0 ? { caption: rest.join(' ') } : {}), ...(media ? { media } : {}) };
    }
    case '/voice': {
      const media = graph?.media.register({ data: randomBytes(3000), mimeType: 'audio/ogg; codecs=opus' });
      return { type: 'audio', voice: true, ...(media ? { media } : {}) };
    }
    case '/location':
      return { type: 'location', latitude: Number(rest[0] ?? 38.72), longitude: Number(rest[1] ?? -9.14) };
    default:
      return { type: 'text', body: text };
  }
}

try {
  await playScript({
    say,
    check,
    graph,
    clock,
    transcript: t,
    api,
    botId: bot.id,
    sttStandIn,
    llmConfigured: Boolean(process.env.LLM_BASE_URL),
  });
  const ok = t.summary(checks);
  if (args.once) await shutdown(ok ? 0 : 1);
  else interactive();
} catch (error) {
  crashed(error);
}
