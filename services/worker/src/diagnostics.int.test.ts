import { describe, expect, it } from 'vitest';
import { eventually, newWamid, textWebhook, useWorkerKit } from './testing/worker.test-kit.js';

// A shortened retry budget: a message that keeps failing is `failed` after about 1.5 s (the
// production default is 5 min; docs/contract.md, Diagnostics).
const fixture = useWorkerKit({ config: { DELIVERY_RETRY_BUDGET_MS: '1500' } });
const { database } = fixture;
const db = () => database.current.db;

const outboundOf = (botId: string) =>
  db().message.findMany({
    where: { botId, direction: 'outbound' },
    orderBy: [{ createdAt: 'asc' }, { partIndex: 'asc' }],
  });

describe('diagnostics: Graph unreachable', () => {
  it('shows attempts and last_error while retrying, then fails the reply with the reason after the budget', async () => {
    const { kit } = fixture;
    const bot = await kit.createBot();
    kit.graph.injectFault({ kind: 'drop_connection', match: { phoneNumberId: bot.phoneNumberId } });
    try {
      await kit.deliver(bot, textWebhook(bot, [{ from: '15553330001', text: 'anyone there?' }]));
      // While retrying: pending, with attempts and the last error.
      const retrying = await eventually(async () => {
        const [row] = await outboundOf(bot.id);
        return row && row.status === 'pending' && row.attempts >= 1 ? row : null;
      }, 10_000);
      expect(retrying.lastError).toMatchObject({ code: null, title: expect.stringMatching(/^graph_unreachable/) });
      expect(Date.parse(String((retrying.lastError as { at?: unknown }).at))).toBeGreaterThan(Date.now() - 60_000);
      expect(retrying.retryingSince).toBeInstanceOf(Date);
      // Past the budget: failed with the reason, not pending for hours.
      const failed = await eventually(async () => {
        const [row] = await outboundOf(bot.id);
        return row?.status === 'failed' ? row : null;
      }, 15_000);
      expect(failed.errorTitle).toMatch(/^graph_unreachable/);
      expect(failed.errorDetails).toMatch(/gave up after \d+ attempt\(s\)/);
      expect(failed.attempts).toBeGreaterThanOrEqual(2);
      expect(failed.failedAt).toBeInstanceOf(Date);
      const health = await db().bot.findUniqueOrThrow({ where: { id: bot.id } });
      expect(health.graphStatus).toBe('unreachable');
      expect(health.graphError).toMatchObject({ title: expect.stringMatching(/^graph_unreachable/) });
      // The conversation moves on: the inbound message is done (its reply failed), the drain job completed.
      await eventually(
        async () =>
          (await db().message.count({ where: { botId: bot.id, direction: 'inbound', status: 'handled' } })) === 1,
      );
    } finally {
      kit.graph.clearFaults();
    }
  });

  it('records a template send the Graph API never answers as failed with the reason', async () => {
    const { kit } = fixture;
    const bot = await kit.createBot();
    const conversation = await db().conversation.create({
      data: { botId: bot.id, userKey: '15553330002', waId: '15553330002', lastInboundAt: new Date() },
    });
    const row = await db().message.create({
      data: {
        botId: bot.id,
        conversationId: conversation.id,
        direction: 'outbound',
        type: 'template',
        text: '[Template: hello]',
        status: 'pending',
      },
    });
    kit.graph.injectFault({ kind: 'http_503', match: { phoneNumberId: bot.phoneNumberId } });
    try {
      await kit.outbound.add('send-template', {
        botId: bot.id,
        conversationId: conversation.id,
        messageId: row.id,
        template: { name: 'hello', language: 'en_US', parameters: [] },
      });
      const failed = await eventually(async () => {
        const found = await db().message.findUniqueOrThrow({ where: { id: row.id } });
        return found.status === 'failed' ? found : null;
      }, 20_000);
      // Meta's code of its 503 answer (2: service temporarily unavailable), and Meta's title.
      expect(failed.errorCode).toBe(2);
      expect(failed.errorTitle).toBeTruthy();
      expect(failed.errorDetails).toMatch(/gave up after/);
      expect(failed.lastError).toMatchObject({ code: 2, title: failed.errorTitle });
    } finally {
      kit.graph.clearFaults();
    }
  });
});

describe('diagnostics: truthful status', () => {
  it('marks credentials "unknown" as ok after a send Meta accepted, and the Graph API ok', async () => {
    const { kit } = fixture;
    const bot = await kit.createBot();
    expect((await db().bot.findUniqueOrThrow({ where: { id: bot.id } })).credentialsStatus).toBe('unknown');
    await kit.deliver(bot, textWebhook(bot, [{ from: '15553330003', text: 'hello' }]));
    const updated = await eventually(async () => {
      const found = await db().bot.findUniqueOrThrow({ where: { id: bot.id } });
      return found.credentialsStatus === 'ok' ? found : null;
    });
    expect(updated.credentialsCheckedAt).toBeInstanceOf(Date);
    expect(updated.graphStatus).toBe('ok');
    expect(updated.llmStatus).toBe('ok');
  });

  it("closes the conversation's window after Meta's 131047", async () => {
    const { kit } = fixture;
    const bot = await kit.createBot();
    kit.graph.injectFault({ kind: 'window_closed_131047', match: { phoneNumberId: bot.phoneNumberId }, times: 1 });
    await kit.deliver(bot, textWebhook(bot, [{ from: '15553330004', text: 'too late?' }]));
    const conversation = await eventually(async () => {
      const found = await db().conversation.findFirst({ where: { botId: bot.id } });
      return found?.windowClosedAt ? found : null;
    });
    expect(conversation.windowClosedAt?.getTime()).toBeGreaterThanOrEqual(conversation.lastInboundAt?.getTime() ?? 0);
  });

  it("stores Meta's timestamp on inbound messages", async () => {
    const { kit } = fixture;
    const bot = await kit.createBot();
    const id = newWamid();
    const sentAt = Math.floor(Date.now() / 1000) - 120;
    await kit.deliver(
      bot,
      textWebhook(bot, [{ id, from: '15553330005', text: 'sent two minutes ago', timestamp: sentAt }]),
    );
    const inbound = await eventually(() => db().message.findFirst({ where: { botId: bot.id, metaMessageId: id } }));
    expect(inbound.metaTimestamp?.getTime()).toBe(sentAt * 1000);
  });
});
