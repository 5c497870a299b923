import { useTestDatabase, useTestRedis } from '@wabot/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPortUrl, FAKE_GRAPH, type FakeGraph, startFakeGraph } from '../testing/fake-graph.js';
import { botBody, createTestAdmin, type TestAdmin } from '../testing/test-admin.js';

const database = useTestDatabase();
const redis = useTestRedis();
let graph: FakeGraph;
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
  graph = await startFakeGraph();
  admin = await createTestAdmin(database.current, redis.current, { GRAPH_API_BASE_URL: graph.url });
  workspaceId = (await admin.call('POST', '/api/workspaces', { body: { name: 'Activation' } })).json().id;
});
afterAll(async () => {
  for (const token of Object.values(FAKE_GRAPH)) {
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
      webhook_url: `https://hooks.example.test/api/bots/webhook/whatsapp/${id}`,
      manual_setup_required: true,
      warnings: [],
    });
    const call = graph.calls.find((c) => c.path === `/v25.0/${phoneNumberId}`);
    expect(call?.authorization).toMatch(/^Bearer EAAG/);
    const bot = (await admin.call('GET', `/api/bots/${id}`)).json();
    expect(bot.status).toBe('active');
    expect(bot.credentials).toMatchObject({ status: 'ok', error: null, checked_at: expect.any(String) });
  });

  it('warns when there is no app_secret', async () => {
    const { res } = await activateNew(admin, { app_secret: undefined });
    expect(res.statusCode).toBe(200);
    expect(res.json().warnings).toHaveLength(1);
    expect(res.json().warnings[0]).toMatch(/app_secret.*signatures are not verified.*development/);
  });

  it('warns, and flags the bot, when Meta rejects an expired token (190)', async () => {
    const { id, res } = await activateNew(admin, { access_token: FAKE_GRAPH.expiredToken });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('active');
    expect(res.json().warnings).toEqual([expect.stringMatching(/Meta rejects the access token: it has expired/)]);
    const bot = (await admin.call('GET', `/api/bots/${id}`)).json();
    expect(bot.credentials_status).toBe('invalid');
    expect(bot.credentials).toMatchObject({ error_code: 190, error: expect.stringMatching(/expired/) });
  });

  it('warns about an invalid token with Meta’s reason', async () => {
    const { res } = await activateNew(admin, { access_token: FAKE_GRAPH.revokedToken });
    expect(res.json().warnings).toEqual([
      expect.stringMatching(/Meta rejects the access token \(error 190: Invalid OAuth/),
    ]);
  });

  it('warns about an unknown phone number id (100)', async () => {
    const { res } = await activateNew(admin, { phone_number_id: FAKE_GRAPH.unknownPhoneNumberId });
    expect(res.statusCode).toBe(200);
    expect(res.json().warnings).toEqual([
      expect.stringMatching(new RegExp(`Meta does not know phone number id ${FAKE_GRAPH.unknownPhoneNumberId}`)),
    ]);
  });

  it('tells when the token is short-lived', async () => {
    const { res } = await activateNew(admin, { access_token: FAKE_GRAPH.shortLivedToken });
    expect(res.json().warnings).toEqual([expect.stringMatching(/short-lived.*System User token/)]);
  });

  it('an unreachable Graph API is a warning, not a failure', async () => {
    const offline = await createTestAdmin(database.current, redis.current, {
      GRAPH_API_BASE_URL: await closedPortUrl(),
    });
    try {
      const started = Date.now();
      const { id, res } = await activateNew(offline, {});
      expect(res.statusCode).toBe(200);
      expect(res.json().status).toBe('active');
      expect(res.json().warnings).toEqual([expect.stringMatching(/could not be reached/)]);
      expect(Date.now() - started).toBeLessThan(5_000);
      const bot = (await offline.call('GET', `/api/bots/${id}`)).json();
      expect(bot.credentials_status).toBe('unknown');
    } finally {
      await offline.close();
    }
  });

  it('re-activation after a token update clears the invalid flag', async () => {
    const { id } = await activateNew(admin, { access_token: FAKE_GRAPH.expiredToken });
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
