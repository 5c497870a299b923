import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createDatabaseClient } from '@wabot/db';
import { createSimUser } from '@wabot/meta-simulator';
import { eventually, useTestDatabase } from '@wabot/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  acknowledged,
  type CaseFigures,
  type FaultEnv,
  measure,
  startFaultEnv,
  streamTexts,
} from '../testing/fault-harness.js';

// The fault-injection suite (docs/reliability.md, Faults): real ingress and worker processes,
// a private redis-server with persistence, the file's PostgreSQL database, the Meta and LLM
// simulators. Each case states its promise, breaks something while users are writing, and
// counts messages, lost, duplicated, out of order and the time to recover. The figures of the
// last run go to .test-results/faults.json (and by hand into docs/reliability.md).
//
// FAULTS_SEND_IN_FLIGHT_WAIT_MS / FAULTS_OUTAGE_RETRY_MS override the workers' settings, to
// measure the behaviour without the duplicate-window wait (0) or the outage back-off cap (0);
// FAULTS_WORKER_ENV (a JSON object) overrides any worker variable, to break a promise on purpose.

const root = path.resolve(import.meta.dirname, '../../../..');
const database = useTestDatabase();
let env: FaultEnv;
const figures: CaseFigures[] = [];

/** Runs SQL as the superuser on the `postgres` database (ALTER DATABASE, pg_terminate_backend). */
async function admin(sql: string) {
  const url = new URL(database.current.url);
  url.pathname = '/postgres';
  const client = createDatabaseClient(url.toString(), { poolSize: 1 });
  try {
    await client.$executeRawUnsafe(sql);
  } finally {
    await client.$disconnect();
  }
}
/**
 * How long the outage cases keep a dependency away (between two exponential retries of the old
 * back-off: 250 ms × 2ⁿ for jobs, 100 ms × 2ⁿ capped at 5 s in stage 1), and the promise on the
 * backlog after it: every waiting conversation answered again within this (1 s cap + the work).
 */
const PG_OUTAGE_MS = 12_000;
const GRAPH_OUTAGE_MS = 8_000;
const RESUME_WITHIN_MS = 2_500;
const workerEnv: Record<string, string> = {};
if (process.env.FAULTS_SEND_IN_FLIGHT_WAIT_MS)
  workerEnv.SEND_IN_FLIGHT_WAIT_MS = process.env.FAULTS_SEND_IN_FLIGHT_WAIT_MS;
if (process.env.FAULTS_OUTAGE_RETRY_MS) workerEnv.OUTAGE_RETRY_MS = process.env.FAULTS_OUTAGE_RETRY_MS;
if (process.env.FAULTS_WORKER_ENV) Object.assign(workerEnv, JSON.parse(process.env.FAULTS_WORKER_ENV));

beforeAll(async () => {
  execFileSync(path.join(root, 'node_modules/.bin/tsc'), ['-b', 'services/ingress', 'services/worker'], {
    cwd: root,
    stdio: 'inherit',
  });
  const workspace = await database.current.db.workspace.create({ data: { name: 'faults' } });
  env = await startFaultEnv({
    database: database.current,
    workspaceId: workspace.id,
    logDir: path.join(process.env.TMPDIR ?? '/tmp', `wabot-faults-${process.pid}`),
    path: process.env.PATH,
    workerEnv,
  });
}, 120_000);

afterAll(async () => {
  await admin(`ALTER DATABASE "${database.current.name}" ALLOW_CONNECTIONS true`).catch(() => {});
  await env?.close();
  if (figures.length > 0) {
    const dir = path.join(root, '.test-results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      path.join(dir, 'faults.json'),
      `${JSON.stringify({ at: new Date().toISOString(), workerEnv, figures }, null, 2)}\n`,
    );
    console.log(
      figures
        .map(
          (f) =>
            `${f.name}: ${f.messages} msgs, lost ${f.lost}, dup ${f.duplicated}, ooo ${f.outOfOrder}, resume ${f.recoverMs ?? '-'} ms, drained ${f.drainedMs ?? '-'} ms${f.note ? ` (${f.note})` : ''}`,
        )
        .join('\n'),
    );
  }
}, 60_000);

/** The promise every case keeps unless it says otherwise: each acknowledged message answered once, in order. */
function expectExactlyOnceInOrder(result: Omit<CaseFigures, 'name' | 'promise'>, messages: number) {
  expect(result.messages).toBe(messages);
  expect(result.lost).toBe(0);
  expect(result.duplicated).toBe(0);
  expect(result.outOfOrder).toBe(0);
}

const record = (name: string, promise: string, result: Omit<CaseFigures, 'name' | 'promise'>, note?: string) =>
  figures.push({ name, promise, ...result, ...(note ? { note } : {}) });

