import { useTestDatabase, useTestRedis } from '@wabot/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../auth/password-hash.js';
import { createTestAdmin, type TestAdmin } from '../testing/test-admin.js';
import { createTestBrowser, type TestBrowser } from '../testing/test-browser.js';

const database = useTestDatabase();
const redis = useTestRedis();
let admin: TestAdmin;
let owner: TestBrowser;
let workspaceId: string;
const PASSWORD = 'owner password 123';
const secrets: string[] = [PASSWORD];

const tokenOf = (url: string) => new URL(url).searchParams.get('token') ?? '';

/** A password account signed in in its own browser. */
async function accountBrowser(email: string, password = PASSWORD): Promise<TestBrowser> {
  await database.current.db.account.create({
    data: { email, name: email.split('@')[0] ?? email, passwordHash: await hashPassword(password) },
  });
  const browser = createTestBrowser(admin.app, admin.bodies);
  const res = await browser.call('POST', '/api/auth/login', { body: { email, password } });
  expect(res.statusCode).toBe(200);
  return browser;
}

beforeAll(async () => {
  admin = await createTestAdmin(database.current, redis.current, {
    API_RATE_LIMIT_MAX: '1000',
    ADMIN_PUBLIC_URL: 'https://console.acme-bots.com/',
  });
  owner = await accountBrowser('owner@example.com');
  const ws = await owner.call('POST', '/api/workspaces', { body: { name: 'Acme' } });
  workspaceId = ws.json().id;
});
afterAll(async () => {
  await admin.close();
});

