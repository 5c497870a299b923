import { useTestDatabase, useTestRedis } from '@wabot/testing';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestAdmin, TEST_JWT_SECRET, type TestAdmin } from '../testing/test-admin.js';

const database = useTestDatabase();
const redis = useTestRedis();
let admin: TestAdmin;

const sign = (claims: { sub?: string; exp?: number }, secret = TEST_JWT_SECRET, alg = 'HS256') => {
  let jwt = new SignJWT({}).setProtectedHeader({ alg }).setIssuedAt();
  if (claims.sub) jwt = jwt.setSubject(claims.sub);
  jwt = jwt.setExpirationTime(claims.exp ?? Math.floor(Date.now() / 1000) + 600);
  return jwt.sign(new TextEncoder().encode(secret));
};

const get = (url: string, authorization?: string) =>
  admin.app.inject({ method: 'GET', url, headers: authorization ? { authorization } : {} });

beforeAll(async () => {
  admin = await createTestAdmin(database.current, redis.current, { API_RATE_LIMIT_MAX: '1000' });
});
afterAll(async () => {
  await admin.close();
});

describe('authentication', () => {
  const cases: [string, () => Promise<string | undefined>, RegExp][] = [
    ['missing', async () => undefined, /missing bearer token/],
    ['not Bearer', async () => 'Basic YWxpY2U6cHc=', /malformed Authorization header/],
    ['malformed', async () => 'Bearer not-a-jwt', /malformed bearer token/],
    [
      'expired',
      async () => `Bearer ${await sign({ sub: 'alice', exp: Math.floor(Date.now() / 1000) - 60 })}`,
      /expired/,
    ],
    [
      'wrong signature',
      async () => `Bearer ${await sign({ sub: 'alice' }, 'another-secret-0123456789abcdefghijk')}`,
      /signature/,
    ],
    ['no sub', async () => `Bearer ${await sign({})}`, /sub/],
    [
      'alg none',
      async () =>
        `Bearer ${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"alice"}').toString('base64url')}.`,
      /not accepted/,
    ],
  ];
  for (const [name, header, message] of cases) {
    it(`401 for a ${name} token, with a clear message`, async () => {
      for (const url of ['/api/workspaces', '/api/bots/bt_aaaaaaaaaaaaaaaaaaaa', '/api/dead-letters']) {
        const res = await get(url, await header());
        expect(res.statusCode, url).toBe(401);
        expect(res.json().error.code).toBe('unauthorized');
        expect(res.json().error.message).toMatch(message);
        expect(res.json().error.details).toEqual({});
      }
    });
  }

  it('accepts a valid token', async () => {
    const res = await get('/api/workspaces', `Bearer ${await sign({ sub: 'alice' })}`);
    expect(res.statusCode).toBe(200);
  });

  it('never logs the bearer token', async () => {
    const token = await sign({ sub: 'logcheck' });
    await get('/api/workspaces', `Bearer ${token}`);
    await get('/api/nope', `Bearer ${token}`);
    expect(admin.logs.text()).not.toContain(token);
    expect(admin.logs.text()).not.toContain(token.split('.')[2]);
  });
});

