import { sentText } from '@wabot/meta-simulator';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventually, textWebhook, useWorkerKit, type WorkerKit } from './testing/worker.test-kit.js';

// A re-check far in the future: only the release on the bot-change announcement can resume in time.
const fixture = useWorkerKit({ config: { CREDENTIALS_RECHECK_MS: '60000' } });
const { database, redis } = fixture;
let kit: WorkerKit;

beforeAll(() => {
  kit = fixture.kit;
});

describe('worker: conversations held for broken credentials', () => {
  it('resume within seconds of the token being replaced, not at the next re-check', async () => {
    const bot = await kit.createBot();
    kit.graph.injectFault({ kind: 'expired_token_190', match: { token: bot.accessToken } });
    const user = '15553330001';
    await kit.deliver(bot, textWebhook(bot, [{ from: user, text: 'are you there?' }]));
    await eventually(async () => {
      const row = await database.current.db.bot.findUniqueOrThrow({ where: { id: bot.id } });
      return row.credentialsStatus === 'invalid' ? row : null;
    });
    const held = await eventually(async () => {
      const ids = await kit.redis.smembers(`${redis.current.prefix}:held-credentials:${bot.id}`);
      return ids.length ? ids : null;
    });
    expect(held.length).toBeGreaterThan(0);

    const replacedAt = Date.now();
    await kit.replaceToken(bot, 'EAAT-replacement-token');
    const reply = await kit.graph.waitFor(
      () => kit.graph.sentMessages({ phoneNumberId: bot.phoneNumberId })[0],
      10_000,
    );
    expect(sentText(reply)).toBe('ECHO: are you there?');
    expect(reply.token).toBe('EAAT-replacement-token');
    expect(Date.now() - replacedAt).toBeLessThan(10_000);
    kit.graph.clearFaults();
  });
});
