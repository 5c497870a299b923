import { randomBytes } from 'node:crypto';
import { createRepositories } from '@wabot/db';
import { createLogger } from '@wabot/logger';
import { useTestDatabase, useTestRedis } from '@wabot/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareFirstOwnerSetup } from '../auth/first-owner-setup.js';
import { hashPassword } from '../auth/password-hash.js';
import { createTestAdmin, type TestAdmin } from '../testing/test-admin.js';
import { createTestBrowser, type TestBrowser } from '../testing/test-browser.js';

const database = useTestDatabase();
const redis = useTestRedis();
let admin: TestAdmin;
let setupUrl: string;
let firstUrl: string;
let owner: TestBrowser;
const PASSWORD = 'correct horse battery staple';
const secrets: string[] = [PASSWORD];

const tokenOf = (url: string) => new URL(url).searchParams.get('token') ?? '';

beforeAll(async () => {
  admin = await createTestAdmin(database.current, redis.current, { API_RATE_LIMIT_MAX: '1000' });
  const logger = createLogger({ name: 'admin', level: 'debug', destination: admin.logs });
  const repos = createRepositories(database.current.db);
  // Two starts before anyone set up: the second token replaces the first. The first start is a bare
  // `./run service admin` (the admin makes the token and logs the link); the second is `./run
  // start`'s (SETUP_TOKEN, printed by start.ts, never logged).
  const first = await prepareFirstOwnerSetup(repos, { NODE_ENV: 'test', publicUrl: admin.config.publicUrl }, logger);
  const second = await prepareFirstOwnerSetup(
    repos,
    { NODE_ENV: 'test', publicUrl: admin.config.publicUrl, SETUP_TOKEN: randomBytes(32).toString('base64url') },
    logger,
  );
  if (!first || !second) throw new Error('expected setup links while no account exists');
  firstUrl = first;
  secrets.push(tokenOf(second));
  setupUrl = second;
  owner = createTestBrowser(admin.app, admin.bodies);
});
afterAll(async () => {
  await admin.close();
});

