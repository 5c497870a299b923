import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { useTestDatabase, useTestRedis } from '@wabot/testing';
import openapiTS, { astToString } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestAdmin, type TestAdmin } from '../testing/test-admin.js';

// The console's API types are generated from this service's OpenAPI document (GET /docs/json) and
// committed; this test fails when they are stale. UPDATE_API_TYPES=1 rewrites them:
//   UPDATE_API_TYPES=1 npx vitest run services/admin/src/openapi/console-api-types.int.test.ts
const generatedFile = path.resolve(import.meta.dirname, '../../../../packages/console/src/generated/admin-api.ts');
const HEADER =
  '// Generated from the admin OpenAPI document (GET /docs/json) by openapi-typescript; do not edit.\n' +
  '// Regenerate: UPDATE_API_TYPES=1 npx vitest run services/admin/src/openapi/console-api-types.int.test.ts\n\n';

const database = useTestDatabase();
const redis = useTestRedis();
let admin: TestAdmin;

beforeAll(async () => {
  // A fixed webhook base: the document's examples carry it.
  admin = await createTestAdmin(database.current, redis.current, {
    PUBLIC_WEBHOOK_BASE_URL: 'https://hooks.example.com',
  });
});
afterAll(async () => {
  await admin.close();
});

describe('console API types', () => {
  it('are generated from the current OpenAPI document', async () => {
    const res = await admin.app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const document = res.json();
    expect(Object.keys(document.paths)).toContain('/api/bots/{id}');
    const generated = HEADER + astToString(await openapiTS(document, { alphabetize: true }));
    // biome ignores generated/ (it is not hand-written); the file is formatted as generated.
    // biome-ignore lint/style/noProcessEnv: a developer's switch for this test alone, not configuration
    if (process.env.UPDATE_API_TYPES === '1') writeFileSync(generatedFile, generated);
    const committed = readFileSync(generatedFile, 'utf8');
    expect(committed === generated, 'packages/console/src/generated/admin-api.ts is stale: regenerate it').toBe(true);
  });
});
