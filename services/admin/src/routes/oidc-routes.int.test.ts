import { createServer } from 'node:net';
import { type OidcSimulator, startOidcSimulator } from '@wabot/oidc-simulator';
import { useTestDatabase, useTestRedis } from '@wabot/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { hashPassword } from '../auth/password-hash.js';
import { createTestAdmin, type TestAdmin } from '../testing/test-admin.js';

const database = useTestDatabase();
const redis = useTestRedis();
let admin: TestAdmin;
let idp: OidcSimulator;
let base: string;
const CLIENT = { clientId: 'wabot-admin', clientSecret: 'oidc-client-secret-0123456789' };
const seen: string[] = [];

const errorOf = async (res: Response) =>
  z.object({ error: z.object({ code: z.string(), message: z.string() }) }).parse(await res.json()).error;
const userOf = async (res: Response) =>
  z.object({ user: z.object({ id: z.string(), email: z.string(), name: z.string() }) }).parse(await res.json()).user;

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });

/** A browser over real HTTP: cookies per host, redirects followed by hand so each hop can be inspected. */
class HttpBrowser {
  readonly cookies = new Map<string, string>();

  async get(url: string): Promise<Response> {
    const target = new URL(url, base);
    const headers: Record<string, string> = {};
    if (target.origin === new URL(base).origin && this.cookies.size > 0)
      headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await fetch(target, { redirect: 'manual', headers });
    if (target.origin === new URL(base).origin) {
      for (const line of response.headers.getSetCookie()) {
        const [pair = ''] = line.split(';');
        const index = pair.indexOf('=');
        const [name, value] = [pair.slice(0, index), pair.slice(index + 1)];
        if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) this.cookies.delete(name);
        else this.cookies.set(name, value);
      }
    }
    return response;
  }

  /** start → the provider → back to the callback URL (not yet visited). */
  async toCallback(): Promise<string> {
    const start = await this.get('/api/auth/oidc/start');
    expect(start.status).toBe(302);
    const authorize = start.headers.get('location') ?? '';
    expect(authorize.startsWith(`${idp.issuer}/authorize?`)).toBe(true);
    const back = await this.get(authorize);
    expect(back.status).toBe(302);
    const callback = back.headers.get('location') ?? '';
    seen.push(new URL(callback).searchParams.get('code') ?? '');
    return callback;
  }

  async signIn(): Promise<Response> {
    return this.get(await this.toCallback());
  }
}

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  idp = await startOidcSimulator({
    clients: [{ ...CLIENT, redirectUris: [`${base}/api/auth/oidc/callback`] }],
    user: { sub: 'idp-user-1', email: 'Ana@Example.com', name: 'Ana Lima' },
  });
  admin = await createTestAdmin(database.current, redis.current, {
    API_RATE_LIMIT_MAX: '1000',
    ADMIN_PORT: String(port),
    OIDC_ISSUER_URL: idp.issuer,
    OIDC_CLIENT_ID: CLIENT.clientId,
    OIDC_CLIENT_SECRET: CLIENT.clientSecret,
  });
  await admin.app.listen({ host: '127.0.0.1', port });
});
afterAll(async () => {
  await admin?.close();
  await idp?.close();
});