describe('platform', () => {
  it('echoes a sane x-request-id and generates one otherwise', async () => {
    const echoed = await admin.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'req-123' } });
    expect(echoed.headers['x-request-id']).toBe('req-123');
    const generated = await admin.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'bad id!' },
    });
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('unknown routes answer the error body', async () => {
    const res = await admin.call('GET', '/api/nothing-here');
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toMatchObject({ code: 'not_found' });
  });

  it('healthz, readyz (PostgreSQL + Redis) and metrics', async () => {
    expect((await get('/healthz')).statusCode).toBe(200);
    const ready = await get('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json().dependencies).toEqual({ redis: 'ok', postgres: 'ok' });
    const metrics = await get('/metrics');
    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).toContain('process_cpu');
  });

  it('serves an OpenAPI document generated from the zod schemas, and a UI without CDNs', async () => {
    const doc = await get('/docs/json');
    expect(doc.statusCode).toBe(200);
    const openapi = doc.json();
    expect(openapi.openapi).toMatch(/^3\./);
    for (const path of [
      '/api/workspaces',
      '/api/bots',
      '/api/bots/{id}',
      '/api/bots/{id}/activate',
      '/api/bots/{id}/deactivate',
      '/api/bots/{id}/tools',
      '/api/bots/{id}/tools/{toolId}',
      '/api/bots/{id}/tool-calls',
      '/api/bots/{id}/conversations',
      '/api/conversations/{id}/messages',
      '/api/conversations/{id}/template',
      '/api/dead-letters',
      '/api/dead-letters/{queue}/{jobId}/retry',
      '/api/events',
    ])
      expect(openapi.paths, path).toHaveProperty([path]);
    const events = openapi.paths['/api/events'].get;
    expect(Object.keys(events.responses['200'].content)).toEqual(['text/event-stream']);
    expect(events.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['workspace_id', 'last_event_id', 'last-event-id']),
    );
    const create = openapi.paths['/api/bots'].post.requestBody.content['application/json'].schema;
    expect(create.required).toEqual(expect.arrayContaining(['name', 'platform', 'workspace_id', 'platform_config']));
    expect(openapi.components.securitySchemes.bearerAuth.scheme).toBe('bearer');
    expect(openapi.paths['/api/bots'].post.requestBody.content['application/json'].example).toMatchObject({
      platform: 'whatsapp',
      platform_config: { phone_number_id: expect.any(String) },
    });
    // Meta's endpoints are the ingress's, on the webhook base, without a bearer token.
    const webhook = openapi.paths['/api/bots/webhook/whatsapp/{botId}'];
    expect(webhook.get.servers[0].url).toBe('https://hooks.acme-bots.com');
    expect(webhook.post.security).toEqual([]);
    expect(Object.keys(webhook.post.responses)).toEqual(expect.arrayContaining(['200', '401', '413']));
    // Every response says what it means.
    const descriptions: unknown[] = [];
    JSON.stringify(openapi.paths, (key, value) => {
      if (key === 'responses')
        for (const response of Object.values(value)) descriptions.push(Object(response).description);
      return value;
    });
    expect(descriptions.length).toBeGreaterThan(40);
    expect(descriptions.filter((d) => !d || d === 'Default Response')).toEqual([]);
    expect(openapi.paths['/api/bots/{id}'].get.responses['404'].description).toMatch(/another workspace/);

    const ui = await admin.app.inject({ method: 'GET', url: '/docs/' });
    const html = ui.statusCode === 302 ? (await get(ui.headers.location ?? '/docs/')).body : ui.body;
    expect(html).toContain('swagger-ui');
    expect(html).not.toMatch(/https?:\/\/(?!localhost)[^"']*\.(js|css)/);
    const bundle = await get('/docs/static/swagger-ui-bundle.js');
    expect(bundle.statusCode).toBe(200);
  });
});

describe('rate limiting', () => {
  it('limits each token separately and answers 429 with the error body', async () => {
    const limited = await createTestAdmin(database.current, redis.current, {
      API_RATE_LIMIT_MAX: '3',
      REDIS_PREFIX: `${redis.current.prefix}-rl`,
    });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++)
        codes.push((await limited.call('GET', '/api/workspaces', { as: 'carol' })).statusCode);
      expect(codes).toEqual([200, 200, 200, 429, 429]);
      const blocked = await limited.call('GET', '/api/workspaces', { as: 'carol' });
      expect(blocked.json().error.code).toBe('rate_limited');
      expect((await limited.call('GET', '/api/workspaces', { as: 'dave' })).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('request log', () => {
  it('logs one line per request: reads at debug, changes and refusals at info, probes not at all', async () => {
    const before = admin.logs.entries().length;
    await admin.call('GET', '/api/workspaces');
    await get('/readyz');
    await admin.call('POST', '/api/workspaces', { body: { name: 'Logged' } });
    await get('/api/workspaces');
    const lines = admin.logs
      .entries()
      .slice(before)
      .filter((entry) => entry.msg === 'request');
    expect(lines.map((l) => [l.method, l.path, l.status, l.level])).toEqual([
      ['GET', '/api/workspaces', 200, 'debug'],
      ['POST', '/api/workspaces', 201, 'info'],
      ['GET', '/api/workspaces', 401, 'info'],
    ]);
    expect(admin.logs.entries().some((entry) => entry.msg === 'incoming request')).toBe(false);
  });
});
