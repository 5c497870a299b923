import { type GraphSimulator, startGraphSimulator } from '@wabot/meta-simulator';
import { createSecretScan, useTestDatabase, useTestRedis } from '@wabot/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiOperation,
  apiOperations,
  declaredObjects,
  loadApiDocument,
  objectBranch,
} from '../testing/security/api-document.js';
import { sampleBody, urlOf } from '../testing/security/api-requests.js';
import { createTenant, registerAppSecrets, type Tenant, tenantState } from '../testing/security/tenant-fixture.js';
import { createTestAdmin, type TestAdmin } from '../testing/test-admin.js';

// Request bodies are strict (docs/contract.md, Errors): an unknown field, or one the client may
// not set (ids, ownership, status, credential health, timestamps...), is a 400 naming it, and
// nothing changes. Generated from the OpenAPI document, so a new route is covered without anyone
// remembering.

const database = useTestDatabase();
const redis = useTestRedis();
const scan = createSecretScan();
let graph: GraphSimulator;
let admin: TestAdmin;
let document: Awaited<ReturnType<typeof loadApiDocument>>;
let withBody: ApiOperation[];
/** Write routes the document gives no body (activate, deactivate, resume, retry, deletes). */
let withoutBody: ApiOperation[];
let alice: Tenant;
let mallory: Tenant;

const aliceState = () => tenantState(admin, alice);

beforeAll(async () => {
  graph = await startGraphSimulator();
  admin = await createTestAdmin(database.current, redis.current, {
    GRAPH_API_BASE_URL: graph.url,
    API_RATE_LIMIT_MAX: '100000',
  });
  await registerAppSecrets(admin, scan, ['alice', 'mallory']);
  alice = await createTenant(admin, database.current, redis.current, scan, 'alice');
  mallory = await createTenant(admin, database.current, redis.current, scan, 'mallory');
  document = await loadApiDocument(admin.app);
  const operations = apiOperations(document).filter((operation) => !operation.public);
  withBody = operations.filter((operation) => operation.body !== null);
  withoutBody = operations.filter((operation) => operation.body === null && operation.method !== 'GET');
});

afterAll(async () => {
  await admin?.close();
  await graph?.close();
});

/** `body` with `value` set at the dotted `path` (objects created on the way). */
function withField(body: unknown, path: string, value: unknown): Record<string, unknown> {
  const root: Record<string, unknown> =
    typeof body === 'object' && body !== null ? structuredClone(body as Record<string, unknown>) : {};
  const parts = path.split('.');
  let at = root;
  for (const part of parts.slice(0, -1)) {
    const next = at[part];
    at[part] = typeof next === 'object' && next !== null && !Array.isArray(next) ? next : {};
    at = at[part] as Record<string, unknown>;
  }
  at[parts[parts.length - 1] ?? ''] = value;
  return root;
}

/** The error code of an answer, if it is an error (a 204 has no body). */
const errorCodeOf = (res: { body: string }) => (res.body ? JSON.parse(res.body).error?.code : undefined);

const send = (operation: ApiOperation, body: unknown) =>
  admin.call(operation.method as 'POST' | 'PATCH', urlOf(operation, alice), { as: 'alice', body });

