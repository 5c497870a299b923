import { describe, expect, it } from 'vitest';
import { eventually, newWamid, textWebhook, useWorkerKit } from './testing/worker.test-kit.js';

// Nothing listens on this port (the test range of this checkout): the LLM is unreachable.
const fixture = useWorkerKit({
  config: { LLM_BASE_URL: 'http://127.0.0.1:4611/v1', DELIVERY_RETRY_BUDGET_MS: '1500' },
});
const { database } = fixture;
const db = () => database.current.db;

describe('diagnostics: LLM unreachable', () => {
  it('shows attempts and last_error on the inbound message, then fails it with the error; the bot shows LLM unreachable', async () => {
    const { kit } = fixture;
    const bot = await kit.createBot();
    const id = newWamid();
    await kit.deliver(bot, textWebhook(bot, [{ id, from: '15554440001', text: 'are you there?' }]));
    const retrying = await eventually(async () => {
      const row = await db().message.findFirst({ where: { botId: bot.id, metaMessageId: id } });
      return row && row.attempts >= 1 && row.status !== 'failed' ? row : null;
    });
    // Not `received` while the user already has blue ticks: processing, with the error.
    expect(retrying.status).toBe('processing');
    expect(retrying.lastError).toMatchObject({ code: null, title: expect.stringMatching(/^llm_unreachable/) });
    expect(kit.graph.readReceipts(id)).toHaveLength(1);

    const failed = await eventually(async () => {
      const row = await db().message.findFirst({ where: { botId: bot.id, metaMessageId: id } });
      return row?.status === 'failed' ? row : null;
    }, 15_000);
    expect(failed.errorTitle).toBe('llm_unreachable');
    expect(failed.errorDetails).toMatch(/gave up after \d+ attempt\(s\)/);
    expect(failed.failedAt).toBeInstanceOf(Date);
    const reply = await db().message.findFirst({ where: { replyToId: failed.id } });
    expect(reply).toMatchObject({ direction: 'outbound', status: 'failed', errorTitle: 'llm_unreachable' });
    expect(kit.graph.sentMessages({ phoneNumberId: bot.phoneNumberId })).toHaveLength(0);

    const health = await db().bot.findUniqueOrThrow({ where: { id: bot.id } });
    expect(health.llmStatus).toBe('unreachable');
    expect(health.llmError).toMatchObject({ title: expect.stringMatching(/^llm_unreachable/) });
    expect(health.llmStatusAt).toBeInstanceOf(Date);
  });
});
