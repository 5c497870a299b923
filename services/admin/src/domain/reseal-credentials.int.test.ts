import { randomBytes } from 'node:crypto';
import { botChangedChannel } from '@wabot/bot-registry';
import { createBotRepository } from '@wabot/db';
import { createSecretBox } from '@wabot/secrets';
import { createTestBot, useTestDatabase, useTestRedis } from '@wabot/testing';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { resealBotCredentials } from './reseal-credentials.js';

const database = useTestDatabase();
const redis = useTestRedis();

describe('resealBotCredentials (key rotation)', () => {
  it('re-encrypts credentials sealed with an older key, keeps their plaintext, announces each change', async () => {
    const db = database.current.db;
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const oldBox = createSecretBox(oldKey);
    const ring = createSecretBox(newKey, [oldKey]);
    const { id: workspaceId } = await db.workspace.create({ data: { name: 'rotation' } });
    const legacy = await createTestBot(db, oldBox, { workspaceId, llmApiKey: 'sk-legacy-llm-key' });
    const legacyNoSecret = await createTestBot(db, oldBox, { workspaceId, appSecret: null });
    const fresh = await createTestBot(db, ring, { workspaceId });
    const lost = await createTestBot(db, createSecretBox(randomBytes(32)), { workspaceId });

    const subscriber = new Redis(redis.current.url);
    const announced: string[] = [];
    subscriber.on('message', (_channel, message: string) => announced.push(JSON.parse(message).botId));
    await subscriber.subscribe(botChangedChannel(redis.current.prefix));
    try {
      const result = await resealBotCredentials(
        createBotRepository(db),
        ring,
        redis.current.redis,
        redis.current.prefix,
      );
      expect(result.resealed.sort()).toEqual([legacy.id, legacyNoSecret.id].sort());
      expect(result.current).toBe(1);
      expect(result.unreadable.map((u) => u.botId)).toEqual([lost.id]);

      const row = await db.bot.findUniqueOrThrow({ where: { id: legacy.id } });
      expect(ring.needsRotation(row.accessTokenCipher)).toBe(false);
      expect(ring.open(row.accessTokenCipher)).toBe(legacy.accessToken);
      expect(ring.open(row.verifyTokenCipher)).toBe(legacy.verifyToken);
      expect(row.appSecretCipher && createSecretBox(newKey).open(row.appSecretCipher)).toBe(legacy.appSecret);
      expect(row.llmApiKeyCipher && createSecretBox(newKey).open(row.llmApiKeyCipher)).toBe('sk-legacy-llm-key');
      expect(row.version).toBe(2);
      expect((await db.bot.findUniqueOrThrow({ where: { id: legacyNoSecret.id } })).appSecretCipher).toBeNull();
      expect((await db.bot.findUniqueOrThrow({ where: { id: fresh.id } })).version).toBe(1);
      await expect.poll(() => announced.sort()).toEqual([legacy.id, legacyNoSecret.id].sort());

      const again = await resealBotCredentials(
        createBotRepository(db),
        ring,
        redis.current.redis,
        redis.current.prefix,
      );
      expect(again.resealed).toEqual([]);
      expect(again.current).toBe(3);
    } finally {
      subscriber.disconnect();
    }
  });
});
