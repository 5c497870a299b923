import { botChangedChannel } from '@wabot/bot-registry';
import { type GraphSimulator, startGraphSimulator } from '@wabot/meta-simulator';
import { useTestDatabase, useTestRedis } from '@wabot/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botBody, createTestAdmin, type TestAdmin } from '../testing/test-admin.js';

const database = useTestDatabase();
const redis = useTestRedis();
let admin: TestAdmin;
let graph: GraphSimulator;
let aliceWs: string;
let malloryWs: string;
const rawSecrets: string[] = [];

const createBot = async (overrides: Record<string, unknown> = {}, as = 'alice', ws = aliceWs) => {
  const { body, secrets } = botBody(ws, overrides);
  rawSecrets.push(...Object.values(secrets));
  const res = await admin.call('POST', '/api/bots', { as, body });
  return { res, body, secrets };
};

beforeAll(async () => {
  graph = await startGraphSimulator();
  admin = await createTestAdmin(database.current, redis.current, { GRAPH_API_BASE_URL: graph.url });
  aliceWs = (await admin.call('POST', '/api/workspaces', { body: { name: 'Acme' } })).json().id;
  malloryWs = (await admin.call('POST', '/api/workspaces', { as: 'mallory', body: { name: 'Evil' } })).json().id;
});

afterAll(async () => {
  // Secrets never leave the service: not in any response body, not in any log line.
  const everything = `${admin.bodies.join('\n')}\n${admin.logs.text()}`;
  expect(rawSecrets.length).toBeGreaterThan(5);
  for (const secret of rawSecrets) expect(everything).not.toContain(secret);
  await admin.close();
  await graph.close();
});

describe('workspaces', () => {
  it('creates a workspace owned by the caller and lists only the caller’s', async () => {
    const created = await admin.call('POST', '/api/workspaces', { body: { name: 'Second' } });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ name: 'Second', role: 'owner' });
    const list = await admin.call('GET', '/api/workspaces');
    expect(list.statusCode).toBe(200);
    const names = list.json().data.map((w: { name: string }) => w.name);
    expect(names).toEqual(expect.arrayContaining(['Acme', 'Second']));
    expect(names).not.toContain('Evil');
    expect(list.json().next_cursor).toBeNull();
  });

  it('names the missing field', async () => {
    const res = await admin.call('POST', '/api/workspaces', { body: {} });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('validation_failed');
    expect(res.json().error.details.fields).toEqual([{ field: 'name', message: 'is required' }]);
  });

  it('lets owners add members, who then see the workspace; members cannot add', async () => {
    const ws = (await admin.call('POST', '/api/workspaces', { body: { name: 'Shared' } })).json().id;
    const add = await admin.call('POST', `/api/workspaces/${ws}/members`, { body: { user_id: 'bob' } });
    expect(add.statusCode).toBe(201);
    expect(add.json()).toMatchObject({ user_id: 'bob', role: 'member' });
    expect((await admin.call('GET', `/api/workspaces/${ws}`, { as: 'bob' })).json().role).toBe('member');
    const again = await admin.call('POST', `/api/workspaces/${ws}/members`, { body: { user_id: 'bob' } });
    expect(again.statusCode).toBe(409);
    const byMember = await admin.call('POST', `/api/workspaces/${ws}/members`, { as: 'bob', body: { user_id: 'eve' } });
    expect(byMember.statusCode).toBe(403);
    expect((await admin.call('GET', `/api/workspaces/${ws}`, { as: 'mallory' })).statusCode).toBe(404);
  });
});

