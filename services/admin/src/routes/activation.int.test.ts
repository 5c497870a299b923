import { createBotDiagnostics } from '@wabot/bot-registry';
import { deploymentEngineKey } from '@wabot/contracts';
import { type GraphSimulator, startGraphSimulator } from '@wabot/meta-simulator';
import { useTestDatabase, useTestRedis } from '@wabot/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botBody, createTestAdmin, type TestAdmin } from '../testing/test-admin.js';

/** Tokens and ids the simulator is told (below) to answer like Meta does for such credentials. */
const GRAPH = {
  expiredToken: 'EAAG-expired-token-0123456789',
  revokedToken: 'EAAG-revoked-token-0123456789',
  shortLivedToken: 'EAAG-short-lived-token-0123456789',
  droppedToken: 'EAAG-dropped-connection-token-0123456789',
  slowToken: 'EAAG-slow-answer-token-0123456789',
  unknownPhoneNumberId: '999000999000',
} as const;

const database = useTestDatabase();
const redis = useTestRedis();
let graph: GraphSimulator;
let admin: TestAdmin;
let workspaceId: string;

const activateNew = async (target: TestAdmin, platformConfig: Record<string, unknown>) => {
  const { body } = botBody(workspaceId);
  const created = await target.call('POST', '/api/bots', {
    body: { ...body, platform_config: { ...body.platform_config, ...platformConfig } },
  });
  expect(created.statusCode).toBe(201);
  const id: string = created.json().id;
  const res = await target.call('POST', `/api/bots/${id}/activate`);
  return { id, res, phoneNumberId: body.platform_config.phone_number_id };
};

beforeAll(async () => {
  graph = await startGraphSimulator({
    tokenInfo: (token) =>
      token === GRAPH.shortLivedToken ? { type: 'USER', expires_at: Math.floor(Date.now() / 1000) + 3600 } : undefined,
  });
  graph.injectFault({ kind: 'expired_token_190', match: { token: GRAPH.expiredToken } });
  graph.injectFault({ kind: 'invalid_token_190', match: { token: GRAPH.revokedToken } });
  graph.injectFault({ kind: 'unknown_phone_number_100', match: { phoneNumberId: GRAPH.unknownPhoneNumberId } });
  graph.injectFault({ kind: 'drop_connection', match: { token: GRAPH.droppedToken } });
  // Beyond GRAPH_CHECK_TIMEOUT_MS (1500 in createTestAdmin).
  graph.injectFault({ kind: 'latency', latencyMs: 2500, match: { token: GRAPH.slowToken } });
  admin = await createTestAdmin(database.current, redis.current, { GRAPH_API_BASE_URL: graph.url });
  workspaceId = (await admin.call('POST', '/api/workspaces', { body: { name: 'Activation' } })).json().id;
});
afterAll(async () => {
  for (const token of Object.values(GRAPH)) {
    if (token.startsWith('EAAG')) expect(admin.bodies.join('\n') + admin.logs.text()).not.toContain(token);
  }
  await admin.close();
  await graph.close();
});

