import { randomBytes } from 'node:crypto';
import { type GraphSimulator, startGraphSimulator } from '@wabot/meta-simulator';
import { createSecretScan, useTestDatabase, useTestRedis } from '@wabot/testing';
import type { LightMyRequestResponse } from 'fastify';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiOperation, apiOperations, loadApiDocument } from '../testing/security/api-document.js';
import { namesTenantResource, sampleBody, urlOf } from '../testing/security/api-requests.js';
import { createTenant, registerAppSecrets, type Tenant, tenantState } from '../testing/security/tenant-fixture.js';
import { createTestAdmin, TEST_JWT_SECRET, type TestAdmin } from '../testing/test-admin.js';

// Every /api route of the OpenAPI document (but those it marks public: Meta's webhooks) × broken
// or foreign credentials → 401, or 404 for another workspace's member, and nothing of the other
// tenant in the answer. Generated from the document: a new route is covered without anyone
// remembering, and the counts below fail if the document and the matrix ever disagree.

const database = useTestDatabase();
const redis = useTestRedis();
const scan = createSecretScan();
let graph: GraphSimulator;
let admin: TestAdmin;
let operations: ApiOperation[];
let alice: Tenant;
let mallory: Tenant;
/** Routes of the document today (27 with a workspace, bots, tools, conversations, takeover, dead letters). */
const KNOWN_ROUTES = 27;
/**
 * The routes the document may mark `security: []` (skipped by the matrix): Meta's webhooks. A
 * route marked public by mistake would escape the matrix, so each one is listed here on purpose
 * (sign-in routes, when they come, belong here too).
 */
const PUBLIC_BY_DESIGN = [
  'GET /api/bots/webhook/whatsapp/{botId}',
  'POST /api/bots/webhook/whatsapp/{botId}',
  // Signing in (where the API has it): nobody has credentials yet.
  'GET /api/auth/status',
  'POST /api/auth/setup',
  'POST /api/auth/login',
  'GET /api/auth/oidc/start',
  'GET /api/auth/oidc/callback',
  'GET /api/invitations/{token}',
  'POST /api/invitations/{token}/accept',
];

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);
const hs256 = (claims: Record<string, unknown>, secret: string) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(secret));

/** The Authorization header of each kind of bad credential, all claiming to be alice. */
const BAD_CREDENTIALS: Record<string, () => Promise<string | undefined>> = {
  'no token': async () => undefined,
  expired: async () => `Bearer ${await hs256({ sub: 'alice', iat: now() - 7200, exp: now() - 60 }, TEST_JWT_SECRET)}`,
  'wrong key': async () =>
    `Bearer ${await hs256({ sub: 'alice', exp: now() + 600 }, `other-${randomBytes(24).toString('hex')}`)}`,
  'alg none': async () => `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'alice', exp: now() + 600 })}.`,
  // Mallory's real token with its payload swapped for alice's: the signature no longer covers it.
  'forged subject': async () => {
    const [header, , signature] = (await admin.token('mallory')).split('.');
    return `Bearer ${header}.${b64({ sub: 'alice', exp: now() + 600 })}.${signature}`;
  },
  malformed: async () => 'Bearer not.a-jwt',
  'not bearer': async () => `Basic ${Buffer.from('alice:password').toString('base64')}`,
  'unknown API key': async () => `Bearer wbk_${randomBytes(24).toString('base64url')}`,
};

beforeAll(async () => {
  graph = await startGraphSimulator();
  admin = await createTestAdmin(database.current, redis.current, {
    GRAPH_API_BASE_URL: graph.url,
    API_RATE_LIMIT_MAX: '100000',
  });
  await registerAppSecrets(admin, scan, ['alice', 'mallory']);
  alice = await createTenant(admin, database.current, redis.current, scan, 'alice');
  mallory = await createTenant(admin, database.current, redis.current, scan, 'mallory');
  operations = apiOperations(await loadApiDocument(admin.app)).filter((operation) => !operation.public);
});

afterAll(async () => {
  await admin?.close();
  await graph?.close();
});

const request = (operation: ApiOperation, url: string, as: string | null, body: unknown, authorization?: string) =>
  admin.call(operation.method as 'GET' | 'POST' | 'PATCH' | 'DELETE', url, {
    as,
    ...(body === undefined ? {} : { body }),
    ...(authorization === undefined ? {} : { headers: { authorization } }),
  });

