import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { type GraphSimulator, startGraphSimulator } from '@wabot/meta-simulator';
import { createSecretScan, jsonMutationsArbitrary, mutateJson, useTestDatabase, useTestRedis } from '@wabot/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiOperation, apiOperations, loadApiDocument } from '../testing/security/api-document.js';
import { sampleBody, urlOf } from '../testing/security/api-requests.js';
import { createTenant, registerAppSecrets, type Tenant } from '../testing/security/tenant-fixture.js';
import { createTestAdmin, type TestAdmin } from '../testing/test-admin.js';

// Property-based fuzzing of the admin API, every route from the OpenAPI document: arbitrary JSON
// bodies, valid bodies mutated at random, arbitrary query values. Nothing is a 5xx (bad input is
// a 4xx with the error shape), the heap does not grow with the requests, and no secret shows.

const database = useTestDatabase();
const redis = useTestRedis();
const scan = createSecretScan();
let graph: GraphSimulator;
let admin: TestAdmin;
let operations: ApiOperation[];
let alice: Tenant;
/** Bounded per route, so the file runs in seconds; fast-check prints the seed of a failure to replay it. */
const RUNS = { arbitrary: 20, mutated: 40, query: 15 };
const BODY_LIMIT = 64 * 1024;

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
const heapUsed = () => {
  collectGarbage();
  return process.memoryUsage().heapUsed;
};

beforeAll(async () => {
  graph = await startGraphSimulator();
  admin = await createTestAdmin(database.current, redis.current, {
    GRAPH_API_BASE_URL: graph.url,
    API_RATE_LIMIT_MAX: '100000',
    BODY_LIMIT_BYTES: String(BODY_LIMIT),
  });
  await registerAppSecrets(admin, scan, ['alice']);
  alice = await createTenant(admin, database.current, redis.current, scan, 'alice');
  operations = apiOperations(await loadApiDocument(admin.app)).filter((operation) => !operation.public);
});

afterAll(async () => {
  await admin?.close();
  await graph?.close();
});

/** Sends a request as alice; fails on a 5xx or an answer that is not the API's JSON. */
async function expectNo5xx(operation: ApiOperation, url: string, payload: string | undefined) {
  const res = await admin.app.inject({
    method: operation.method,
    url,
    headers: {
      authorization: `Bearer ${await admin.token('alice')}`,
      ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(payload === undefined ? {} : { payload }),
  });
  admin.bodies.push(res.body);
  const label = `${operation.key} ${url} ${payload?.slice(0, 200) ?? ''}: ${res.statusCode} ${res.body.slice(0, 200)}`;
  expect(res.statusCode, label).toBeLessThan(500);
  if (res.statusCode >= 400)
    expect(res.json().error, label).toMatchObject({ code: expect.any(String), message: expect.any(String) });
  return res.statusCode;
}

/** Routes fuzzed with bodies: everything that is not a read; DELETE last would only fuzz a 404. */
const writes = () => operations.filter((operation) => operation.method !== 'GET' && operation.method !== 'DELETE');

describe('admin API fuzzing (fast-check), every route of the document', () => {
  it('arbitrary JSON bodies on every write route: 4xx or success, never 5xx', async () => {
    const start = heapUsed();
    expect(writes().length).toBeGreaterThanOrEqual(13);
    for (const operation of writes())
      await fc.assert(
        fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (value) => {
          await expectNo5xx(operation, urlOf(operation, alice), JSON.stringify(value) ?? 'null');
        }),
        { numRuns: RUNS.arbitrary },
      );
    expect(heapUsed() - start).toBeLessThan(32 * 1024 * 1024);
  });

  it('valid bodies mutated at random (types, nulls, deletions, __proto__, arrays): never 5xx', async () => {
    const start = heapUsed();
    const outcomes = new Map<number, number>();
    for (const operation of writes().filter((op) => op.body !== null))
      await fc.assert(
        fc.asyncProperty(jsonMutationsArbitrary(4), async (mutations) => {
          const body = mutateJson(sampleBody(operation, alice), mutations);
          const status = await expectNo5xx(operation, urlOf(operation, alice), JSON.stringify(body));
          outcomes.set(status, (outcomes.get(status) ?? 0) + 1);
        }),
        { numRuns: RUNS.mutated },
      );
    // Both refusals and successes: the fuzzing reached the handlers, not only the validation.
    expect(outcomes.get(400)).toBeGreaterThan(0);
    expect([...outcomes.keys()].some((status) => status < 300)).toBe(true);
    expect(heapUsed() - start).toBeLessThan(32 * 1024 * 1024);
  });

  it('malformed payloads (not JSON, lone surrogates, huge numbers, deep nesting, __proto__): 4xx, never 5xx', async () => {
    const notJson = ['{', '{"a":', 'nul', '[]]', '{"a":1}}'];
    // Valid JSON a route without a body ignores, and a route with one refuses.
    const odd = [
      '"\\ud800"',
      '1e999999',
      `${'['.repeat(5000)}${']'.repeat(5000)}`,
      '{"__proto__":{"admin":true}}',
      '{"constructor":{"prototype":{"admin":true}}}',
    ];
    for (const operation of writes()) {
      const url = urlOf(operation, alice);
      for (const payload of notJson) expect(await expectNo5xx(operation, url, payload), payload).toBe(400);
      for (const payload of odd) {
        const status = await expectNo5xx(operation, url, payload);
        if (operation.body) expect(status, `${operation.key} ${payload.slice(0, 40)}`).toBeGreaterThanOrEqual(400);
      }
    }
    // Fastify's parser refused the prototype keys: nothing reached Object.prototype.
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('arbitrary query values on every route with query parameters: never 5xx', async () => {
    const withQuery = operations.filter((operation) => operation.queryParams.length > 0);
    expect(withQuery.length).toBeGreaterThanOrEqual(5);
    for (const operation of withQuery)
      await fc.assert(
        fc.asyncProperty(
          fc.dictionary(
            fc.constantFrom(...operation.queryParams),
            fc.oneof(fc.string(), fc.integer().map(String), fc.constant('')),
          ),
          async (query) => {
            const url = `${urlOf(operation, alice, { filters: false })}?${new URLSearchParams(query)}`;
            await expectNo5xx(operation, url, undefined);
          },
        ),
        { numRuns: RUNS.query },
      );
  });

  it('a body over BODY_LIMIT_BYTES is a 413 payload_too_large', async () => {
    const [create] = operations.filter((operation) => operation.key === 'POST /api/workspaces');
    if (!create) throw new Error('POST /api/workspaces is not in the document');
    const res = await admin.call('POST', '/api/workspaces', { body: { name: 'x'.repeat(BODY_LIMIT) } });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('payload_too_large');
  });

  it('no secret in clear in any response, log line or database row', async () => {
    for (const [index, body] of admin.bodies.entries()) scan.record(`response ${index}`, body);
    for (const [index, line] of admin.logs.lines().entries()) scan.record(`log line ${index}`, line);
    await scan.recordDatabase(database.current.url);
    await scan.recordRedis(redis.current.url, redis.current.prefix);
    expect(scan.records).toBeGreaterThan(500);
    expect(scan.leaks()).toEqual([]);
  });
});
