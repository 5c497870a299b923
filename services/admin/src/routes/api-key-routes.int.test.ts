import { useTestDatabase, useTestRedis } from '@wabot/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../auth/password-hash.js';
import { createTestAdmin, type TestAdmin } from '../testing/test-admin.js';
import { createTestBrowser, type TestBrowser } from '../testing/test-browser.js';

const database = useTestDatabase();
const redis = useTestRedis();
let admin: TestAdmin;
let person: TestBrowser;
let created: { id: string; name: string; key: string; created_at: string };

const withKey = (key: string, method: 'GET' | 'POST', url: string, body?: unknown) =>
  admin.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { payload: JSON.stringify(body) } : {}),
  });

beforeAll(async () => {
  admin = await createTestAdmin(database.current, redis.current, { API_RATE_LIMIT_MAX: '1000' });
  await database.current.db.account.create({
    data: { email: 'dev@example.com', name: 'Dev', passwordHash: await hashPassword('dev password 123') },
  });
  person = createTestBrowser(admin.app, admin.bodies);
  await person.call('POST', '/api/auth/login', { body: { email: 'dev@example.com', password: 'dev password 123' } });
  await person.call('POST', '/api/workspaces', { body: { name: 'Dev space' } });
});
afterAll(async () => {
  await admin.close();
});

describe('API keys', () => {
  it('created once: the key is in the response, the database holds only its hash', async () => {
    const res = await person.call('POST', '/api/auth/api-keys', { body: { name: 'deploy script' } });
    expect(res.statusCode).toBe(201);
    created = res.json();
    expect(created).toEqual({
      id: expect.any(String),
      name: 'deploy script',
      key: expect.stringMatching(/^wbk_[A-Za-z0-9_-]{43}$/),
      created_at: expect.any(String),
    });
    const rows = await database.current.db.apiKey.findMany();
    expect(rows).toHaveLength(1);
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(created.key);
    expect(dump).not.toContain(created.key.slice(4));
    expect(rows[0]?.keyHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('the list shows a prefix, never the key', async () => {
    const res = await person.call('GET', '/api/auth/api-keys');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([
      {
        id: created.id,
        name: 'deploy script',
        prefix: created.key.slice(0, 12),
        created_at: created.created_at,
        last_used_at: null,
      },
    ]);
    expect(res.body).not.toContain(created.key);
  });

  it('authenticates as its owner without a CSRF token, and records the last use at most once a minute', async () => {
    const list = await withKey(created.key, 'GET', '/api/workspaces');
    expect(list.statusCode).toBe(200);
    expect(list.json().data.map((w: { name: string }) => w.name)).toEqual(['Dev space']);
    const change = await withKey(created.key, 'POST', '/api/workspaces', { name: 'By script' });
    expect(change.statusCode).toBe(201);
    const first = (await database.current.db.apiKey.findUniqueOrThrow({ where: { id: created.id } })).lastUsedAt;
    expect(first).not.toBeNull();
    await withKey(created.key, 'GET', '/api/workspaces');
    const second = (await database.current.db.apiKey.findUniqueOrThrow({ where: { id: created.id } })).lastUsedAt;
    expect(second).toEqual(first);
    // A use recorded more than a minute ago is recorded again.
    await database.current.db.apiKey.update({
      where: { id: created.id },
      data: { lastUsedAt: new Date(Date.now() - 61_000) },
    });
    await withKey(created.key, 'GET', '/api/workspaces');
    const third = (await database.current.db.apiKey.findUniqueOrThrow({ where: { id: created.id } })).lastUsedAt;
    expect(third?.getTime()).toBeGreaterThan(Date.now() - 10_000);
  });

  it('an unknown key is 401 (never tried as a JWT)', async () => {
    for (const key of [`wbk_${'x'.repeat(43)}`, 'wbk_short', 'wbk_']) {
      const res = await withKey(key, 'GET', '/api/workspaces');
      expect(res.statusCode, key).toBe(401);
      expect(res.json().error.message).toMatch(/API key is unknown or revoked/);
    }
  });

  it('a JWT caller without an account cannot make keys (403 account_required) and has none', async () => {
    const res = await admin.call('POST', '/api/auth/api-keys', { as: 'jwt-only', body: { name: 'x' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('account_required');
    expect((await admin.call('GET', '/api/auth/api-keys', { as: 'jwt-only' })).json()).toEqual([]);
    expect((await admin.call('DELETE', `/api/auth/api-keys/${created.id}`, { as: 'jwt-only' })).statusCode).toBe(404);
  });

  it("another person cannot see or revoke the key (404); revoking one's own → 401 at once", async () => {
    await database.current.db.account.create({
      data: { email: 'other@example.com', name: 'Other', passwordHash: await hashPassword('other password 1') },
    });
    const other = createTestBrowser(admin.app, admin.bodies);
    await other.call('POST', '/api/auth/login', { body: { email: 'other@example.com', password: 'other password 1' } });
    expect((await other.call('GET', '/api/auth/api-keys')).json()).toEqual([]);
    expect((await other.call('DELETE', `/api/auth/api-keys/${created.id}`)).statusCode).toBe(404);
    expect((await withKey(created.key, 'GET', '/api/workspaces')).statusCode).toBe(200);

    expect((await person.call('DELETE', `/api/auth/api-keys/${created.id}`, { csrf: false })).statusCode).toBe(403);
    expect((await person.call('DELETE', `/api/auth/api-keys/${created.id}`)).statusCode).toBe(204);
    const revoked = await withKey(created.key, 'GET', '/api/workspaces');
    expect(revoked.statusCode).toBe(401);
    expect((await person.call('GET', '/api/auth/api-keys')).json()).toEqual([]);
  });

  it('the key never reaches a log line', () => {
    expect(admin.logs.text()).not.toContain(created.key);
    expect(admin.logs.text()).not.toContain(created.key.slice(12));
  });
});
