import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { useTestDatabase, useTestRedis } from '@wabot/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestAdmin, type TestAdmin } from '../testing/test-admin.js';
import { CONSOLE_CSP } from './serve-console.js';

const database = useTestDatabase();
const redis = useTestRedis();
const dir = mkdtempSync(path.join(tmpdir(), 'wabot-console-'));
let admin: TestAdmin;
let unbuilt: TestAdmin;
const INDEX = '<!doctype html><title>console</title><script type="module" src="/assets/app-1.js"></script>';

beforeAll(async () => {
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'index.html'), INDEX);
  writeFileSync(path.join(dir, 'assets', 'app-1.js'), 'console.log(1)');
  admin = await createTestAdmin(database.current, redis.current, { CONSOLE_DIR: dir });
  unbuilt = await createTestAdmin(database.current, redis.current, { CONSOLE_DIR: path.join(dir, 'missing') });
});
afterAll(async () => {
  await admin.close();
  await unbuilt.close();
  rmSync(dir, { recursive: true, force: true });
});

const get = (app: TestAdmin, url: string, accept = 'text/html') =>
  app.app.inject({ method: 'GET', url, headers: { accept } });

describe('the console at /', () => {
  it('serves index.html under a policy without inline scripts or styles', async () => {
    const res = await get(admin, '/');
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(INDEX);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.headers['cache-control']).toBe('no-cache');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toBe(CONSOLE_CSP);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('answers client routes with the same page, and keeps JSON 404s for the API', async () => {
    for (const url of ['/setup?token=abc', '/invite?token=x', '/bots/bt_1', '/inbox', '/inbox/3f0e']) {
      const res = await get(admin, url);
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).toBe(INDEX);
    }
    const api = await get(admin, '/api/nothing-here');
    expect(api.statusCode).toBe(404);
    expect(api.json().error.code).toBe('not_found');
    // A script asking for JSON gets the JSON 404, not the page.
    const json = await get(admin, '/bots/bt_1', 'application/json');
    expect(json.statusCode).toBe(404);
    expect(json.json().error.code).toBe('not_found');
    expect((await get(admin, '/assets/missing.js', '*/*')).statusCode).toBe(404);
  });

  it('serves hashed assets cached for good', async () => {
    const res = await get(admin, '/assets/app-1.js', '*/*');
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('console.log(1)');
    expect(res.headers['content-type']).toContain('javascript');
    expect(res.headers['cache-control']).toContain('immutable');
  });

  it('says how to build it when there is no build', async () => {
    const res = await get(unbuilt, '/');
    expect(res.statusCode).toBe(503);
    expect(res.body).toMatch(/run \.\/run setup/);
    expect((await get(unbuilt, '/inbox')).statusCode).toBe(503);
  });
});
