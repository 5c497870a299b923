import { deploymentEngineKey, parseDeploymentEngine } from '@wabot/contracts';
import { buildInboundMessage, buildWebhookBody, createSimUser, sentText } from '@wabot/meta-simulator';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  businessOf,
  eventually,
  newWamid,
  textWebhook,
  useWorkerKit,
  type WorkerKit,
} from './testing/worker.test-kit.js';

const fixture = useWorkerKit();
const { database } = fixture;
let kit: WorkerKit;

beforeAll(() => {
  kit = fixture.kit;
});

const textOf = (body: unknown) => sentText({ body }) ?? '';

describe('worker: walking skeleton', () => {
  it('answers a text with the LLM reply, after the read receipt, through the bot number and token', async () => {
    const bot = await kit.createBot();
    const user = '15557654321';
    const id = newWamid();
    await kit.deliver(bot, textWebhook(bot, [{ id, from: user, text: 'Hello there!' }]));

    const [reply] = await kit.graph.waitFor(() => {
      const sent = kit.graph.sentMessages({ phoneNumberId: bot.phoneNumberId, to: user });
      return sent.length ? sent : null;
    }, 10_000);
    expect(textOf(reply?.body)).toBe('ECHO: Hello there!');
    expect(reply?.token).toBe(bot.accessToken);

    const receipts = kit.graph.readReceipts(id);
    expect(receipts).toHaveLength(1);
    expect(receipts[0]?.phoneNumberId).toBe(bot.phoneNumberId);
    expect(receipts[0]?.seq).toBeLessThan(reply?.seq ?? 0);

    const llmRequest = kit.llm.requests.find((r) => r.messages[0]?.content === bot.systemPrompt);
    expect(llmRequest?.messages[0]?.role).toBe('system');
    expect(llmRequest?.model).toBe('test-model');
    expect(llmRequest?.credential).toBe('test-key');

    const rows = await eventually(async () => {
      const found = await database.current.db.message.findMany({
        where: { botId: bot.id },
        orderBy: { createdAt: 'asc' },
      });
      return found.some((m) => m.direction === 'inbound' && m.status === 'handled') ? found : null;
    });
    const inbound = rows.find((m) => m.direction === 'inbound');
    const outbound = rows.find((m) => m.direction === 'outbound');
    expect(inbound).toMatchObject({ metaMessageId: id, text: 'Hello there!', status: 'handled' });
    expect(outbound).toMatchObject({
      status: 'sent',
      text: 'ECHO: Hello there!',
      replyToId: inbound?.id,
      partIndex: 0,
    });
    expect(outbound?.metaMessageId).toBe(reply?.messageId);
    const conversation = await database.current.db.conversation.findFirstOrThrow({ where: { botId: bot.id } });
    expect(conversation).toMatchObject({ userKey: user, waId: user, profileName: 'Test User' });
  });

  it('replies once to a message delivered three times', async () => {
    const bot = await kit.createBot();
    const user = '15550000003';
    const id = newWamid();
    const payload = textWebhook(bot, [{ id, from: user, text: 'only once please' }]);
    await kit.deliver(bot, payload);
    await kit.deliver(bot, payload);
    await kit.graph.waitFor(() => kit.graph.sentMessages({ phoneNumberId: bot.phoneNumberId }).length > 0, 10_000);
    await kit.deliver(bot, payload);
    // Give every copy time to be processed.
    await eventually(async () => (await kit.webhookJobCounts('active', 'wait', 'delayed')).active === 0);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(kit.graph.sentMessages({ phoneNumberId: bot.phoneNumberId })).toHaveLength(1);
    expect(kit.llm.requests.filter((r) => r.lastUser === 'only once please')).toHaveLength(1);
    const count = await database.current.db.message.count({ where: { botId: bot.id, direction: 'inbound' } });
    expect(count).toBe(1);
  });

  it('splits a long reply into ordered parts of at most 4096 characters', async () => {
    const bot = await kit.createBot();
    const user = '15550000004';
    const long = `${'word '.repeat(1800)}\n\n${'other '.repeat(200)}`.trim();
    await kit.deliver(bot, textWebhook(bot, [{ from: user, text: long }]));
    const expected = `ECHO: ${long}`;
    const sent = await kit.graph.waitFor(() => {
      const list = kit.graph.sentMessages({ phoneNumberId: bot.phoneNumberId });
      return list.length >= 3 ? list : null;
    }, 10_000);
    const parts = sent.map((r) => String(textOf(r.body)));
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(4096);
    expect(parts.join('').replace(/\s+/g, '')).toBe(expected.replace(/\s+/g, ''));
    const rows = await eventually(async () => {
      const found = await database.current.db.message.findMany({
        where: { botId: bot.id, direction: 'outbound' },
        orderBy: { partIndex: 'asc' },
      });
      return found.every((r) => r.status === 'sent') ? found : null;
    });
    expect(rows.map((r) => r.partIndex)).toEqual([0, 1, 2]);
    expect(rows.every((r) => r.partCount === 3 && r.status === 'sent')).toBe(true);
  });

  it('passes recent history to the engine, oldest first, bounded by turns', async () => {
    const bot = await kit.createBot({ history: { turns: 2, chars: 10_000 } });
    const user = '15550000005';
    for (const text of ['first', 'second', 'third']) {
      await kit.deliver(bot, textWebhook(bot, [{ from: user, text }]));
      await kit.graph.waitFor(
        () =>
          kit.graph.sentMessages({ phoneNumberId: bot.phoneNumberId }).some((r) => textOf(r.body) === `ECHO: ${text}`),
        10_000,
      );
    }
    const last = kit.llm.requests.find((r) => r.lastUser === 'third' && r.messages[0]?.content === bot.systemPrompt);
    expect(last?.messages.map((m) => `${m.role}:${m.content}`)).toEqual([
      `system:${bot.systemPrompt}`,
      'user:second',
      'assistant:ECHO: second',
      'user:third',
    ]);
  });
});