/** Fails naming the first of the tenant's ids or names the answer shows. */
function expectNothingOf(tenant: Tenant, res: LightMyRequestResponse, label: string) {
  const shown = tenant.identifiers().filter((value) => res.body.includes(value));
  expect(shown, `${label}: ${res.body.slice(0, 300)}`).toEqual([]);
}

describe('auth matrix over every route of the OpenAPI document', () => {
  it('covers the document: every non-public /api route, and only the routes public by design are public', async () => {
    expect(operations.length).toBeGreaterThanOrEqual(KNOWN_ROUTES);
    const everything = apiOperations(await loadApiDocument(admin.app));
    const publicRoutes = everything.filter((operation) => operation.public).map((operation) => operation.key);
    expect(publicRoutes.filter((key) => !PUBLIC_BY_DESIGN.includes(key))).toEqual([]);
    expect(publicRoutes).toEqual(expect.arrayContaining(PUBLIC_BY_DESIGN.slice(0, 2)));
  });

  for (const [kind, header] of Object.entries(BAD_CREDENTIALS)) {
    it(`401 for ${kind} on every route, with none of the data`, async () => {
      const covered = new Set<string>();
      for (const operation of operations) {
        const url = urlOf(operation, alice);
        const res = await request(operation, url, null, sampleBody(operation, alice), await header());
        const label = `${kind}: ${operation.key}`;
        expect(res.statusCode, label).toBe(401);
        expect(res.json(), label).toEqual({
          error: { code: 'unauthorized', message: expect.any(String), details: {} },
        });
        expectNothingOf(alice, res, label);
        covered.add(operation.key);
      }
      expect(covered.size).toBe(operations.length);
    });
  }

  it("404 for another workspace's member on every route naming a resource of alice's, and lists without it", async () => {
    const before = await tenantState(admin, alice);
    const notFound = new Set<string>();
    const scoped = new Set<string>();
    for (const operation of operations) {
      const url = urlOf(operation, alice);
      const body = sampleBody(operation, alice);
      const res = await request(operation, url, 'mallory', body);
      const label = `mallory: ${operation.key} ${url}`;
      expectNothingOf(alice, res, label);
      if (namesTenantResource(operation, alice, url, body)) {
        expect(res.statusCode, label).toBe(404);
        expect(res.json().error.code, label).toBe('not_found');
        notFound.add(operation.key);
      } else {
        // Nothing of alice's named (GET /api/workspaces, POST /api/workspaces, the caller's own
        // sign-in routes): mallory's own data, her credential accepted.
        expect(res.statusCode, `${label}: ${res.body.slice(0, 200)}`).toBeLessThan(500);
        expect(res.statusCode, label).not.toBe(401);
        scoped.add(operation.key);
      }
      // A list route without its filters is mallory's own list, without alice's data.
      const unfiltered = urlOf(operation, alice, { filters: false });
      const filtersRequired = operation.requiredQuery.length > 0;
      if (operation.method === 'GET' && operation.pathParams.length === 0 && unfiltered !== url && !filtersRequired) {
        const list = await request(operation, unfiltered, 'mallory', undefined);
        expect(list.statusCode, `mallory: ${operation.key} unfiltered`).toBe(200);
        expectNothingOf(alice, list, `mallory: ${operation.key} unfiltered`);
        scoped.add(`${operation.key} (unfiltered)`);
      }
    }
    expect(notFound.size + [...scoped].filter((key) => !key.endsWith('(unfiltered)')).length).toBe(operations.length);
    // Every route with a path parameter, plus the filtered lists and create-in-workspace.
    expect(notFound.size).toBeGreaterThanOrEqual(KNOWN_ROUTES - 2);
    for (const key of ['GET /api/bots', 'GET /api/dead-letters', 'POST /api/bots', 'DELETE /api/bots/{id}'])
      expect(notFound, key).toContain(key);
    // Mallory's deletes, updates, activations and retries changed nothing of alice's.
    expect(await tenantState(admin, alice)).toEqual(before);
    // And mallory still sees her own (the 404s were not a broken token).
    expect((await admin.call('GET', `/api/bots/${mallory.botId}`, { as: 'mallory' })).statusCode).toBe(200);
  });

  it('no secret in clear in any response, log line or database row', async () => {
    for (const [index, body] of admin.bodies.entries()) scan.record(`response ${index}`, body);
    for (const [index, line] of admin.logs.lines().entries()) scan.record(`log line ${index}`, line);
    await scan.recordDatabase(database.current.url);
    await scan.recordRedis(redis.current.url, redis.current.prefix);
    expect(scan.records).toBeGreaterThan(300);
    expect(scan.leaks()).toEqual([]);
  });
});