describe('first owner', () => {
  const body = (token: string) => ({
    token,
    email: 'Owner@Example.com',
    password: PASSWORD,
    name: 'Olga Owner',
    workspace_name: 'Acme support',
  });

  it('status says setup is required, no one is signed in, and password sign-in is on', async () => {
    const res = await owner.call('GET', '/api/auth/status');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ setup_required: true, oidc: false, user: null });
  });

  it('a bare admin start logs its link once (first_owner_setup_url); with SETUP_TOKEN nothing of it is logged', () => {
    const logged = admin.logs.entries().filter((e) => 'first_owner_setup_url' in e);
    expect(logged.map((e) => e.first_owner_setup_url)).toEqual([firstUrl]);
    expect(admin.logs.text()).not.toContain(tokenOf(setupUrl));
  });

  it('production without SETUP_TOKEN makes no token (a log is no place for it)', async () => {
    const logger = createLogger({ name: 'admin', level: 'debug', destination: admin.logs });
    const repos = createRepositories(database.current.db);
    const before = await database.current.db.setupToken.findFirstOrThrow();
    expect(await prepareFirstOwnerSetup(repos, { NODE_ENV: 'production', publicUrl: 'https://x' }, logger)).toBeNull();
    expect(await database.current.db.setupToken.findFirstOrThrow()).toEqual(before);
  });

  it('the setup link is http://<admin>/setup?token=... and its token is stored hashed only', async () => {
    expect(setupUrl).toMatch(/^http:\/\/127\.0\.0\.1:3001\/setup\?token=[A-Za-z0-9_-]{43}$/);
    const rows = await database.current.db.setupToken.findMany();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(tokenOf(setupUrl));
  });

  it('403 with a wrong or superseded token, and with it nothing is created', async () => {
    for (const token of ['x'.repeat(43), tokenOf(firstUrl)]) {
      const res = await owner.call('POST', '/api/auth/setup', { body: body(token) });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('invalid_setup_token');
    }
    expect(await database.current.db.account.count()).toBe(0);
  });

  it('400 for a short password, naming the field', async () => {
    const res = await owner.call('POST', '/api/auth/setup', {
      body: { ...body(tokenOf(setupUrl)), password: 'short' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.fields).toEqual([{ field: 'password', message: 'must be at least 10 characters' }]);
  });

  it('creates the owner and their workspace, signs in with httpOnly SameSite cookies', async () => {
    const res = await owner.call('POST', '/api/auth/setup', { body: body(tokenOf(setupUrl)) });
    expect(res.statusCode).toBe(201);
    const json = res.json();
    expect(json.user).toEqual({ id: expect.any(String), email: 'owner@example.com', name: 'Olga Owner' });
    expect(json.workspace).toMatchObject({ name: 'Acme support', role: 'owner' });
    const session = res.cookies.find((c) => c.name === 'wabot_session');
    const csrf = res.cookies.find((c) => c.name === 'wabot_csrf');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/', maxAge: 14 * 24 * 3600 });
    expect(session?.secure).toBeFalsy();
    expect(csrf).toMatchObject({ sameSite: 'Strict', path: '/' });
    expect(csrf?.httpOnly).toBeFalsy();
    expect(session?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    secrets.push(session?.value ?? '');
    const rows = await database.current.db.session.findMany();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(session?.value);
    const account = await database.current.db.account.findFirstOrThrow();
    expect(account.passwordHash).toMatch(/^scrypt\$15\$8\$1\$/);
    expect(account.passwordHash).not.toContain(PASSWORD);
  });

  it('410 once used, with any token', async () => {
    for (const token of [tokenOf(setupUrl), 'y'.repeat(43)]) {
      const res = await createTestBrowser(admin.app).call('POST', '/api/auth/setup', { body: body(token) });
      expect(res.statusCode).toBe(410);
      expect(res.json().error.code).toBe('setup_completed');
    }
    expect(await database.current.db.account.count()).toBe(1);
  });

  it('no new setup link once an account exists', async () => {
    const logger = createLogger({ name: 'admin', level: 'debug', destination: admin.logs });
    const url = await prepareFirstOwnerSetup(
      createRepositories(database.current.db),
      { NODE_ENV: 'test', publicUrl: admin.config.publicUrl },
      logger,
    );
    expect(url).toBeNull();
  });

  it('me and status show the signed-in owner and their workspace', async () => {
    const me = await owner.call('GET', '/api/auth/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toEqual({
      user: { id: expect.any(String), email: 'owner@example.com', name: 'Olga Owner' },
      workspaces: [{ id: expect.any(String), name: 'Acme support', role: 'owner' }],
    });
    const status = await owner.call('GET', '/api/auth/status');
    expect(status.json()).toMatchObject({ setup_required: false, user: { email: 'owner@example.com' } });
  });

  it('the session works on every existing route (workspaces, bots)', async () => {
    const workspaces = await owner.call('GET', '/api/workspaces');
    expect(workspaces.statusCode).toBe(200);
    expect(workspaces.json().data).toHaveLength(1);
    const created = await owner.call('POST', '/api/workspaces', { body: { name: 'Second' } });
    expect(created.statusCode).toBe(201);
  });
});