describe('strict request bodies', () => {
  it('the document says additionalProperties: false on every object of every request body', () => {
    // Today: workspaces, members, bots (create, update), tools (create, update), template, handoff, operator message.
    expect(withBody.length).toBeGreaterThanOrEqual(9);
    const open: string[] = [];
    let objects = 0;
    for (const operation of withBody)
      for (const { path, schema } of declaredObjects(document, operation.body ?? {})) {
        objects++;
        if (schema.additionalProperties !== false) open.push(`${operation.key} ${path || '(body)'}`);
      }
    expect(open).toEqual([]);
    expect(objects).toBeGreaterThan(withBody.length);
  });

  it('an unknown field anywhere in a body is a 400 naming it, and changes nothing', async () => {
    const before = await aliceState();
    let cases = 0;
    for (const operation of withBody)
      for (const { path } of declaredObjects(document, operation.body ?? {})) {
        const field = path ? `${path}.x_unknown` : 'x_unknown';
        const res = await send(operation, withField(sampleBody(operation, alice), field, 1));
        const label = `${operation.key} with ${field}`;
        expect(res.statusCode, label).toBe(400);
        expect(res.json().error.code, label).toBe('validation_failed');
        expect(res.json().error.details.unknown_fields, label).toContain(field);
        expect(res.json().error.message, label).toContain(`${field} is not a known field`);
        cases++;
      }
    // Bodies and their nested objects (platform_config, settings.llm, settings.handoff, ...).
    expect(cases).toBeGreaterThanOrEqual(20);
    expect(await aliceState()).toEqual(before);
  });

  it('a write route without a body refuses any field (a status sent to /activate is not silently ignored)', async () => {
    const before = await aliceState();
    expect(withoutBody.length).toBeGreaterThanOrEqual(6);
    for (const operation of withoutBody) {
      const res = await send(operation, { status: 'inactive', x_unknown: 1 });
      expect(res.statusCode, operation.key).toBe(400);
      expect(res.json().error.details.unknown_fields, operation.key).toEqual(['status', 'x_unknown']);
      const notAnObject = await send(operation, ['status']);
      expect(notAnObject.statusCode, `${operation.key} with an array`).toBe(400);
    }
    expect(await aliceState()).toEqual(before);
  });

  it('mass assignment: a field of the resource the body may not set is refused, for every body route', async () => {
    const before = await aliceState();
    // Plausible values, as an attacker would send them; any other field of a response gets a string.
    const attempts: Record<string, unknown> = {
      id: mallory.botId,
      workspace_id: mallory.workspaceId,
      bot_id: mallory.botId,
      status: 'active',
      credentials_status: 'ok',
      credentials: { status: 'ok' },
      created_at: '2020-01-01T00:00:00.000Z',
      updated_at: '2020-01-01T00:00:00.000Z',
      version: 99,
      control: 'bot',
      role: 'owner',
      usage_totals: { turns: 0, input_tokens: 0, output_tokens: 0 },
    };
    const refused: string[] = [];
    for (const operation of withBody) {
      const accepted = new Set(Object.keys(objectBranch(document, operation.body ?? {})?.properties ?? {}));
      const resource = operation.success ? objectBranch(document, operation.success) : null;
      const forbidden = Object.keys(resource?.properties ?? {}).filter((name) => !accepted.has(name));
      for (const field of forbidden) {
        const res = await send(operation, withField(sampleBody(operation, alice), field, attempts[field] ?? 'x'));
        expect(res.statusCode, `${operation.key} with ${field}`).toBe(400);
        expect(res.json().error.details.unknown_fields, `${operation.key} with ${field}`).toEqual([field]);
        refused.push(`${operation.key} ${field}`);
      }
    }
    // The fields the issue names, among those generated from the document.
    for (const expected of [
      'POST /api/bots id',
      'POST /api/bots status',
      'POST /api/bots credentials_status',
      'POST /api/bots created_at',
      'PATCH /api/bots/{id} workspace_id',
      'PATCH /api/bots/{id} status',
      'PATCH /api/bots/{id} credentials',
      'PATCH /api/bots/{id}/tools/{toolId} bot_id',
      'POST /api/conversations/{id}/handoff control',
      'POST /api/workspaces role',
    ])
      expect(refused).toContain(expected);
    expect(await aliceState()).toEqual(before);
  });

  it('the same bodies without the extra field pass validation (the 400s above were the field)', async () => {
    for (const operation of withBody) {
      const res = await send(operation, sampleBody(operation, alice));
      expect(errorCodeOf(res), operation.key).not.toBe('validation_failed');
      expect(res.statusCode, operation.key).toBeLessThan(500);
    }
    // A route without a body takes none, or `{}` (what clients send for nothing); deletes last.
    const deletesLast = [...withoutBody].sort((a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'));
    for (const operation of deletesLast)
      for (const body of [undefined, {}]) {
        const res = await send(operation, body);
        expect(errorCodeOf(res), operation.key).not.toBe('validation_failed');
        expect(res.statusCode, operation.key).toBeLessThan(500);
      }
  });

  it('no secret in clear in any response, log line or database row', async () => {
    for (const [index, body] of admin.bodies.entries()) scan.record(`response ${index}`, body);
    for (const [index, line] of admin.logs.lines().entries()) scan.record(`log line ${index}`, line);
    await scan.recordDatabase(database.current.url);
    await scan.recordRedis(redis.current.url, redis.current.prefix);
    expect(scan.records).toBeGreaterThan(100);
    expect(scan.leaks()).toEqual([]);
  });
});
