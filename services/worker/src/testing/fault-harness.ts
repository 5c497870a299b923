import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type LlmSimulator, startLlmSimulator } from '@wabot/llm-simulator';
import {
  createSimUser,
  createWebhookSender,
  type GraphSimulator,
  type SimUser,
  startGraphSimulator,
  type WebhookSender,
} from '@wabot/meta-simulator';
import { createSecretBox, DEVELOPMENT_SECRETS_KEY } from '@wabot/secrets';
import { type Stack, startStack } from '@wabot/stack';
import { createTestBot, type TestDatabase } from '@wabot/testing';
import { Redis } from 'ioredis';

// The fault-injection suite's harness (docs/reliability.md): real ingress and worker processes
// on a private redis-server (persistence on, started and killed by the suite), the file's own
// PostgreSQL database, the Meta simulator (Graph API + a webhook sender that redelivers what was
// not answered 200, as Meta does) and the LLM simulator (replies `ECHO: <text>`).

/** A redis-server of the suite's own, appendonly + appendfsync always, in its own directory. */
interface PrivateRedis {
  readonly url: string;
  readonly port: number;
  kill(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

async function portFree(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Starts a redis-server on the first free port from `fromPort`, persisting to a fresh directory. */
async function startPrivateRedis(fromPort: number, toPort: number): Promise<PrivateRedis> {
  let port = fromPort;
  while (!(await portFree(port))) {
    port++;
    if (port > toPort) throw new Error(`no free port in ${fromPort}-${toPort} for redis-server`);
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wabot-faults-redis-'));
  let child: ChildProcess | undefined;
  const url = `redis://127.0.0.1:${port}`;
  const start = async () => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', ''];
    args.push('--appendonly', 'yes', '--appendfsync', 'always', '--protected-mode', 'no');
    child = spawn('redis-server', args, { stdio: 'ignore' });
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => {});
    try {
      for (let i = 0; i < 100; i++) {
        try {
          if (probe.status !== 'ready') await probe.connect();
          if ((await probe.ping()) === 'PONG') return;
        } catch {
          probe.disconnect();
          await sleep(50);
        }
      }
      throw new Error(`redis-server on ${port} did not start`);
    } finally {
      probe.disconnect();
    }
  };
  const kill = async () => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    url,
    port,
    kill,
    start,
    async close() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A bot of the suite, with the webhook sender Meta would use for it. */
export interface FaultBot {
  id: string;
  phoneNumberId: string;
  sender: WebhookSender;
  /** Every webhook POST tried for this bot (redeliveries included), in order: status or error. */
  attempts: { at: number; status: number; error?: string }[];
}

/** One case's figures (docs/reliability.md, Faults). */
export interface CaseFigures {
  name: string;
  promise: string;
  messages: number;
  /** Acknowledged (200) webhooks whose message got no reply. */
  lost: number;
  /** Replies sent more than once (extra copies). */
  duplicated: number;
  /** Replies of a user that came before an earlier message's reply. */
  outOfOrder: number;
  /**
   * From the dependency's return (or the process's restart) until every waiting conversation (a
   * user with messages acknowledged before it) had its first reply after it — the slowest
   * conversation's resumption; null: not measured.
   */
  recoverMs: number | null;
  /** From the same moment until every message of that backlog had its reply (depends on CPU). */
  drainedMs?: number | null;
  note?: string;
}

export interface FaultEnv {
  stack: Stack;
  graph: GraphSimulator;
  llm: LlmSimulator;
  redis: PrivateRedis;
  /** Creates an active bot with an app secret (and these settings) and a sender (Meta-like redelivery) for it. */
  newBot(settings?: Record<string, unknown>): Promise<FaultBot>;
  /**
   * The jobs the workers logged as stalled (their worker died or blocked; BullMQ re-queued them
   * for another) since `since` (ms epoch): none after a graceful shutdown, which finishes its jobs.
   */
  stalledJobsSince(since: number): string[];
  close(): Promise<void>;
}

/** Meta redelivers what was not answered 200; here faster and bounded, so a test ends. */
const REDELIVERY = { attempts: 12, initialDelayMs: 150, factor: 1.6, maxDelayMs: 2_000, timeoutMs: 3_000 };

export async function startFaultEnv(options: {
  database: TestDatabase;
  workspaceId: string;
  logDir: string;
  /** The services' PATH (they get no other variable of this process). */
  path: string | undefined;
  workerEnv?: Record<string, string>;
}): Promise<FaultEnv> {
  const redis = await startPrivateRedis(4700, 4799);
  const senders = new Map<string, WebhookSender>();
  // Meta's `sent` status for every accepted send (echoing biz_opaque_callback_data), redelivered
  // until the ingress takes it.
  const graph = await startGraphSimulator({
    onAccepted: (request) => {
      const sender = request.phoneNumberId ? senders.get(request.phoneNumberId) : undefined;
      void sender?.emitStatuses(request, { steps: ['sent'] }).catch(() => {});
    },
  });
  const llm = await startLlmSimulator();
  llm.setLatency(5, 20);
  const common = {
    PATH: options.path,
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
    REDIS_URL: redis.url,
    REDIS_PREFIX: 'faults',
    DATABASE_URL: options.database.url,
    SHUTDOWN_TIMEOUT_MS: '8000',
  };
  const stack = await startStack({
    inheritEnv: false,
    env: common,
    logDir: options.logDir,
    readyTimeoutMs: 30_000,
    services: [
      { service: 'ingress', env: { ENQUEUE_TIMEOUT_MS: '1000' } },
      ...['worker-a', 'worker-b'].map((id) => ({
        service: 'worker' as const,
        id,
        env: {
          GRAPH_API_BASE_URL: graph.url,
          LLM_BASE_URL: llm.url,
          LLM_API_KEY: 'test-key',
          LLM_MODEL: 'test-model',
          LLM_TIMEOUT_MS: '1000',
          LLM_RETRIES: '1',
          LLM_RETRY_BASE_MS: '50',
          WORKER_CONCURRENCY: '4',
          STALLED_INTERVAL_MS: '1000',
          JOB_LOCK_MS: '2000',
          CONVERSATION_LOCK_TTL_MS: '3000',
          GRAPH_RETRY_BASE_MS: '50',
          GRAPH_RETRY_CAP_MS: '500',
          GRAPH_TIMEOUT_MS: '2000',
          DELIVERY_RETRY_BUDGET_MS: '10000',
          SEND_IN_FLIGHT_WAIT_MS: '20000',
          READ_RECEIPT_WAIT_MS: '200',
          ...options.workerEnv,
        },
      })),
    ],
  });
  const secretBox = createSecretBox(DEVELOPMENT_SECRETS_KEY);
  return {
    stack,
    graph,
    llm,
    redis,
    async newBot(settings = {}) {
      const bot = await createTestBot(options.database.db, secretBox, { workspaceId: options.workspaceId, settings });
      const attempts: FaultBot['attempts'] = [];
      const sender = createWebhookSender({
        webhookUrl: `${stack.get('ingress').url}/api/bots/webhook/whatsapp/${bot.id}`,
        appSecret: bot.appSecret ?? '',
        phoneNumberId: bot.phoneNumberId,
        retry: REDELIVERY,
        freshConnections: true,
        onAttempt: (attempt) => attempts.push({ at: Date.now(), ...attempt }),
      });
      senders.set(bot.phoneNumberId, sender);
      return { id: bot.id, phoneNumberId: bot.phoneNumberId, sender, attempts };
    },
    stalledJobsSince(since) {
      const stalled: string[] = [];
      for (const id of ['worker-a', 'worker-b']) {
        const file = path.join(options.logDir, `${id}.log`);
        if (!existsSync(file)) continue;
        for (const line of readFileSync(file, 'utf8').split('\n')) {
          if (!line.includes('job stalled')) continue;
          try {
            const entry = JSON.parse(line) as { time?: string; queue?: string; jobId?: string };
            if (entry.time && Date.parse(entry.time) >= since) stalled.push(`${entry.queue} ${entry.jobId}`);
          } catch {
            // Not a JSON line (a service's stray output).
          }
        }
      }
      return stalled;
    },
    async close() {
      await stack.stop();
      await Promise.allSettled([graph.close(), llm.close()]);
      await redis.close();
    },
  };
}

interface Sent {
  text: string;
  acked: boolean;
  ackedAt: number;
}

export interface Traffic {
  users: SimUser[];
  /** Texts each user sent, in order, whether each was acknowledged (200) and when. */
  sent: Map<string, Sent[]>;
  /** Resolves when every user's stream is done (each message delivered or given up). */
  done: Promise<void>;
}

/**
 * `users` users each send `perUser` texts one after another (each waits for its delivery,
 * redeliveries included, as one person typing), `gapMs` apart; the users run side by side.
 */
export function streamTexts(bot: FaultBot, tag: string, users: number, perUser: number, gapMs = 40): Traffic {
  const list = Array.from({ length: users }, (_, u) =>
    createSimUser({ name: `u${u}`, waId: `1555${String(Date.now()).slice(-5)}${String(u).padStart(2, '0')}` }),
  );
  const sent = new Map<string, Sent[]>();
  const done = Promise.all(
    list.map(async (user, u) => {
      const mine: Sent[] = [];
      sent.set(user.waId ?? '', mine);
      for (let i = 0; i < perUser; i++) {
        const text = `${tag} u${u} #${i}`;
        const delivery = await bot.sender.sendText(user, text);
        mine.push({ text, acked: delivery.status === 200, ackedAt: Date.now() });
        if (gapMs > 0) await sleep(gapMs);
      }
    }),
  ).then(() => {});
  return { users: list, sent, done };
}

/** Waits until every acknowledged text has its reply (or `timeoutMs`), then settles and counts. */
export async function measure(
  env: FaultEnv,
  bot: FaultBot,
  traffic: Traffic,
  options: { timeoutMs?: number; recoveredAt?: number | null } = {},
): Promise<Omit<CaseFigures, 'name' | 'promise'>> {
  await traffic.done;
  const replies = (user: string) => env.graph.sentTexts({ phoneNumberId: bot.phoneNumberId, to: user });
  const expected = (user: string) =>
    (traffic.sent.get(user) ?? []).filter((m) => m.acked).map((m) => `ECHO: ${m.text}`);
  const complete = () =>
    [...traffic.sent.keys()].every((user) => expected(user).every((text) => replies(user).includes(text)));
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  while (!complete() && Date.now() < deadline) await sleep(100);
  await sleep(700); // time for a wrongly repeated send to show up
  let messages = 0;
  let lost = 0;
  let duplicated = 0;
  let outOfOrder = 0;
  for (const user of traffic.sent.keys()) {
    const want = expected(user);
    const got = replies(user);
    messages += traffic.sent.get(user)?.length ?? 0;
    lost += want.filter((text) => !got.includes(text)).length;
    duplicated += got.length - new Set(got).size;
    const firstSeen = [...new Set(got)].filter((text) => want.includes(text));
    for (let i = 1; i < firstSeen.length; i++) {
      if (want.indexOf(firstSeen[i] ?? '') < want.indexOf(firstSeen[i - 1] ?? '')) outOfOrder++;
    }
  }
  const recoveredAt = options.recoveredAt ?? null;
  let recoverMs: number | null = null;
  let drainedMs: number | null = null;
  if (recoveredAt !== null) {
    const firstSent = new Map<string, number>();
    for (const request of env.graph.sentMessages({ phoneNumberId: bot.phoneNumberId })) {
      const text = textOf(request.body);
      if (text !== null && !firstSent.has(text)) firstSent.set(text, request.time);
    }
    const answeredAt = (m: Sent) => firstSent.get(`ECHO: ${m.text}`) ?? Number.POSITIVE_INFINITY;
    // Per waiting conversation: its first reply after the return; the case's figure is the slowest.
    const resumes: number[] = [];
    const drains: number[] = [];
    for (const messagesOfUser of traffic.sent.values()) {
      // Waiting at the return: acknowledged before it, not answered yet.
      const backlog = messagesOfUser
        .filter((m) => m.acked && m.ackedAt < recoveredAt)
        .map(answeredAt)
        .filter((at) => at >= recoveredAt);
      if (backlog.length === 0) continue;
      resumes.push(Math.max(0, Math.min(...backlog) - recoveredAt));
      drains.push(Math.max(0, Math.max(...backlog) - recoveredAt));
    }
    if (resumes.length > 0) {
      recoverMs = Math.max(...resumes);
      drainedMs = Math.max(...drains);
    }
  }
  return { messages, lost, duplicated, outOfOrder, recoverMs, drainedMs };
}

const textOf = (body: unknown): string | null => {
  if (!body || typeof body !== 'object' || !('text' in body)) return null;
  const text = body.text;
  return text && typeof text === 'object' && 'body' in text && typeof text.body === 'string' ? text.body : null;
};

/** Acknowledged webhooks in a traffic (what the system promised to answer). */
export const acknowledged = (traffic: Traffic) =>
  [...traffic.sent.values()].flat().filter((message) => message.acked).length;
