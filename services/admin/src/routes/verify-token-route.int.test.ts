import { useTestDatabase, useTestRedis } from '@wabot/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestAdmin, type TestAdmin } from '../testing/test-admin.js';

const database = useTestDatabase();
const redis = useTestRedis();
let admin: TestAdmin;

beforeAll(async () => {
  admin = await createTestAdmin(database.current, redis.current);
});
afterAll(async () => {
  await admin.close();
});

describe('GET /api/bots/:id/verify-token', () => {
  it("reveals the verify token to the bot's workspace only, never cached", async () => {
    const ws = (await admin.call('POST', '/api/workspaces', { as: 'olga', body: { name: 'Olga' } })).json();
    const created = await admin.call('POST', '/api/bots', {
      as: 'olga',
      body: {
        name: 'Reveal',
        platform: 'whatsapp',
        workspace_id: ws.id,
        platform_config: { phone_number_id: '5550001', access_token: 'EAAB-token-1', verify_token: 'My-Verify-77' },
      },
    });
    expect(created.statusCode).toBe(201);
    const bot = created.json();
    expect(bot.platform_config.verify_token.hint).not.toBe('My-Verify-77');

    const res = await admin.call('GET', `/api/bots/${bot.id}/verify-token`, { as: 'olga' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ verify_token: 'My-Verify-77' });
    expect(res.headers['cache-control']).toBe('no-store');

    const other = await admin.call('GET', `/api/bots/${bot.id}/verify-token`, { as: 'mallory' });
    expect(other.statusCode).toBe(404);
    expect(other.body).not.toContain('My-Verify-77');
  });
});