describe('bots', () => {
  it('creates a bot: 201 with id, masked secrets, webhook URL', async () => {
    const { res, body, secrets } = await createBot();
    expect(res.statusCode).toBe(201);
    const bot = res.json();
    expect(bot.id).toMatch(/^bt_[a-z0-9]{20}$/);
    expect(bot).toMatchObject({
      name: 'Support bot',
      platform: 'whatsapp',
      status: 'inactive',
      workspace_id: aliceWs,
      phone_number_id: body.platform_config.phone_number_id,
      credentials_status: 'unknown',
      webhook_url: `https://hooks.acme-bots.com/api/bots/webhook/whatsapp/${bot.id}`,
    });
    expect(bot.platform_config.access_token).toEqual({
      set: true,
      hint: `${secrets.access_token.slice(0, 4)}…${secrets.access_token.slice(-3)}`,
    });
    expect(bot.platform_config.app_secret.set).toBe(true);
    expect(bot.settings.history.turns).toBe(20);
    const stored = await database.current.db.bot.findUniqueOrThrow({ where: { id: bot.id } });
    expect(stored.accessTokenCipher).not.toContain(secrets.access_token);
    expect(stored.accessTokenCipher.startsWith('v1:')).toBe(true);
  });

  it('accepts per-bot settings and rejects bad ones by field', async () => {
    const ok = await createBot({
      settings: { llm: { model: 'gpt-x', temperature: 0.3 }, fallback_template: { name: 'hello', language: 'en_US' } },
    });
    expect(ok.res.statusCode).toBe(201);
    expect(ok.res.json().settings).toMatchObject({
      llm: { model: 'gpt-x', temperature: 0.3 },
      rate_limit_per_second: 80,
    });
    const bad = await createBot({ settings: { llm: { temperature: 7 } } });
    expect(bad.res.statusCode).toBe(400);
    expect(bad.res.json().error.details.fields[0].field).toBe('settings.llm.temperature');
  });

  it('takes settings.llm (provider, model, base_url, fallback_model, vision) and a write-only llm_api_key', async () => {
    const key = `sk-ant-test-${Date.now()}-very-secret-key`;
    rawSecrets.push(key);
    const llm = { provider: 'anthropic', model: 'claude-x', fallback_model: 'claude-y', vision: true };
    const { res } = await createBot({ settings: { llm }, llm_api_key: key });
    expect(res.statusCode).toBe(201);
    const bot = res.json();
    expect(bot.settings.llm).toEqual(llm);
    expect(bot.llm_api_key).toEqual({ set: true, hint: `${key.slice(0, 4)}…${key.slice(-3)}` });
    expect(bot.usage_totals).toEqual({ turns: 0, input_tokens: 0, output_tokens: 0 });
    const stored = await database.current.db.bot.findUniqueOrThrow({ where: { id: bot.id } });
    expect(stored.llmApiKeyCipher?.startsWith('v1:')).toBe(true);
    expect(stored.llmApiKeyCipher).not.toContain(key);
    expect((await admin.call('GET', `/api/bots/${bot.id}`)).json().llm_api_key.set).toBe(true);

    const replaced = `sk-ant-other-${Date.now()}-secret-value`;
    rawSecrets.push(replaced);
    const patched = await admin.call('PATCH', `/api/bots/${bot.id}`, { body: { llm_api_key: replaced } });
    expect(patched.json().llm_api_key.hint).toBe(`${replaced.slice(0, 4)}…${replaced.slice(-3)}`);
    const removed = await admin.call('PATCH', `/api/bots/${bot.id}`, { body: { llm_api_key: null } });
    expect(removed.json().llm_api_key).toEqual({ set: false, hint: null });

    const noModel = await createBot({ settings: { llm: { provider: 'google' } } });
    expect(noModel.res.statusCode).toBe(400);
    expect(noModel.res.json().error.details.fields[0].field).toBe('settings.llm.model');
    const noBase = await createBot({ settings: { llm: { provider: 'openai-compatible', model: 'llama3' } } });
    expect(noBase.res.json().error.details.fields[0].field).toBe('settings.llm.base_url');
    const unknown = await createBot({ settings: { llm: { provider: 'cohere', model: 'x' } } });
    expect(unknown.res.statusCode).toBe(400);
    const empty = await createBot({ llm_api_key: '' });
    expect(empty.res.statusCode).toBe(400);
  });

  it('takes settings.turn (debounce_ms, max_wait_ms) with defaults, and refuses values out of range', async () => {
    const plain = await createBot({});
    expect(plain.res.json().settings.turn).toEqual({ debounce_ms: 0, max_wait_ms: 10_000 });
    const burst = await createBot({ settings: { turn: { debounce_ms: 1500 } } });
    expect(burst.res.statusCode).toBe(201);
    expect(burst.res.json().settings.turn).toEqual({ debounce_ms: 1500, max_wait_ms: 10_000 });
    const bad = await createBot({ settings: { turn: { debounce_ms: -5 } } });
    expect(bad.res.statusCode).toBe(400);
    expect(bad.res.json().error.details.fields[0].field).toBe('settings.turn.debounce_ms');
  });

  it('validates: platform, digits-only phone number id, required fields named', async () => {
    const { body } = botBody(aliceWs);
    const res = await admin.call('POST', '/api/bots', {
      body: {
        ...body,
        name: undefined,
        platform: 'telegram',
        platform_config: { phone_number_id: '+1 555-0100', access_token: 'x' },
      },
    });
    expect(res.statusCode).toBe(400);
    const fields = res.json().error.details.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(
      expect.arrayContaining(['name', 'platform', 'platform_config.phone_number_id', 'platform_config.verify_token']),
    );
    expect(res.json().error.message).toContain('platform_config.verify_token is required');
    expect(res.json().error.message).toContain('must be "whatsapp"');
  });

  it('rejects bodies that are not JSON objects', async () => {
    const res = await admin.app.inject({
      method: 'POST',
      url: '/api/bots',
      headers: { authorization: `Bearer ${await admin.token('alice')}`, 'content-type': 'application/json' },
      payload: '{not json',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_json');
  });

  it('creating a bot in another tenant’s workspace is a 404', async () => {
    const { res } = await createBot({}, 'alice', malloryWs);
    expect(res.statusCode).toBe(404);
  });

  it('lists, gets, and filters by workspace with cursor pagination', async () => {
    const ws = (await admin.call('POST', '/api/workspaces', { body: { name: 'Paging' } })).json().id;
    for (let i = 0; i < 3; i++) expect((await createBot({ name: `p${i}` }, 'alice', ws)).res.statusCode).toBe(201);
    const first = await admin.call('GET', `/api/bots?workspace_id=${ws}&limit=2`);
    expect(first.statusCode).toBe(200);
    expect(first.json().data.map((b: { name: string }) => b.name)).toEqual(['p2', 'p1']);
    const second = await admin.call('GET', `/api/bots?workspace_id=${ws}&limit=2&cursor=${first.json().next_cursor}`);
    expect(second.json().data.map((b: { name: string }) => b.name)).toEqual(['p0']);
    expect(second.json().next_cursor).toBeNull();
    expect((await admin.call('GET', `/api/bots?workspace_id=${ws}`, { as: 'mallory' })).statusCode).toBe(404);
    expect((await admin.call('GET', '/api/bots?cursor=garbage')).statusCode).toBe(400);
    const all = await admin.call('GET', '/api/bots?limit=200', { as: 'mallory' });
    expect(all.json().data).toEqual([]);
  });

  it('another workspace’s bot is a 404 for every route', async () => {
    const { res } = await createBot();
    const id = res.json().id;
    for (const [method, url, body] of [
      ['GET', `/api/bots/${id}`, undefined],
      ['PATCH', `/api/bots/${id}`, { name: 'pwned' }],
      ['DELETE', `/api/bots/${id}`, undefined],
      ['POST', `/api/bots/${id}/activate`, undefined],
      ['POST', `/api/bots/${id}/deactivate`, undefined],
      ['GET', `/api/bots/${id}/conversations`, undefined],
    ] as const) {
      const r = await admin.call(method, url, { as: 'mallory', body });
      expect(r.statusCode, `${method} ${url}`).toBe(404);
      expect(r.json().error.code).toBe('not_found');
    }
    expect((await admin.call('GET', `/api/bots/${id}`)).json().name).toBe('Support bot');
  });

  it('PATCH updates fields, bumps the version, announces the change; a new token resets credential health', async () => {
    const { res } = await createBot();
    const bot = res.json();
    await database.current.db.bot.update({
      where: { id: bot.id },
      data: { credentialsStatus: 'invalid', credentialsError: 'expired', credentialsErrorCode: 190 },
    });
    const subscriber = new Redis(redis.current.url);
    const messages: string[] = [];
    subscriber.on('message', (_channel, message) => messages.push(message));
    await subscriber.subscribe(botChangedChannel(redis.current.prefix));
    try {
      const newToken = `EAAG-replacement-${Date.now()}-secret`;
      rawSecrets.push(newToken);
      const patched = await admin.call('PATCH', `/api/bots/${bot.id}`, {
        body: { name: 'Renamed', platform_config: { access_token: newToken, app_secret: null } },
      });
      expect(patched.statusCode).toBe(200);
      expect(patched.json()).toMatchObject({
        name: 'Renamed',
        version: bot.version + 1,
        credentials_status: 'unknown',
        credentials: { status: 'unknown', error: null, error_code: null },
        platform_config: { app_secret: { set: false, hint: null }, access_token: { set: true } },
      });
      await expect.poll(() => messages.length).toBeGreaterThan(0);
      expect(JSON.parse(messages.at(-1) ?? '{}')).toEqual({ botId: bot.id, version: bot.version + 1 });
    } finally {
      subscriber.disconnect();
    }
    const empty = await admin.call('PATCH', `/api/bots/${bot.id}`, { body: {} });
    expect(empty.statusCode).toBe(400);
    const badPhone = await admin.call('PATCH', `/api/bots/${bot.id}`, {
      body: { platform_config: { phone_number_id: 'abc' } },
    });
    expect(badPhone.statusCode).toBe(400);
    expect(badPhone.json().error.details.fields[0].field).toBe('platform_config.phone_number_id');
  });

  it('one phone number id per active bot: 409 on create, activate and PATCH', async () => {
    const a = await createBot();
    const phone = a.body.platform_config.phone_number_id;
    expect((await admin.call('POST', `/api/bots/${a.res.json().id}/activate`)).statusCode).toBe(200);

    const dup = await createBot({
      platform_config: { ...botBody(aliceWs).body.platform_config, phone_number_id: phone },
    });
    expect(dup.res.statusCode).toBe(409);
    expect(dup.res.json().error.code).toBe('conflict');

    // An inactive bot may hold the number, but cannot be activated while the other is active.
    const b = await createBot();
    const bId = b.res.json().id;
    expect((await admin.call('POST', `/api/bots/${bId}/activate`)).statusCode).toBe(200);
    const clash = await admin.call('PATCH', `/api/bots/${bId}`, {
      body: { platform_config: { phone_number_id: phone } },
    });
    expect(clash.statusCode).toBe(409);

    await admin.call('POST', `/api/bots/${bId}/deactivate`);
    expect(
      (await admin.call('PATCH', `/api/bots/${bId}`, { body: { platform_config: { phone_number_id: phone } } }))
        .statusCode,
    ).toBe(200);
    const activateClash = await admin.call('POST', `/api/bots/${bId}/activate`);
    expect(activateClash.statusCode).toBe(409);

    // The partial unique index backs the check up when two requests race past it.
    await expect(database.current.db.bot.update({ where: { id: bId }, data: { status: 'active' } })).rejects.toThrow();
  });

  it('DELETE soft-deletes: 204, then 404, row kept, change announced', async () => {
    const { res } = await createBot();
    const id = res.json().id;
    const del = await admin.call('DELETE', `/api/bots/${id}`);
    expect(del.statusCode).toBe(204);
    expect((await admin.call('GET', `/api/bots/${id}`)).statusCode).toBe(404);
    const row = await database.current.db.bot.findUniqueOrThrow({ where: { id } });
    expect(row.deletedAt).not.toBeNull();
    expect(row.status).toBe('inactive');
  });

  it('activate and deactivate accept an empty JSON body, {} or none at all', async () => {
    const { res } = await createBot();
    const id = res.json().id;
    for (const action of ['activate', 'deactivate']) {
      for (const payload of ['', '  ', '{}']) {
        const answer = await admin.call('POST', `/api/bots/${id}/${action}`, {
          headers: { 'content-type': 'application/json' },
          ...(payload === '{}' ? { body: {} } : {}),
        });
        expect(answer.statusCode, `${action} ${JSON.stringify(payload)}`).toBe(200);
      }
    }
    // Not a loophole: a body that is not JSON is still a 400, and a create still needs its body.
    const broken = await admin.app.inject({
      method: 'POST',
      url: `/api/bots/${id}/activate`,
      headers: { authorization: `Bearer ${await admin.token('alice')}`, 'content-type': 'application/json' },
      payload: '{"x":',
    });
    expect(broken.statusCode).toBe(400);
    const empty = await admin.call('POST', '/api/bots', { headers: { 'content-type': 'application/json' } });
    expect(empty.statusCode).toBe(400);
  });

  it('deactivate stops the bot at once', async () => {
    const { res } = await createBot();
    const id = res.json().id;
    await admin.call('POST', `/api/bots/${id}/activate`);
    const off = await admin.call('POST', `/api/bots/${id}/deactivate`);
    expect(off.statusCode).toBe(200);
    expect(off.json().status).toBe('inactive');
    const row = await database.current.db.bot.findUniqueOrThrow({ where: { id } });
    expect(row.status).toBe('inactive');
  });

  it('writes an audit log of who changed what, readable by members only', async () => {
    // A workspace of its own: the log holds exactly what this test did, whatever ran before.
    const ws = (await admin.call('POST', '/api/workspaces', { body: { name: 'Audited' } })).json().id;
    const { res } = await createBot({}, 'alice', ws);
    const id = res.json().id;
    await admin.call('PATCH', `/api/bots/${id}`, { body: { system_prompt: 'new' } });
    expect((await admin.call('POST', `/api/bots/${id}/activate`)).statusCode).toBe(200);
    expect((await admin.call('POST', `/api/bots/${id}/deactivate`)).statusCode).toBe(200);
    expect((await admin.call('DELETE', `/api/bots/${id}`)).statusCode).toBeLessThan(300);
    const page = await admin.call('GET', `/api/workspaces/${ws}/audit-log?limit=2`);
    expect(page.statusCode).toBe(200);
    expect(page.json().data.map((entry: { action: string }) => entry.action)).toEqual(['bot.delete', 'bot.deactivate']);
    expect(page.json().next_cursor).toEqual(expect.any(String));
    const log = await admin.call('GET', `/api/workspaces/${ws}/audit-log?limit=50`);
    expect(log.json().data.find((entry: { action: string }) => entry.action === 'bot.update')).toMatchObject({
      actor: 'alice',
      bot_id: id,
      details: { fields: ['system_prompt'] },
    });
    expect((await admin.call('GET', `/api/workspaces/${ws}/audit-log`, { as: 'mallory' })).statusCode).toBe(404);
    const actions = await database.current.db.auditLog.findMany({ where: { workspaceId: ws } });
    expect(actions.map((a) => a.action).sort()).toEqual(
      ['bot.activate', 'bot.create', 'bot.deactivate', 'bot.delete', 'bot.update', 'workspace.create'].sort(),
    );
  });
});