describe('invitations', () => {
  let invite: { id: string; url: string };

  it('an owner creates one: the link on ADMIN_PUBLIC_URL, the token stored hashed only', async () => {
    const res = await owner.call('POST', `/api/workspaces/${workspaceId}/invitations`, {
      body: { email: 'Mia@Example.com', role: 'member' },
    });
    expect(res.statusCode).toBe(201);
    const json = res.json();
    expect(json).toEqual({
      id: expect.any(String),
      email: 'mia@example.com',
      role: 'member',
      url: expect.stringMatching(/^https:\/\/console\.acme-bots\.com\/invite\?token=[A-Za-z0-9_-]{43}$/),
      expires_at: expect.any(String),
    });
    const days = (Date.parse(json.expires_at) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThan(7.1);
    invite = json;
    secrets.push(tokenOf(json.url));
    const rows = await database.current.db.invitation.findMany();
    expect(JSON.stringify(rows)).not.toContain(tokenOf(json.url));
  });

  it('lists pending invitations without their links', async () => {
    const res = await owner.call('GET', `/api/workspaces/${workspaceId}/invitations`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([
      {
        id: invite.id,
        email: 'mia@example.com',
        role: 'member',
        created_at: expect.any(String),
        expires_at: expect.any(String),
      },
    ]);
  });

  it('anyone with the link sees what it is for; a wrong token is 404', async () => {
    const anonymous = createTestBrowser(admin.app, admin.bodies);
    const res = await anonymous.call('GET', `/api/invitations/${tokenOf(invite.url)}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ workspace_name: 'Acme', email: 'mia@example.com', role: 'member' });
    expect((await anonymous.call('GET', `/api/invitations/${'Z'.repeat(43)}`)).statusCode).toBe(404);
  });

  it('the request log shows the route, never the token in the path', () => {
    const paths = admin.logs
      .entries()
      .map((e) => e.path)
      .filter((p) => typeof p === 'string' && p.includes('/invitations/'));
    expect(paths).toContain('/api/invitations/:token');
    expect(admin.logs.text()).not.toContain(tokenOf(invite.url));
  });

  it('a member cannot invite (403); someone outside the workspace gets 404', async () => {
    const member = await accountBrowser('plain-member@example.com');
    const memberId = (await member.call('GET', '/api/auth/me')).json().user.id;
    await database.current.db.membership.create({ data: { workspaceId, userId: memberId, role: 'member' } });
    const byMember = await member.call('POST', `/api/workspaces/${workspaceId}/invitations`, {
      body: { email: 'x@example.com', role: 'member' },
    });
    expect(byMember.statusCode).toBe(403);
    expect((await member.call('GET', `/api/workspaces/${workspaceId}/invitations`)).statusCode).toBe(403);
    const outsider = await accountBrowser('outsider@example.com');
    const byOutsider = await outsider.call('POST', `/api/workspaces/${workspaceId}/invitations`, {
      body: { email: 'x@example.com', role: 'member' },
    });
    expect(byOutsider.statusCode).toBe(404);
  });

  it('accepting as a new user creates the account, signs in, and makes a member', async () => {
    const mia = createTestBrowser(admin.app, admin.bodies);
    const missing = await mia.call('POST', `/api/invitations/${tokenOf(invite.url)}/accept`, { body: { name: 'Mia' } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.details.fields).toEqual([{ field: 'password', message: 'is required' }]);
    const res = await mia.call('POST', `/api/invitations/${tokenOf(invite.url)}/accept`, {
      body: { name: 'Mia', password: 'mia password 42' },
    });
    secrets.push('mia password 42');
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({
      user: { id: expect.any(String), email: 'mia@example.com', name: 'Mia' },
      workspace: { id: workspaceId, name: 'Acme', role: 'member' },
    });
    const me = await mia.call('GET', '/api/auth/me');
    expect(me.json().workspaces).toEqual([{ id: workspaceId, name: 'Acme', role: 'member' }]);
    const bots = await mia.call('GET', `/api/bots?workspace_id=${workspaceId}`);
    expect(bots.statusCode).toBe(200);
  });

  it('a used invitation is 404 (look-up and accept), and gone from the list', async () => {
    const anonymous = createTestBrowser(admin.app, admin.bodies);
    expect((await anonymous.call('GET', `/api/invitations/${tokenOf(invite.url)}`)).statusCode).toBe(404);
    const again = await anonymous.call('POST', `/api/invitations/${tokenOf(invite.url)}/accept`, {
      body: { name: 'Eve', password: 'eve password 99' },
    });
    expect(again.statusCode).toBe(404);
    expect((await owner.call('GET', `/api/workspaces/${workspaceId}/invitations`)).json()).toEqual([]);
  });

  it('an expired invitation is 404', async () => {
    const res = await owner.call('POST', `/api/workspaces/${workspaceId}/invitations`, {
      body: { email: 'late@example.com', role: 'admin' },
    });
    const { id, url } = res.json();
    await database.current.db.invitation.update({ where: { id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const anonymous = createTestBrowser(admin.app, admin.bodies);
    expect((await anonymous.call('GET', `/api/invitations/${tokenOf(url)}`)).statusCode).toBe(404);
    const accept = await anonymous.call('POST', `/api/invitations/${tokenOf(url)}/accept`, {
      body: { name: 'Late', password: 'late password 1' },
    });
    expect(accept.statusCode).toBe(404);
    expect(await database.current.db.account.count({ where: { email: 'late@example.com' } })).toBe(0);
  });

  it('a signed-in account accepts as itself (with the CSRF token), as an admin who may then invite', async () => {
    const res = await owner.call('POST', `/api/workspaces/${workspaceId}/invitations`, {
      body: { email: 'other@example.com', role: 'admin' },
    });
    const { url } = res.json();
    const other = await accountBrowser('other@example.com');
    const noCsrf = await other.call('POST', `/api/invitations/${tokenOf(url)}/accept`, { csrf: false });
    expect(noCsrf.statusCode).toBe(403);
    const accepted = await other.call('POST', `/api/invitations/${tokenOf(url)}/accept`);
    expect(accepted.statusCode).toBe(201);
    expect(accepted.json().workspace).toEqual({ id: workspaceId, name: 'Acme', role: 'admin' });
    const invites = await other.call('POST', `/api/workspaces/${workspaceId}/invitations`, {
      body: { email: 'next@example.com', role: 'member' },
    });
    expect(invites.statusCode).toBe(201);
  });

  it('an existing email must sign in first (409), and withdrawing an invitation kills its link', async () => {
    const res = await owner.call('POST', `/api/workspaces/${workspaceId}/invitations`, {
      body: { email: 'outsider@example.com', role: 'member' },
    });
    const { id, url } = res.json();
    const anonymous = createTestBrowser(admin.app, admin.bodies);
    const clash = await anonymous.call('POST', `/api/invitations/${tokenOf(url)}/accept`, {
      body: { name: 'Impostor', password: 'impostor password' },
    });
    expect(clash.statusCode).toBe(409);
    expect((await owner.call('DELETE', `/api/workspaces/${workspaceId}/invitations/${id}`)).statusCode).toBe(204);
    expect((await anonymous.call('GET', `/api/invitations/${tokenOf(url)}`)).statusCode).toBe(404);
    expect((await owner.call('DELETE', `/api/workspaces/${workspaceId}/invitations/${id}`)).statusCode).toBe(404);
  });
});

describe('members', () => {
  it('lists every member with email and name (null for a JWT-only member)', async () => {
    await admin.call('POST', `/api/workspaces/${workspaceId}/members`, {
      as: (await owner.call('GET', '/api/auth/me')).json().user.id,
      body: { user_id: 'jwt-only-sub', role: 'member' },
    });
    const res = await owner.call('GET', `/api/workspaces/${workspaceId}/members`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([
      { user_id: expect.any(String), email: 'owner@example.com', name: 'owner', role: 'owner' },
      { user_id: expect.any(String), email: 'plain-member@example.com', name: 'plain-member', role: 'member' },
      { user_id: expect.any(String), email: 'mia@example.com', name: 'Mia', role: 'member' },
      { user_id: expect.any(String), email: 'other@example.com', name: 'other', role: 'admin' },
      { user_id: 'jwt-only-sub', email: null, name: null, role: 'member' },
    ]);
  });

  it("tenancy: an outsider sees neither the members nor the workspace; me lists only one's own", async () => {
    const outsider = createTestBrowser(admin.app, admin.bodies);
    await outsider.call('POST', '/api/auth/login', { body: { email: 'outsider@example.com', password: PASSWORD } });
    expect((await outsider.call('GET', `/api/workspaces/${workspaceId}/members`)).statusCode).toBe(404);
    expect((await outsider.call('GET', `/api/workspaces/${workspaceId}`)).statusCode).toBe(404);
    const own = await outsider.call('POST', '/api/workspaces', { body: { name: 'Outsider Inc' } });
    expect(own.statusCode).toBe(201);
    expect((await outsider.call('GET', '/api/auth/me')).json().workspaces.map((w: { name: string }) => w.name)).toEqual(
      ['Outsider Inc'],
    );
    expect((await outsider.call('GET', '/api/workspaces')).json().data.map((w: { name: string }) => w.name)).toEqual([
      'Outsider Inc',
    ]);
    expect((await owner.call('GET', '/api/workspaces')).json().data.map((w: { name: string }) => w.name)).toEqual([
      'Acme',
    ]);
  });
});

describe('secrets', () => {
  it('no invite token or password in any log line; no password in any response', () => {
    const logs = admin.logs.text();
    for (const secret of secrets) expect(logs).not.toContain(secret);
    const bodies = admin.bodies.join('\n');
    expect(bodies).not.toContain(PASSWORD);
    expect(bodies).not.toContain('mia password 42');
  });
});