describe('worker: engine failures', () => {
  it('retries after LLM 500s and answers once, logging the failure', async () => {
    const bot = await kit.createBot();
    const user = '15550000006';
    kit.llm.failNext(3, 500);
    await kit.deliver(bot, textWebhook(bot, [{ from: user, text: 'survive the outage' }]));
    const sent = await kit.graph.waitFor(() => {
      const list = kit.graph.sentMessages({ phoneNumberId: bot.phoneNumberId });
      return list.length ? list : null;
    }, 15_000);
    expect(sent.map((r) => textOf(r.body))).toEqual(['ECHO: survive the outage']);
    const failures = kit.llm.requests.filter((r) => r.lastUser === 'survive the outage' && r.status === 500);
    expect(failures).toHaveLength(3);
    // An LLM answering 5xx is an outage: the job comes back after OUTAGE_RETRY_MS, not a growing back-off.
    expect(kit.logs.text()).toMatch(/LLM answered HTTP 500.*"msg":"llm unreachable: job retried in 1000 ms"/);
  });

  it('retries after an LLM timeout instead of crashing', async () => {
    const bot = await kit.createBot();
    const user = '15550000007';
    // Longer than LLM_TIMEOUT_MS (1 s) for the first call and its in-process retry.
    kit.llm.delayNext(2, 1_300);
    await kit.deliver(bot, textWebhook(bot, [{ from: user, text: 'slow brain' }]));
    const sent = await kit.graph.waitFor(() => {
      const list = kit.graph.sentMessages({ phoneNumberId: bot.phoneNumberId });
      return list.length ? list : null;
    }, 20_000);
    expect(sent.map((r) => textOf(r.body))).toEqual(['ECHO: slow brain']);
    expect(kit.logs.text()).toMatch(/LLM request failed: timed out after 1000 ms/);
  });
  it('records a reply the engine can never produce (LLM 401) as failed and answers the next message', async () => {
    const bot = await kit.createBot();
    const user = '15550000008';
    kit.llm.failNext(1, 401);
    const first = newWamid();
    await kit.deliver(bot, textWebhook(bot, [{ id: first, from: user, text: 'rejected key' }]));
    await kit.deliver(bot, textWebhook(bot, [{ from: user, text: 'key fixed' }]));
    const sent = await kit.graph.waitFor(() => {
      const list = kit.graph.sentMessages({ phoneNumberId: bot.phoneNumberId });
      return list.length ? list : null;
    }, 15_000);
    expect(sent.map((r) => textOf(r.body))).toEqual(['ECHO: key fixed']);
    const inbound = await database.current.db.message.findFirst({ where: { botId: bot.id, metaMessageId: first } });
    if (inbound === null) throw new Error(`inbound message ${first} was not stored`);
    const reply = await database.current.db.message.findFirst({ where: { replyToId: inbound.id } });
    // The engine call failed for good: the inbound message shows it (contract: Diagnostics).
    expect(inbound).toMatchObject({ status: 'failed', errorCode: 401, errorTitle: 'engine_failed' });
    expect(reply).toMatchObject({
      direction: 'outbound',
      status: 'failed',
      errorCode: 401,
      errorTitle: 'engine_failed',
    });
    expect(kit.logs.text()).toMatch(/engine failed permanently/);
  });
});