describe('OIDC sign-in over HTTP', () => {
  it('status says OIDC; password sign-in is refused', async () => {
    const status = await fetch(`${base}/api/auth/status`);
    expect(await status.json()).toMatchObject({ oidc: true });
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ana@example.com', password: 'whatever password' }),
    });
    expect(login.status).toBe(403);
    expect((await errorOf(login)).code).toBe('password_login_disabled');
  });

  it('start redirects with code flow, PKCE S256, state and nonce; the state cookie is short-lived and httpOnly', async () => {
    const start = await fetch(`${base}/api/auth/oidc/start`, { redirect: 'manual' });
    expect(start.status).toBe(302);
    const url = new URL(start.headers.get('location') ?? '');
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('client_id')).toBe(CLIENT.clientId);
    expect(url.searchParams.get('redirect_uri')).toBe(`${base}/api/auth/oidc/callback`);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('state')).toBeTruthy();
    expect(url.searchParams.get('nonce')).toBeTruthy();
    expect(url.searchParams.get('scope')?.split(' ')).toContain('openid');
    const cookie = start.headers.getSetCookie().find((c) => c.startsWith('wabot_oidc='));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Max-Age=600/i);
    expect(cookie).toMatch(/Path=\/api\/auth\/oidc/i);
  });

  it('the first sign-in creates the account (email from the ID token), sets the session and redirects to /', async () => {
    const browser = new HttpBrowser();
    const done = await browser.signIn();
    expect(done.status).toBe(302);
    expect(done.headers.get('location')).toBe('/');
    expect(browser.cookies.get('wabot_session')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(browser.cookies.has('wabot_oidc')).toBe(false);
    seen.push(browser.cookies.get('wabot_session') ?? '');
    const me = await browser.get('/api/auth/me');
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual({
      user: { id: expect.any(String), email: 'ana@example.com', name: 'Ana Lima' },
      workspaces: [],
    });
    const account = await database.current.db.account.findUniqueOrThrow({ where: { email: 'ana@example.com' } });
    expect(account).toMatchObject({ oidcIssuer: idp.issuer, oidcSubject: 'idp-user-1', passwordHash: null });
  });

  it('a later sign-in finds the account by (issuer, subject), even with another email', async () => {
    idp.setUser({ sub: 'idp-user-1', email: 'ana.renamed@example.com', name: 'Ana' });
    const browser = new HttpBrowser();
    expect((await browser.signIn()).status).toBe(302);
    const me = await userOf(await browser.get('/api/auth/me'));
    expect(me.email).toBe('ana@example.com');
    expect(await database.current.db.account.count()).toBe(1);
  });

  it('links an existing account by verified email; refuses an unverified one (409)', async () => {
    await database.current.db.account.create({
      data: { email: 'bo@example.com', name: 'Bo', passwordHash: await hashPassword('bo password 123') },
    });
    idp.setUser({ sub: 'idp-bo', email: 'bo@example.com', email_verified: false });
    const refused = await new HttpBrowser().signIn();
    expect(refused.status).toBe(409);
    expect((await errorOf(refused)).code).toBe('account_exists');
    idp.setUser({ sub: 'idp-bo', email: 'bo@example.com', email_verified: true });
    const browser = new HttpBrowser();
    expect((await browser.signIn()).status).toBe(302);
    expect(await userOf(await browser.get('/api/auth/me'))).toMatchObject({
      email: 'bo@example.com',
      name: 'Bo',
    });
  });

  it('a wrong state is refused (400) and no session is made', async () => {
    idp.setUser({ sub: 'idp-user-1', email: 'ana@example.com' });
    const browser = new HttpBrowser();
    const callback = new URL(await browser.toCallback());
    callback.searchParams.set('state', 'forged-state');
    const res = await browser.get(callback.href);
    expect(res.status).toBe(400);
    expect((await errorOf(res)).code).toBe('oidc_failed');
    expect(browser.cookies.has('wabot_session')).toBe(false);
    const refused = admin.logs.entries().filter((e) => String(e.msg).startsWith('OIDC sign-in refused'));
    expect(refused.at(-1)).toMatchObject({ code: 'oidc_failed' });
  });

  it('a callback without the state cookie, or with a tampered one, is refused (400 oidc_state_invalid)', async () => {
    const browser = new HttpBrowser();
    const callback = await browser.toCallback();
    const cookie = browser.cookies.get('wabot_oidc') ?? '';
    browser.cookies.delete('wabot_oidc');
    const missing = await browser.get(callback);
    expect(missing.status).toBe(400);
    expect((await errorOf(missing)).code).toBe('oidc_state_invalid');
    browser.cookies.set('wabot_oidc', `${cookie.slice(0, -3)}abc`);
    const tampered = await browser.get(callback);
    expect(tampered.status).toBe(400);
    expect((await errorOf(tampered)).code).toBe('oidc_state_invalid');
  });

  it('a PKCE verifier that does not match the challenge fails at the provider (400, invalid_grant)', async () => {
    const browser = new HttpBrowser();
    const callback = await browser.toCallback();
    const unsigned = admin.app.unsignCookie(decodeURIComponent(browser.cookies.get('wabot_oidc') ?? ''));
    expect(unsigned.valid).toBe(true);
    const pending = JSON.parse(unsigned.value ?? '{}');
    const forged = { ...pending, verifier: 'A'.repeat(64) };
    browser.cookies.set('wabot_oidc', encodeURIComponent(admin.app.signCookie(JSON.stringify(forged))));
    const res = await browser.get(callback);
    expect(res.status).toBe(400);
    expect((await errorOf(res)).code).toBe('oidc_failed');
    expect(idp.tokenResults.at(-1)).toBe('invalid_grant');
    expect(browser.cookies.has('wabot_session')).toBe(false);
  });

  it('a code is good once: replaying the callback fails', async () => {
    const browser = new HttpBrowser();
    const callback = await browser.toCallback();
    const cookie = browser.cookies.get('wabot_oidc') ?? '';
    expect((await browser.get(callback)).status).toBe(302);
    browser.cookies.set('wabot_oidc', cookie);
    const replay = await browser.get(callback);
    expect(replay.status).toBe(400);
    expect(idp.tokenResults.at(-1)).toBe('invalid_grant');
  });

  it('a refusal at the provider (access_denied) is a 400 saying so', async () => {
    idp.refuseNext('access_denied');
    const res = await new HttpBrowser().signIn();
    expect(res.status).toBe(400);
    expect((await errorOf(res)).message).toMatch(/access_denied/);
  });

  it('an unreachable provider is 503 identity_provider_unavailable, not a crash', async () => {
    const port = await freePort();
    const offline = await createTestAdmin(database.current, redis.current, {
      OIDC_ISSUER_URL: `http://127.0.0.1:${port}`,
      OIDC_CLIENT_ID: CLIENT.clientId,
      OIDC_CLIENT_SECRET: CLIENT.clientSecret,
    });
    try {
      const res = await offline.app.inject({ method: 'GET', url: '/api/auth/oidc/start' });
      expect(res.statusCode).toBe(503);
      expect(res.json().error.code).toBe('identity_provider_unavailable');
    } finally {
      await offline.close();
    }
  });

  it('no code, session token or client secret in any log line', () => {
    const logs = admin.logs.text();
    for (const secret of [...seen.filter((s) => s.length > 10), CLIENT.clientSecret])
      expect(logs).not.toContain(secret);
  });
});