const ingressReadiness = async () =>
  fetch(`${env.stack.get('ingress').url}/readyz`).then(async (res) => ({ status: res.status, body: await res.json() }));

describe('fault injection (real processes)', () => {
  it('ingress SIGKILLed under load: Meta redelivers what failed; every message answered once, in order', async () => {
    const bot = await env.newBot();
    const traffic = streamTexts(bot, 'ingress-kill', 4, 8, 60);
    await sleep(300);
    const exit = await env.stack.kill('ingress', 'SIGKILL');
    await sleep(500);
    await env.stack.restart('ingress');
    const recoveredAt = Date.now();
    const result = await measure(env, bot, traffic, { recoveredAt });
    expect(exit.signal).toBe('SIGKILL');
    expect(acknowledged(traffic)).toBe(32);
    expectExactlyOnceInOrder(result, 32);
    record('ingress SIGKILL under load', 'every message answered once, in order (redelivered ones too)', result);
  }, 60_000);

  it('ingress SIGTERMed under load: exits 0 after answering what it took; the rest is redelivered', async () => {
    const bot = await env.newBot();
    const traffic = streamTexts(bot, 'ingress-term', 4, 8, 60);
    await sleep(300);
    const exit = await env.stack.kill('ingress', 'SIGTERM');
    await env.stack.restart('ingress');
    const recoveredAt = Date.now();
    const result = await measure(env, bot, traffic, { recoveredAt });
    expect(exit).toEqual({ code: 0, signal: null });
    expectExactlyOnceInOrder(result, 32);
    // Answering what it took: a POST it accepted got its answer (200, or 503 while closing), none
    // had its connection cut; refused connections (not listening any more) are the redelivered rest.
    const cut = bot.attempts.filter((attempt) => attempt.status === 0 && attempt.error !== 'ECONNREFUSED');
    expect(cut.map((attempt) => attempt.error)).toEqual([]);
    record(
      'ingress SIGTERM under load',
      'exit 0; every POST it took answered, none cut; every message answered once, in order',
      result,
    );
  }, 60_000);

  it('worker SIGTERMed under load: drains gracefully, exits 0, nothing half done', async () => {
    const bot = await env.newBot();
    const traffic = streamTexts(bot, 'worker-term', 4, 8, 60);
    await sleep(400);
    const started = Date.now();
    const exit = await env.stack.kill('worker-a', 'SIGTERM');
    const drainMs = Date.now() - started;
    await env.stack.restart('worker-a');
    const result = await measure(env, bot, traffic);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(drainMs).toBeLessThan(8_000);
    expectExactlyOnceInOrder(result, 32);
    // Nothing half done: the jobs it held were finished, none left for another worker to take over.
    expect(env.stalledJobsSince(started)).toEqual([]);
    record(
      'worker SIGTERM under load',
      'exit 0 within the shutdown budget; every message answered once, in order; no job left stalled',
      result,
      `drained in ${drainMs} ms`,
    );
  }, 60_000);

  it('worker SIGKILLed mid-turn: another worker takes the turn over; answered once, in order', async () => {
    const bot = await env.newBot();
    expect((await env.stack.kill('worker-b', 'SIGTERM')).code).toBe(0);
    const before = env.llm.requests.length;
    env.llm.delayNext(1, 900);
    const traffic = streamTexts(bot, 'worker-kill', 3, 4, 40);
    const hanging = await eventually(
      () => env.llm.requests.slice(before).find((r) => r.status === 0),
      10_000,
      'an LLM call in flight',
    );
    await env.stack.kill('worker-a', 'SIGKILL');
    await env.stack.restart('worker-b');
    const recoveredAt = Date.now();
    await env.stack.restart('worker-a');
    const result = await measure(env, bot, traffic, { recoveredAt, timeoutMs: 30_000 });
    expectExactlyOnceInOrder(result, 12);
    // The killed turn was generated again by the survivor.
    expect(env.llm.requests.filter((r) => r.lastUser === hanging.lastUser).length).toBeGreaterThanOrEqual(2);
    record('worker SIGKILL mid-turn', 'the turn is taken over; every message answered once, in order', result);
  }, 60_000);

  it('Redis SIGKILLed and restarted (appendfsync always): no acknowledged webhook lost, work resumes', async () => {
    const bot = await env.newBot();
    const traffic = streamTexts(bot, 'redis-kill', 4, 8, 60);
    await sleep(300);
    await env.redis.kill();
    await sleep(1_500);
    await env.redis.start();
    const recoveredAt = Date.now();
    const result = await measure(env, bot, traffic, { recoveredAt, timeoutMs: 30_000 });
    expect(acknowledged(traffic)).toBe(32);
    expectExactlyOnceInOrder(result, 32);
    record('Redis killed 1.5 s, restarted', 'no acknowledged webhook lost; answered once, in order', result);
  }, 90_000);

  it('PostgreSQL connections terminated mid-stream: every message answered once, in order', async () => {
    const bot = await env.newBot();
    const traffic = streamTexts(bot, 'pg-terminate', 4, 8, 60);
    await sleep(300);
    await admin(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${database.current.name}' AND pid <> pg_backend_pid()`,
    );
    const recoveredAt = Date.now();
    const result = await measure(env, bot, traffic, { recoveredAt });
    expectExactlyOnceInOrder(result, 32);
    record('PostgreSQL connections terminated', 'every message answered once, in order', result);
  }, 60_000);

  it('PostgreSQL refusing connections for 12 s: the ingress stays ready on its cache; the backlog resumes within ~1 s of its return', async () => {
    const bot = await env.newBot();
    // The ingress has the bot cached (one message through first).
    const warm = streamTexts(bot, 'pg-warm', 1, 1);
    await measure(env, bot, warm);
    const name = database.current.name;
    const started = Date.now();
    await admin(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
    await admin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}'`);
    const traffic = streamTexts(bot, 'pg-refuse', 4, 5, 50);
    await traffic.done;
    const during = await ingressReadiness();
    await sleep(Math.max(0, started + PG_OUTAGE_MS - Date.now()));
    await admin(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
    const recoveredAt = Date.now();
    const result = await measure(env, bot, traffic, { recoveredAt, timeoutMs: 30_000 });
    expect(during.status).toBe(200);
    expect(during.body).toMatchObject({ status: 'ready', dependencies: { postgres: 'unreachable', redis: 'ok' } });
    expect(acknowledged(traffic)).toBe(20);
    expectExactlyOnceInOrder(result, 20);
    expect(result.recoverMs ?? Number.POSITIVE_INFINITY).toBeLessThan(RESUME_WITHIN_MS);
    record(
      `PostgreSQL refusing connections ${PG_OUTAGE_MS / 1000} s`,
      'ingress ready throughout (cached bots); answered once, in order; the backlog resumes ≤ ~1 s after',
      result,
    );
  }, 60_000);

  it('Graph API down (503) for 8 s: every reply goes out once, in order, resuming within ~1 s of its return', async () => {
    const bot = await env.newBot();
    const started = Date.now();
    env.graph.injectFault({ kind: 'http_503', match: { phoneNumberId: bot.phoneNumberId } });
    const traffic = streamTexts(bot, 'graph-down', 3, 4, 40);
    await traffic.done;
    await sleep(Math.max(0, started + GRAPH_OUTAGE_MS - Date.now()));
    env.graph.clearFaults();
    const recoveredAt = Date.now();
    const result = await measure(env, bot, traffic, { recoveredAt });
    expectExactlyOnceInOrder(result, 12);
    expect(result.recoverMs ?? Number.POSITIVE_INFINITY).toBeLessThan(RESUME_WITHIN_MS);
    record(
      `Graph API 503 for ${GRAPH_OUTAGE_MS / 1000} s`,
      'answered once, in order; the backlog resumes ≤ ~1 s after',
      result,
    );
  }, 60_000);

  it('Graph API slow (300 ms a call) and in a 429 storm: answered once, in order', async () => {
    const slowBot = await env.newBot();
    env.graph.injectFault({ kind: 'latency', latencyMs: 300, match: { phoneNumberId: slowBot.phoneNumberId } });
    const slow = await measure(env, slowBot, streamTexts(slowBot, 'graph-slow', 3, 4, 40));
    env.graph.clearFaults();
    expectExactlyOnceInOrder(slow, 12);
    record('Graph API 300 ms per call', 'answered once, in order', slow);

    const stormBot = await env.newBot();
    env.graph.injectFault({ kind: 'rate_limit_429', times: 25, match: { phoneNumberId: stormBot.phoneNumberId } });
    const storm = await measure(env, stormBot, streamTexts(stormBot, 'graph-429', 3, 4, 40));
    env.graph.clearFaults();
    expectExactlyOnceInOrder(storm, 12);
    expect(
      env.graph.requests.filter((r) => r.phoneNumberId === stormBot.phoneNumberId && r.status === 429),
    ).toHaveLength(25);
    record('Graph API 429 storm (25 refusals)', 'answered once, in order', storm);

    // 429s asking to wait (Retry-After: 1 s): the next try for that recipient waits that long.
    const waitBot = await env.newBot();
    env.graph.injectFault({
      kind: 'rate_limit_429',
      times: 6,
      retryAfterSeconds: 1,
      match: { phoneNumberId: waitBot.phoneNumberId },
    });
    const waited = await measure(env, waitBot, streamTexts(waitBot, 'graph-429-wait', 3, 2, 40));
    env.graph.clearFaults();
    expectExactlyOnceInOrder(waited, 6);
    const calls = env.graph.requests.filter((r) => r.phoneNumberId === waitBot.phoneNumberId);
    expect(calls.filter((r) => r.status === 429)).toHaveLength(6);
    // Sends (read receipts name no recipient) are one at a time per recipient: a refused one's retry is the next.
    const gaps = calls
      .filter((r) => r.status === 429 && r.to !== null)
      .map((r) => {
        const next = calls.find((c) => c.seq > r.seq && c.to === r.to && c.kind === r.kind);
        return next ? next.time - r.time : null;
      });
    expect(gaps.length).toBeGreaterThan(0);
    expect(gaps.filter((gap) => gap === null || gap < 950)).toEqual([]);
    record('Graph API 429 with Retry-After 1 s (6 refusals)', 'answered once, in order; Retry-After honoured', waited);
  }, 60_000);

  it('LLM errors (500s) and timeouts: answered once, in order', async () => {
    const errorBot = await env.newBot();
    env.llm.failNext(6, 500);
    const errors = await measure(env, errorBot, streamTexts(errorBot, 'llm-500', 3, 4, 40));
    expectExactlyOnceInOrder(errors, 12);
    record('LLM 500 × 6', 'answered once, in order', errors);

    const slowBot = await env.newBot();
    env.llm.delayNext(4, 1_500); // past LLM_TIMEOUT_MS (1 s)
    const timeouts = await measure(env, slowBot, streamTexts(slowBot, 'llm-timeout', 3, 4, 40));
    env.llm.reset();
    env.llm.setLatency(5, 20);
    expectExactlyOnceInOrder(timeouts, 12);
    record('LLM timeouts × 4', 'answered once, in order', timeouts);
  }, 60_000);

  it('LLM hanging for good: the message is failed with its reason within the budget, the next one answered', async () => {
    const bot = await env.newBot();
    const user = createSimUser({ name: 'hang', waId: `1555${String(Date.now()).slice(-7)}` });
    env.llm.delayNext(10_000, 120_000);
    const started = Date.now();
    expect((await bot.sender.sendText(user, 'hello, anyone?')).status).toBe(200);
    const failed = await eventually(
      () => database.current.db.message.findFirst({ where: { botId: bot.id, direction: 'inbound', status: 'failed' } }),
      25_000,
      'the message recorded failed',
    );
    const failedAfterMs = Date.now() - started;
    env.llm.reset();
    env.llm.setLatency(5, 20);
    expect(failed.errorTitle).toBe('llm_unreachable');
    expect(failedAfterMs).toBeLessThan(20_000); // DELIVERY_RETRY_BUDGET_MS (10 s) + the last attempt
    expect((await bot.sender.sendText(user, 'and now?')).status).toBe(200);
    await env.graph.waitFor(
      () => env.graph.sentTexts({ phoneNumberId: bot.phoneNumberId }).includes('ECHO: and now?'),
      15_000,
    );
    figures.push({
      name: 'LLM hanging for good',
      promise: 'failed with its reason within the retry budget; the conversation moves on',
      messages: 2,
      lost: 0,
      duplicated: 0,
      outOfOrder: 0,
      recoverMs: null,
      note: `failed after ${failedAfterMs} ms (budget 10 s)`,
    });
  }, 60_000);

  it('ingress and workers SIGKILLed right after a burst of acknowledged webhooks (instant Graph), 3 times: no duplicate reply', async () => {
    let messages = 0;
    let lost = 0;
    let duplicated = 0;
    let outOfOrder = 0;
    for (let round = 0; round < 3; round++) {
      // Meta's instant answers, no rate limit of ours in between: sends follow claims at once.
      const bot = await env.newBot({ rate_limit_per_second: 1000 });
      const traffic = streamTexts(bot, `burst-${round}`, 20, 5, 0);
      await traffic.done;
      expect(acknowledged(traffic)).toBe(100);
      // Kill while replies are going out.
      await env.graph.waitFor(() => env.graph.sentMessages({ phoneNumberId: bot.phoneNumberId }).length >= 25, 20_000);
      const all = ['ingress', 'worker-a', 'worker-b'];
      await Promise.all(all.map((id) => env.stack.kill(id, 'SIGKILL')));
      await Promise.all(all.map((id) => env.stack.restart(id)));
      const result = await measure(env, bot, traffic, { timeoutMs: 30_000 });
      messages += result.messages;
      lost += result.lost;
      duplicated += result.duplicated;
      outOfOrder += result.outOfOrder;
    }
    figures.push({
      name: 'ingress + workers SIGKILLed after a burst, ×3',
      promise: 'nothing lost; no reply sent twice (the duplicate window closed)',
      messages,
      lost,
      duplicated,
      outOfOrder,
      recoverMs: null,
    });
    expect(messages).toBe(300);
    expect(lost).toBe(0);
    expect(duplicated).toBe(0);
    expect(outOfOrder).toBe(0);
  }, 150_000);
});
