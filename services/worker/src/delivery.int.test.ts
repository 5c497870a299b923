import { sentText } from '@wabot/meta-simulator';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import {
  eventually,
  newWamid,
  statusWebhook,
  textWebhook,
  useWorkerKit,
  type WorkerKit,
} from './testing/worker.test-kit.js';
import type { WorkerRuntime } from './worker-runtime.js';

const fixture = useWorkerKit({ workers: 2 });
const { database } = fixture;
let kit: WorkerKit;
let runtime: WorkerRuntime;

beforeAll(() => {
  kit = fixture.kit;
  runtime = fixture.runtime;
});

const db = () => database.current.db;
const textOf = (body: unknown) => sentText({ body }) ?? '';
const sentTo = (phoneNumberId: string, to?: string) =>
  kit.graph.sentMessages(to ? { phoneNumberId, to } : { phoneNumberId }).sort((a, b) => a.seq - b.seq);
const waitSent = (phoneNumberId: string, count: number, timeoutMs = 10_000) =>
  kit.graph.waitFor(() => {
    const list = sentTo(phoneNumberId);
    return list.length >= count ? list : null;
  }, timeoutMs);
const outboundOf = (botId: string) =>
  db().message.findMany({
    where: { botId, direction: 'outbound' },
    orderBy: [{ createdAt: 'asc' }, { partIndex: 'asc' }],
  });
const handled = (botId: string, count = 1) =>
  eventually(
    async () => (await db().message.count({ where: { botId, direction: 'inbound', status: 'handled' } })) >= count,
  );

describe('delivery: transient Graph errors', () => {
  it('sends exactly one message after a 500 and a 503', async () => {
    const bot = await kit.createBot();
    kit.graph.injectFault({ kind: 'http_500', match: { phoneNumberId: bot.phoneNumberId, kind: 'text' }, times: 1 });
    kit.graph.injectFault({ kind: 'http_503', match: { phoneNumberId: bot.phoneNumberId, kind: 'text' }, times: 1 });
    await kit.deliver(bot, textWebhook(bot, [{ from: '15552220001', text: 'flaky' }]));
    const [sent] = await waitSent(bot.phoneNumberId, 1);
    await handled(bot.id);
    expect(sentTo(bot.phoneNumberId)).toHaveLength(1);
    expect(textOf(sent?.body)).toBe('ECHO: flaky');
    const attempts = kit.graph.requests.filter((r) => r.phoneNumberId === bot.phoneNumberId && r.kind === 'text');
    expect(attempts.map((r) => r.status)).toEqual([500, 503, 200]);
    const [row] = await outboundOf(bot.id);
    expect(row).toMatchObject({ status: 'sent', attempts: 1, metaMessageId: sent?.messageId });
  });

  it('honours Retry-After on a 429', async () => {
    const bot = await kit.createBot();
    kit.graph.injectFault({
      kind: 'rate_limit_429',
      match: { phoneNumberId: bot.phoneNumberId, kind: 'text' },
      times: 1,
      retryAfterSeconds: 1,
    });
    await kit.deliver(bot, textWebhook(bot, [{ from: '15552220002', text: 'slow down' }]));
    await waitSent(bot.phoneNumberId, 1);
    const attempts = kit.graph.requests.filter((r) => r.phoneNumberId === bot.phoneNumberId && r.kind === 'text');
    expect(attempts.map((r) => r.status)).toEqual([429, 200]);
    const gap = (attempts[1]?.time ?? 0) - (attempts[0]?.time ?? 0);
    expect(gap).toBeGreaterThanOrEqual(950);
  });
});