describe('CSRF', () => {
  it('403 csrf_failed for a cookie-authenticated change without, or with a wrong, x-csrf-token', async () => {
    const missing = await owner.call('POST', '/api/workspaces', { body: { name: 'No token' }, csrf: false });
    expect(missing.statusCode).toBe(403);
    expect(missing.json().error.code).toBe('csrf_failed');
    const wrong = await owner.call('POST', '/api/workspaces', { body: { name: 'Bad token' }, csrf: 'forged-value' });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().error.code).toBe('csrf_failed');
    const names = (await owner.call('GET', '/api/workspaces')).json().data.map((w: { name: string }) => w.name);
    expect(names).not.toContain('No token');
    expect(names).not.toContain('Bad token');
  });

  it('a planted CSRF cookie that matches the header still fails (the token is tied to the session)', async () => {
    const res = await owner.call('POST', '/api/workspaces', {
      body: { name: 'Planted' },
      headers: {
        cookie: `wabot_session=${owner.cookies.get('wabot_session')}; wabot_csrf=planted`,
        'x-csrf-token': 'planted',
      },
      csrf: false,
    });
    expect(res.statusCode).toBe(403);
  });

  it('reads need no CSRF token, and bearer JWT changes need none either', async () => {
    expect((await owner.call('GET', '/api/auth/me')).statusCode).toBe(200);
    const bearer = await admin.call('POST', '/api/workspaces', { as: 'jwt-user', body: { name: 'Bearer' } });
    expect(bearer.statusCode).toBe(201);
  });
});

describe('login', () => {
  it('200 with the right password, setting cookies', async () => {
    const browser = createTestBrowser(admin.app, admin.bodies);
    const res = await browser.call('POST', '/api/auth/login', {
      body: { email: 'OWNER@example.com', password: PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ user: { id: expect.any(String), email: 'owner@example.com', name: 'Olga Owner' } });
    expect(browser.cookies.get('wabot_session')).toBeDefined();
    expect((await browser.call('GET', '/api/auth/me')).statusCode).toBe(200);
  });

  it('401 invalid_credentials, the same for a wrong password and an unknown email', async () => {
    const browser = createTestBrowser(admin.app, admin.bodies);
    const wrong = await browser.call('POST', '/api/auth/login', {
      body: { email: 'owner@example.com', password: 'wrong password!' },
    });
    const unknown = await browser.call('POST', '/api/auth/login', {
      body: { email: 'nobody@example.com', password: 'wrong password!' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().error).toEqual(unknown.json().error);
    expect(wrong.json().error.code).toBe('invalid_credentials');
    expect(browser.cookies.size).toBe(0);
  });

  it('429 after 5 failed sign-ins a minute for one IP and email, even with the right password; another email is not locked out', async () => {
    const browser = createTestBrowser(admin.app, admin.bodies);
    const attempt = (email: string, password: string) =>
      browser.call('POST', '/api/auth/login', { body: { email, password } });
    await database.current.db.account.create({
      data: { email: 'target@example.com', name: 'T', passwordHash: await hashPassword(PASSWORD) },
    });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await attempt('target@example.com', `guess number ${i}`)).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    const limited = await attempt('Target@example.com', PASSWORD);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('rate_limited');
    expect(limited.json().error.details.retry_after_ms).toBeGreaterThan(0);
    expect((await attempt('owner@example.com', PASSWORD)).statusCode).toBe(200);
  });

  it('only failures count: signing in again and again is never throttled, and success forgets failures', async () => {
    const browser = createTestBrowser(admin.app, admin.bodies);
    const attempt = (password: string) =>
      browser.call('POST', '/api/auth/login', { body: { email: 'owner@example.com', password } });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await attempt(`wrong guess ${i}`)).statusCode);
    for (let i = 0; i < 3; i++) statuses.push((await attempt(PASSWORD)).statusCode);
    for (let i = 0; i < 4; i++) statuses.push((await attempt(`wrong guess ${i}`)).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 200, 200, 200, 401, 401, 401, 401]);
  });

  it('401 on /api without credentials, and with a stale session cookie (clearing it)', async () => {
    const anonymous = await createTestBrowser(admin.app).call('GET', '/api/auth/me');
    expect(anonymous.statusCode).toBe(401);
    const stale = createTestBrowser(admin.app);
    stale.cookies.set('wabot_session', 'A'.repeat(43));
    const res = await stale.call('GET', '/api/workspaces');
    expect(res.statusCode).toBe(401);
    expect(res.json().error.message).toMatch(/session expired or signed out/);
    expect(stale.cookies.has('wabot_session')).toBe(false);
  });
});