describe('POST /api/bots/:id/activate', () => {
  it('answers exactly the documented body with no warnings when all is well', async () => {
    const { id, res, phoneNumberId } = await activateNew(admin, {});
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      id,
      status: 'active',
      webhook_url: `https://hooks.acme-bots.com/api/bots/webhook/whatsapp/${id}`,
      manual_setup_required: true,
      warnings: [],
    });
    const lookup = graph.requests.find((r) => r.kind === 'get_phone_number' && r.phoneNumberId === phoneNumberId);
    expect(lookup).toMatchObject({ path: `/v25.0/${phoneNumberId}`, token: expect.stringMatching(/^EAAG/) });
    expect(graph.requests.find((r) => r.kind === 'debug_token' && r.token === lookup?.token)).toMatchObject({
      path: '/v25.0/debug_token',
      status: 200,
    });
    const bot = (await admin.call('GET', `/api/bots/${id}`)).json();
    expect(bot.status).toBe('active');
    expect(bot.credentials).toMatchObject({ status: 'ok', error: null, checked_at: expect.any(String) });
  });

  it('warns when the webhook URL is not public HTTPS (the development default is neither)', async () => {
    const local = await createTestAdmin(database.current, redis.current, {
      GRAPH_API_BASE_URL: graph.url,
      PUBLIC_WEBHOOK_BASE_URL: 'http://localhost:3000',
    });
    try {
      const { id, res } = await activateNew(local, {});
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        webhook_url: `http://localhost:3000/api/bots/webhook/whatsapp/${id}`,
        warnings: [expect.stringMatching(/not HTTPS/), expect.stringMatching(/not reachable from the internet/)],
      });
      // The bot says so too (the dashboard shows it under the URL), not only the activation answer.
      expect((await local.call('GET', `/api/bots/${id}`)).json().webhook_url_warnings).toHaveLength(2);
      expect((await admin.call('GET', `/api/bots/${id}`)).json().webhook_url_warnings).toEqual([]);
    } finally {
      await local.close();
    }
  });

  it('warns when there is no app_secret', async () => {
    const { res } = await activateNew(admin, { app_secret: undefined });
    expect(res.statusCode).toBe(200);
    expect(res.json().warnings).toHaveLength(1);
    expect(res.json().warnings[0]).toMatch(/app_secret.*signatures are not verified.*development/);
  });

  it('warns, and flags the bot, when Meta rejects an expired token (190)', async () => {
    const { id, res } = await activateNew(admin, { access_token: GRAPH.expiredToken });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('active');
    expect(res.json().warnings).toEqual([expect.stringMatching(/Meta rejects the access token: it has expired/)]);
    const bot = (await admin.call('GET', `/api/bots/${id}`)).json();
    expect(bot.credentials_status).toBe('invalid');
    expect(bot.credentials).toMatchObject({ error_code: 190, error: expect.stringMatching(/expired/) });
  });

  it('warns about an invalid token with Meta’s reason', async () => {
    const { res } = await activateNew(admin, { access_token: GRAPH.revokedToken });
    expect(res.json().warnings).toEqual([
      expect.stringMatching(/Meta rejects the access token \(error 190: Invalid OAuth/),
    ]);
  });

  it('warns about an unknown phone number id (100)', async () => {
    const { res } = await activateNew(admin, { phone_number_id: GRAPH.unknownPhoneNumberId });
    expect(res.statusCode).toBe(200);
    expect(res.json().warnings).toEqual([
      expect.stringMatching(new RegExp(`Meta does not know phone number id ${GRAPH.unknownPhoneNumberId}`)),
    ]);
  });

  it('tells when the token is short-lived', async () => {
    const { res } = await activateNew(admin, { access_token: GRAPH.shortLivedToken });
    expect(res.json().warnings).toEqual([expect.stringMatching(/short-lived.*System User token/)]);
  });

  it('an unreachable Graph API is a warning, not a failure', async () => {
    const { id, res } = await activateNew(admin, { access_token: GRAPH.droppedToken });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('active');
    expect(res.json().warnings).toEqual([expect.stringMatching(/could not be reached.*connection failed/)]);
    const bot = (await admin.call('GET', `/api/bots/${id}`)).json();
    expect(bot.credentials_status).toBe('unknown');
    expect(bot.credentials.checked_at).toBeNull();
  });

  it('a Graph API slower than GRAPH_CHECK_TIMEOUT_MS is a warning, not a failure', async () => {
    const started = Date.now();
    const { id, res } = await activateNew(admin, { access_token: GRAPH.slowToken });
    expect(res.statusCode).toBe(200);
    expect(res.json().warnings).toEqual([expect.stringMatching(/could not be reached.*\(no answer within 1500 ms\)/)]);
    expect(Date.now() - started).toBeLessThan(2_400);
    expect((await admin.call('GET', `/api/bots/${id}`)).json().credentials_status).toBe('unknown');
  });

  it('re-activation after a token update clears the invalid flag', async () => {
    const { id } = await activateNew(admin, { access_token: GRAPH.expiredToken });
    const fresh = `EAAG-fresh-${Date.now()}-token`;
    const patched = await admin.call('PATCH', `/api/bots/${id}`, {
      body: { platform_config: { access_token: fresh } },
    });
    expect(patched.json().credentials_status).toBe('unknown');
    const again = await admin.call('POST', `/api/bots/${id}/activate`);
    expect(again.json().warnings).toEqual([]);
    expect((await admin.call('GET', `/api/bots/${id}`)).json().credentials_status).toBe('ok');
    expect(admin.bodies.join('\n') + admin.logs.text()).not.toContain(fresh);
  });
});