describe('delivery: permanent errors and the 24-hour window', () => {
  it('records 131026 (undeliverable) with code and title and does not retry', async () => {
    const bot = await kit.createBot();
    kit.graph.injectFault({ kind: 'undeliverable_131026', match: { phoneNumberId: bot.phoneNumberId }, times: 1 });
    await kit.deliver(bot, textWebhook(bot, [{ from: '15552220003', text: 'nobody home' }]));
    await handled(bot.id);
    const [row] = await outboundOf(bot.id);
    expect(row).toMatchObject({ status: 'failed', errorCode: 131026 });
    expect(row?.errorTitle).toBeTruthy();
    expect(kit.graph.requests.filter((r) => r.phoneNumberId === bot.phoneNumberId && r.kind === 'text')).toHaveLength(
      1,
    );
  });

  it('records a 131047 from Meta as failed / window_closed', async () => {
    const bot = await kit.createBot();
    kit.graph.injectFault({ kind: 'window_closed_131047', match: { phoneNumberId: bot.phoneNumberId }, times: 1 });
    await kit.deliver(bot, textWebhook(bot, [{ from: '15552220004', text: 'too late' }]));
    await handled(bot.id);
    const [row] = await outboundOf(bot.id);
    expect(row).toMatchObject({ status: 'failed', errorCode: 131047, errorTitle: 'window_closed' });
  });

  it('does not send free-form text outside the window without a fallback template', async () => {
    const bot = await kit.createBot();
    const id = newWamid();
    const old = Math.floor(Date.now() / 1000) - 25 * 3600;
    await kit.deliver(bot, textWebhook(bot, [{ id, from: '15552220005', text: 'yesterday', timestamp: old }]));
    await handled(bot.id);
    const [row] = await outboundOf(bot.id);
    expect(row).toMatchObject({ status: 'failed', errorTitle: 'window_closed' });
    expect(sentTo(bot.phoneNumberId)).toHaveLength(0);
    expect(kit.graph.readReceipts(id)).toHaveLength(1);
  });

  it('sends the fallback template outside the window when one is configured', async () => {
    const bot = await kit.createBot({
      fallback_template: { name: 'reopen_conversation', language: 'en_US', parameters: ['Ada'] },
    });
    const old = Math.floor(Date.now() / 1000) - 25 * 3600;
    await kit.deliver(bot, textWebhook(bot, [{ from: '15552220006', text: 'yesterday', timestamp: old }]));
    const [sent] = await waitSent(bot.phoneNumberId, 1);
    expect(sent?.kind).toBe('template');
    expect(sent?.body).toMatchObject({ type: 'template', template: { name: 'reopen_conversation' } });
    await handled(bot.id);
    const [row] = await outboundOf(bot.id);
    expect(row).toMatchObject({ type: 'template', status: 'sent', metaMessageId: sent?.messageId });
  });
});

