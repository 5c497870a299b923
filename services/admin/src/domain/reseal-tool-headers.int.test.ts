import { randomBytes } from 'node:crypto';
import { createBotToolRepository } from '@wabot/db';
import { createSecretBox, type SecretBox } from '@wabot/secrets';
import { createTestBot, useTestDatabase } from '@wabot/testing';
import { describe, expect, it } from 'vitest';
import { resealToolHeaders } from './reseal-tool-headers.js';
import { parseStoredToolHeaders, sealToolHeaders } from './tool-headers.js';

const database = useTestDatabase();

describe('resealToolHeaders (key rotation)', () => {
  it('re-encrypts tool header values sealed with an older key, keeps their plaintext and hints', async () => {
    const db = database.current.db;
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const oldBox = createSecretBox(oldKey);
    const ring = createSecretBox(newKey, [oldKey]);
    const { id: workspaceId } = await db.workspace.create({ data: { name: 'rotation' } });
    const bot = await createTestBot(db, ring, { workspaceId });
    const addTool = (name: string, box: SecretBox, headers: Record<string, string>) =>
      db.botTool.create({
        data: {
          botId: bot.id,
          name,
          description: name,
          parameters: { type: 'object' },
          url: 'https://api.example.com/',
          headers: sealToolHeaders(box, headers),
        },
      });
    const legacy = await addTool('legacy', oldBox, { Authorization: 'Bearer old-key-value-0123456789', 'X-A': 'a' });
    await addTool('fresh', ring, { Authorization: 'Bearer new' });
    await addTool('bare', ring, {});
    const lost = await addTool('lost', createSecretBox(randomBytes(32)), { Authorization: 'gone' });

    const result = await resealToolHeaders(createBotToolRepository(db), ring);
    expect(result.resealed).toEqual([legacy.id]);
    expect(result.current).toBe(2);
    expect(result.unreadable).toEqual([
      { toolId: lost.id, botId: bot.id, reason: expect.stringMatching(/no key with id/) },
    ]);

    const headers = parseStoredToolHeaders((await db.botTool.findUniqueOrThrow({ where: { id: legacy.id } })).headers);
    const current = createSecretBox(newKey);
    expect(Object.keys(headers).sort()).toEqual(['Authorization', 'X-A']);
    expect(current.open(headers.Authorization?.cipher ?? '')).toBe('Bearer old-key-value-0123456789');
    expect(current.open(headers['X-A']?.cipher ?? '')).toBe('a');
    expect(headers.Authorization?.hint).toBe('Bear…789');

    const again = await resealToolHeaders(createBotToolRepository(db), ring);
    expect(again.resealed).toEqual([]);
    expect(again.current).toBe(3);
  });
});