describe('worker: recipients and indicators', () => {
  it('replies to the business-scoped user id when Meta sends no phone number', async () => {
    const bot = await kit.createBot();
    const bsuid = 'US.13491208655302741918';
    const id = newWamid();
    const user = createSimUser({ name: 'Username User', waId: null, bsuid, username: '@user' });
    await kit.deliver(
      bot,
      buildWebhookBody(businessOf(bot), {
        contacts: [user],
        messages: [
          buildInboundMessage(
            businessOf(bot),
            user,
            { type: 'text', body: 'no phone' },
            { id, timestamp: String(Math.floor(Date.now() / 1000)) },
          ),
        ],
      }),
    );
    const [reply] = await kit.graph.waitFor(() => {
      const list = kit.graph.sentMessages({ phoneNumberId: bot.phoneNumberId });
      return list.length ? list : null;
    }, 10_000);
    expect(reply?.to).toBe(bsuid);
    expect(textOf(reply?.body)).toBe('ECHO: no phone');
    const conversation = await database.current.db.conversation.findFirstOrThrow({ where: { botId: bot.id } });
    expect(conversation).toMatchObject({ userKey: bsuid, userId: bsuid, waId: null });
  });

  it('shows the typing indicator (which also marks the message read) when the bot asks for it', async () => {
    const bot = await kit.createBot({ typing_indicator: true });
    const id = newWamid();
    await kit.deliver(bot, textWebhook(bot, [{ id, from: '15550000008', text: 'typing?' }]));
    const [reply] = await kit.graph.waitFor(() => {
      const list = kit.graph.sentMessages({ phoneNumberId: bot.phoneNumberId });
      return list.length ? list : null;
    }, 10_000);
    const [indicator] = kit.graph.readReceipts(id);
    expect(indicator?.kind).toBe('typing');
    expect(indicator?.body).toMatchObject({ status: 'read', message_id: id, typing_indicator: { type: 'text' } });
    expect(indicator?.seq).toBeLessThan(reply?.seq ?? 0);
  });
});

describe('worker runtime: Redis connections', () => {
  it('keeps BullMQ off the auto-pipelined connection (ioredis copies every defined script onto each per-tick pipeline)', async () => {
    const runtime = await kit.startWorker();
    // Exercise the runtime's queues (failed-job counts feed the metrics) before looking.
    await runtime.metricsRegistry.metrics();
    const client = runtime.redis as unknown as { options: { enableAutoPipelining?: boolean }; scriptsSet: object };
    expect(client.options.enableAutoPipelining).toBe(true);
    expect(Object.keys(client.scriptsSet)).toEqual([]);
  });
});

describe('worker: what a bot without its own provider runs on', () => {
  it('records the deployment engine at start, for the admin to show (an LLM here; canned replies without LLM_BASE_URL)', async () => {
    const record = parseDeploymentEngine(await kit.redis.get(deploymentEngineKey(kit.config.REDIS_PREFIX)));
    expect(record).toMatchObject({ engine: 'llm', model: kit.config.LLM_MODEL ?? null });
    const offline = await kit.startWorker({ LLM_BASE_URL: undefined });
    try {
      const after = parseDeploymentEngine(await kit.redis.get(deploymentEngineKey(kit.config.REDIS_PREFIX)));
      expect(after?.engine).toBe('offline');
    } finally {
      await offline.close();
    }
  });
});