describe('delivery: credentials', () => {
  it('flags the bot on 190, holds its sends, and recovers in order after the token is replaced', async () => {
    const bot = await kit.createBot();
    const oldToken = bot.accessToken;
    kit.graph.injectFault({ kind: 'expired_token_190', match: { token: oldToken } });
    const user = '15552220007';
    await kit.deliver(bot, textWebhook(bot, [{ from: user, text: 'first' }]));
    const flagged = await eventually(async () => {
      const row = await db().bot.findUniqueOrThrow({ where: { id: bot.id } });
      return row.credentialsStatus === 'invalid' ? row : null;
    });
    expect(flagged.credentialsErrorCode).toBe(190);
    expect(flagged.credentialsError).toMatch(/expired/i);
    expect(flagged.credentialsCheckedAt).toBeTruthy();
    expect(kit.logs.text()).toMatch(/access token rejected by Meta \(190/);

    await kit.deliver(bot, textWebhook(bot, [{ from: user, text: 'second' }]));
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(sentTo(bot.phoneNumberId)).toHaveLength(0);
    const textTries = kit.graph.requests.filter((r) => r.phoneNumberId === bot.phoneNumberId && r.kind === 'text');
    expect(textTries.length).toBeLessThanOrEqual(2);

    await kit.replaceToken(bot, 'EAAT-new-token');
    const sent = await waitSent(bot.phoneNumberId, 2);
    expect(sent.map((r) => textOf(r.body))).toEqual(['ECHO: first', 'ECHO: second']);
    expect(sent.every((r) => r.token === 'EAAT-new-token')).toBe(true);
    kit.graph.clearFaults();
  });
});

describe('delivery: pair rate limit', () => {
  it('holds only the limited conversation and then delivers', async () => {
    const bot = await kit.createBot();
    const slow = '15552220008';
    const other = '15552220009';
    kit.graph.injectFault({
      kind: 'pair_rate_131056',
      match: { phoneNumberId: bot.phoneNumberId, to: slow },
      times: 2,
    });
    await kit.deliver(bot, textWebhook(bot, [{ from: slow, text: 'me first' }]));
    await kit.deliver(bot, textWebhook(bot, [{ from: other, text: 'me too' }]));
    const sent = await waitSent(bot.phoneNumberId, 2, 10_000);
    expect(sent.map((r) => textOf(r.body))).toEqual(['ECHO: me too', 'ECHO: me first']);
    const tries = kit.graph.requests.filter(
      (r) => r.phoneNumberId === bot.phoneNumberId && r.to === slow && r.kind === 'text',
    );
    // Held 1 unit then 4 units (PAIR_RATE_BASE_MS = 50 in tests) between the tries.
    expect((tries[2]?.time ?? 0) - (tries[1]?.time ?? 0)).toBeGreaterThanOrEqual(180);
  });
});

describe('delivery: fleet-wide rate limit', () => {
  it('keeps two workers together under the per-number rate', async () => {
    const rate = 20;
    const bot = await kit.createBot({ rate_limit_per_second: rate });
    // Warm up both workers' Graph connections: connection set-up time would otherwise bunch the
    // first calls of a cold process (the limiter spaces slots; the network adds jitter).
    await kit.deliverMany(
      bot,
      Array.from({ length: 10 }, (_, i) =>
        textWebhook(bot, [{ from: `1555444${String(i).padStart(4, '0')}`, text: 'warm' }]),
      ),
    );
    await waitSent(bot.phoneNumberId, 10, 15_000);
    const after = Math.max(...kit.graph.requests.map((r) => r.seq));
    const payloads = Array.from({ length: 30 }, (_, i) =>
      textWebhook(bot, [{ from: `1555333${String(i).padStart(4, '0')}`, text: `burst ${i}` }]),
    );
    await kit.deliverMany(bot, payloads);
    await waitSent(bot.phoneNumberId, 40, 15_000);
    const times = kit.graph.requests
      .filter((r) => r.seq > after && r.phoneNumberId === bot.phoneNumberId && r.status === 200)
      .map((r) => r.time)
      .sort((a, b) => a - b);
    expect(times).toHaveLength(60); // 30 read receipts + 30 replies, all through the limiter
    // Fixed 1-s windows from the first call, as Meta counts and the benchmark reports: never over.
    const first = times[0] ?? 0;
    const windows = new Map<number, number>();
    for (const time of times) {
      const window = Math.floor((time - first) / 1000);
      windows.set(window, (windows.get(window) ?? 0) + 1);
    }
    expect(Math.max(...windows.values())).toBeLessThanOrEqual(rate);
    // Any 1-s window at all (stricter than Meta's count): the limiter books 95 % of the rate, but
    // on a loaded machine (load average 20 on 2 cores was seen) one late arrival can still land
    // beside the next second's punctual calls; one over is jitter, a broken limiter is far over.
    let worst = 0;
    for (let i = 0; i < times.length; i++) {
      let j = i;
      while (j < times.length && (times[j] ?? 0) - (times[i] ?? 0) < 1000) j++;
      worst = Math.max(worst, j - i);
    }
    expect(worst).toBeLessThanOrEqual(rate + 1);
    expect((times.at(-1) ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(((60 - rate - 1) / rate) * 1000);
  });
});

describe('status webhooks', () => {
  it('moves outbound messages forward only, records failures, ignores unknown ids', async () => {
    const bot = await kit.createBot();
    const user = '15552220010';
    await kit.deliver(
      bot,
      textWebhook(bot, [
        { from: user, text: 'one' },
        { from: user, text: 'two' },
      ]),
    );
    await handled(bot.id, 2);
    const [first, second] = await outboundOf(bot.id);
    const firstId = first?.metaMessageId ?? '';
    const secondId = second?.metaMessageId ?? '';
    await kit.deliver(
      bot,
      statusWebhook(bot, [
        { id: firstId, status: 'read', recipient: user },
        { id: 'wamid.unknown', status: 'delivered', recipient: user },
      ]),
    );
    await kit.deliver(bot, statusWebhook(bot, [{ id: firstId, status: 'delivered', recipient: user }]));
    await kit.deliver(bot, statusWebhook(bot, [{ id: firstId, status: 'sent', recipient: user }]));
    await kit.deliver(
      bot,
      statusWebhook(bot, [
        {
          id: secondId,
          status: 'failed',
          recipient: user,
          errors: [
            {
              code: 131049,
              title: 'This message was not delivered to maintain healthy ecosystem engagement.',
              message: 'This message was not delivered to maintain healthy ecosystem engagement.',
              error_data: { details: 'In order to maintain a healthy ecosystem engagement, the message failed.' },
            },
          ],
        },
      ]),
    );
    await eventually(async () => {
      const counts = await kit.webhookJobCounts('wait', 'active', 'delayed');
      return !counts.wait && !counts.active && !counts.delayed;
    });
    const rows = await eventually(async () => {
      const list = await outboundOf(bot.id);
      return list[0]?.deliveredAt && list[1]?.status === 'failed' ? list : null;
    });
    expect(rows[0]).toMatchObject({ status: 'read' });
    expect(rows[0]?.readAt).toBeTruthy();
    expect(rows[0]?.deliveredAt).toBeTruthy();
    expect(rows[1]).toMatchObject({ status: 'failed', errorCode: 131049 });
    expect(rows[1]?.errorTitle).toMatch(/healthy ecosystem/);
    const { failed } = await kit.webhookJobCounts('failed');
    expect(failed).toBe(0);
  });
});

describe('operator template sends and dead letters', () => {
  it('sends the template of a pending outbound row once', async () => {
    const bot = await kit.createBot();
    const user = '15552220011';
    await kit.deliver(bot, textWebhook(bot, [{ from: user, text: 'hi' }]));
    await handled(bot.id);
    const conversation = await db().conversation.findFirstOrThrow({ where: { botId: bot.id } });
    const row = await db().message.create({
      data: {
        botId: bot.id,
        conversationId: conversation.id,
        direction: 'outbound',
        type: 'template',
        text: '[Template: hello_world]',
        status: 'pending',
      },
    });
    const template = { name: 'hello_world', language: 'en_US', parameters: [] };
    const job = { botId: bot.id, conversationId: conversation.id, messageId: row.id, template };
    await kit.outbound.add('send-template', job);
    await kit.outbound.add('send-template', job);
    const sent = await kit.graph.waitFor(() => {
      const list = sentTo(bot.phoneNumberId).filter((r) => r.kind === 'template');
      return list.length ? list : null;
    });
    const stored = await eventually(async () => {
      const found = await db().message.findUniqueOrThrow({ where: { id: row.id } });
      return found.status === 'sent' ? found : null;
    });
    expect(stored.metaMessageId).toBe(sent[0]?.messageId);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sentTo(bot.phoneNumberId).filter((r) => r.kind === 'template')).toHaveLength(1);
  });

  it('leaves an impossible job in the failed set with a readable reason, counted in /metrics', async () => {
    const bot = await kit.createBot();
    const { id } = await kit.outbound.add('send-template', {
      botId: bot.id,
      conversationId: '00000000-0000-4000-8000-000000000000',
      messageId: '00000000-0000-4000-8000-000000000001',
      template: { name: 'x', language: 'en', parameters: [] },
    });
    const job = await eventually(async () => {
      const found = await kit.outbound.queue.getJob(id);
      // The job may fail between reading it and reading its state: then its failedReason is not in
      // this copy yet, and the next poll reads it again.
      return found?.failedReason && (await found.getState()) === 'failed' ? found : null;
    });
    expect(job.failedReason).toMatch(/outbound message 00000000-0000-4000-8000-000000000001 not found/);
    const app = buildApp({
      logger: kit.logger,
      redis: runtime.redis,
      db: runtime.db,
      metricsRegistry: runtime.metricsRegistry,
    });
    const metrics = await app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/wabot_worker_dead_letter_jobs\{queue="outbound",service="worker"\} [1-9]/);
    expect(metrics.body).toMatch(
      /wabot_worker_graph_sends_total\{operation="text",outcome="sent",code="",service="worker"\} [1-9]/,
    );
    expect(metrics.body).toContain('wabot_worker_graph_latency_seconds_bucket');
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    await app.close();
  });
});