describe('GET /api/bots/:id diagnostics', () => {
  it('shows what the ingress recorded: the last verification attempt and its reason, webhooks, rejected signatures', async () => {
    const { id } = await activateNew(admin, {});
    const empty = (await admin.call('GET', `/api/bots/${id}`)).json();
    expect(empty.diagnostics).toEqual({
      last_verification: null,
      last_webhook_at: null,
      rejected_signatures: 0,
      foreign_phone_number_events: 0,
    });
    // The ingress writes these (services/ingress webhook routes); the same store reads them here.
    const connection = new Redis(redis.current.url);
    try {
      const store = createBotDiagnostics(connection, redis.current.prefix);
      store.recordVerification(id, 'rejected', 'token_case_mismatch');
      store.countRejectedSignature(id);
      store.countRejectedSignature(id);
      store.recordWebhook(id);
      store.countForeignPhoneNumberEvents(id, 3);
      await connection.ping();
    } finally {
      connection.disconnect();
    }
    const res = await admin.call('GET', `/api/bots/${id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().diagnostics).toEqual({
      last_verification: { at: expect.any(String), outcome: 'rejected', reason: 'token_case_mismatch' },
      last_webhook_at: expect.any(String),
      rejected_signatures: 2,
      foreign_phone_number_events: 3,
    });
  });
});

describe('GET /api/bots/:id engine', () => {
  it('says when replies are canned (offline engine), which LLM answers otherwise, and the bot’s own provider first', async () => {
    const { id } = await activateNew(admin, {});
    const connection = new Redis(redis.current.url);
    const record = (engine: 'llm' | 'offline', model: string | null) =>
      connection.set(
        deploymentEngineKey(redis.current.prefix),
        JSON.stringify({ engine, model, at: new Date().toISOString() }),
      );
    try {
      await connection.del(deploymentEngineKey(redis.current.prefix));
      expect((await admin.call('GET', `/api/bots/${id}`)).json().engine).toMatchObject({
        source: 'unknown',
        canned: false,
      });
      await record('offline', null);
      const offline = (await admin.call('GET', `/api/bots/${id}`)).json().engine;
      expect(offline).toMatchObject({ source: 'offline', canned: true });
      expect(offline.note).toMatch(/No LLM configured: replies are canned/);
      await record('llm', 'gpt-4o-mini');
      expect((await admin.call('GET', `/api/bots/${id}`)).json().engine).toEqual({
        source: 'deployment',
        provider: 'openai-compatible',
        model: 'gpt-4o-mini',
        canned: false,
        note: null,
      });
      await record('offline', null);
      const patched = await admin.call('PATCH', `/api/bots/${id}`, {
        body: { settings: { llm: { provider: 'anthropic', model: 'claude-sonnet-4-5' } } },
      });
      expect(patched.statusCode).toBe(200);
      expect((await admin.call('GET', `/api/bots/${id}`)).json().engine).toMatchObject({
        source: 'bot',
        provider: 'anthropic',
        model: 'claude-sonnet-4-5',
        canned: false,
      });
    } finally {
      connection.disconnect();
    }
  });
});