describe('logout', () => {
  const signIn = async () => {
    const browser = createTestBrowser(admin.app, admin.bodies);
    const res = await browser.call('POST', '/api/auth/login', {
      body: { email: 'owner@example.com', password: PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    secrets.push(browser.cookies.get('wabot_session') ?? '');
    return browser;
  };

  it('logout ends this session only; it needs the CSRF token', async () => {
    const [a, b] = [await signIn(), await signIn()];
    const oldCookie = a.cookies.get('wabot_session') ?? '';
    expect((await a.call('POST', '/api/auth/logout', { csrf: false })).statusCode).toBe(403);
    const res = await a.call('POST', '/api/auth/logout');
    expect(res.statusCode).toBe(204);
    expect(a.cookies.has('wabot_session')).toBe(false);
    a.cookies.set('wabot_session', oldCookie);
    expect((await a.call('GET', '/api/auth/me')).statusCode).toBe(401);
    expect((await b.call('GET', '/api/auth/me')).statusCode).toBe(200);
  });

  it('signing in again in the same browser ends the session it held', async () => {
    const browser = await signIn();
    const old = browser.cookies.get('wabot_session') ?? '';
    const again = await browser.call('POST', '/api/auth/login', {
      body: { email: 'owner@example.com', password: PASSWORD },
    });
    expect(again.statusCode).toBe(200);
    expect(browser.cookies.get('wabot_session')).not.toBe(old);
    secrets.push(browser.cookies.get('wabot_session') ?? '');
    const stale = createTestBrowser(admin.app);
    stale.cookies.set('wabot_session', old);
    expect((await stale.call('GET', '/api/auth/me')).statusCode).toBe(401);
    expect((await browser.call('GET', '/api/auth/me')).statusCode).toBe(200);
  });

  it('logout-all ends every session of the user, in other browsers too', async () => {
    const [a, b, c] = [await signIn(), await signIn(), await signIn()];
    const res = await a.call('POST', '/api/auth/logout-all');
    expect(res.statusCode).toBe(204);
    expect(a.cookies.has('wabot_session')).toBe(false);
    for (const browser of [b, c]) expect((await browser.call('GET', '/api/auth/me')).statusCode).toBe(401);
    expect((await owner.call('GET', '/api/auth/me')).statusCode).toBe(401);
    const account = await database.current.db.account.findFirstOrThrow({ where: { email: 'owner@example.com' } });
    expect(await database.current.db.session.count({ where: { accountId: account.id } })).toBe(0);
  });

  it('an expired session is refused; a live one slides its expiry forward', async () => {
    const browser = await signIn();
    const token = browser.cookies.get('wabot_session') ?? '';
    const account = await database.current.db.account.findFirstOrThrow({ where: { email: 'owner@example.com' } });
    const [session] = await database.current.db.session.findMany({ where: { accountId: account.id } });
    if (!session) throw new Error('no session');
    // Last seen two minutes ago, ending in an hour: the next request slides it to 14 days from now.
    await database.current.db.session.update({
      where: { id: session.id },
      data: { lastSeenAt: new Date(Date.now() - 120_000), expiresAt: new Date(Date.now() + 3_600_000) },
    });
    const res = await browser.call('GET', '/api/auth/me');
    expect(res.statusCode).toBe(200);
    expect(res.cookies.find((c) => c.name === 'wabot_session')?.value).toBe(token);
    const slid = await database.current.db.session.findUniqueOrThrow({ where: { id: session.id } });
    expect(slid.expiresAt.getTime()).toBeGreaterThan(Date.now() + 13 * 24 * 3_600_000);
    await database.current.db.session.update({
      where: { id: session.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect((await browser.call('GET', '/api/auth/me')).statusCode).toBe(401);
  });
});

describe('tenancy', () => {
  it('a bearer-JWT caller sees only its own workspaces in me (and no account)', async () => {
    const me = await admin.call('GET', '/api/auth/me', { as: 'jwt-user' });
    expect(me.statusCode).toBe(200);
    expect(me.json().user).toEqual({ id: 'jwt-user', email: null, name: null });
    expect(me.json().workspaces.map((w: { name: string }) => w.name)).toEqual(['Bearer']);
  });
});

describe('production cookies', () => {
  it('are Secure in production', async () => {
    const production = await createTestAdmin(database.current, redis.current, {
      NODE_ENV: 'production',
      SECRETS_KEY: randomBytes(32).toString('base64'),
    });
    try {
      const res = await production.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ email: 'owner@example.com', password: PASSWORD }),
      });
      expect(res.statusCode).toBe(200);
      for (const name of ['wabot_session', 'wabot_csrf'])
        expect(res.cookies.find((c) => c.name === name)?.secure, name).toBe(true);
      secrets.push(res.cookies.find((c) => c.name === 'wabot_session')?.value ?? '');
    } finally {
      await production.close();
    }
  });
});

describe('OpenAPI', () => {
  it('documents every sign-in route, the three security schemes, and which routes are public', async () => {
    const openapi = (await admin.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(Object.keys(openapi.components.securitySchemes).sort()).toEqual(['apiKeyAuth', 'bearerAuth', 'cookieAuth']);
    expect(openapi.components.securitySchemes.cookieAuth).toMatchObject({
      type: 'apiKey',
      in: 'cookie',
      name: 'wabot_session',
    });
    const routes: [string, string][] = [
      ['/api/auth/status', 'get'],
      ['/api/auth/setup', 'post'],
      ['/api/auth/login', 'post'],
      ['/api/auth/logout', 'post'],
      ['/api/auth/logout-all', 'post'],
      ['/api/auth/me', 'get'],
      ['/api/auth/api-keys', 'post'],
      ['/api/auth/api-keys', 'get'],
      ['/api/auth/api-keys/{id}', 'delete'],
      ['/api/auth/oidc/start', 'get'],
      ['/api/auth/oidc/callback', 'get'],
      ['/api/workspaces/{id}/invitations', 'post'],
      ['/api/workspaces/{id}/invitations', 'get'],
      ['/api/workspaces/{id}/invitations/{invId}', 'delete'],
      ['/api/workspaces/{id}/members', 'get'],
      ['/api/invitations/{token}', 'get'],
      ['/api/invitations/{token}/accept', 'post'],
    ];
    for (const [path, method] of routes) expect(openapi.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    const publicRoutes = routes.filter(
      ([path]) =>
        ['/api/auth/status', '/api/auth/setup', '/api/auth/login'].includes(path) ||
        path.startsWith('/api/invitations/') ||
        path.startsWith('/api/auth/oidc/'),
    );
    for (const [path, method] of publicRoutes) expect(openapi.paths[path][method].security, path).toEqual([]);
    expect(openapi.paths['/api/auth/me'].get.security).toBeUndefined();
    expect(openapi.paths['/api/auth/setup'].post.responses['410'].description).toMatch(/already/);
    expect(openapi.paths['/api/auth/oidc/start'].get.responses['302'].description).toMatch(/identity provider/);
  });
});

describe('secrets', () => {
  it('no password, setup token or session token in any log line or response body', () => {
    const logs = admin.logs.text();
    const bodies = admin.bodies.join('\n');
    for (const secret of secrets.filter((s) => s.length >= 10)) {
      expect(logs).not.toContain(secret);
      expect(bodies).not.toContain(secret);
    }
    expect(logs).not.toContain('scrypt$');
    expect(bodies).not.toContain('scrypt$');
  });
});
