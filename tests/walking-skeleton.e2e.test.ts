import { createHmac, randomBytes } from 'node:crypto';
import { type GraphSimulator, startGraphSimulator } from '@wabot/meta-simulator';
import { type Stack, startStack } from '@wabot/stack';
import { keysAt, keysPerNode, scanKeys, useTestDatabase, useTestRedis } from '@wabot/testing';
import { signWebhookBody } from '@wabot/whatsapp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The walking skeleton, with real processes: admin creates and activates a bot; a signed text webhook
 * POSTed to the ingress reaches a worker through BullMQ; the worker sends the read receipt and then
 * the reply through the Graph API client to the simulated Graph API.
 */
const b64url = (value: string) => Buffer.from(value).toString('base64url');
function mintJwt(secret: string, sub: string): string {
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const now = Math.floor(Date.now() / 1000);
  const body = b64url(JSON.stringify({ sub, iat: now, exp: now + 3600 }));
  const signature = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${signature}`;
}

describe('walking skeleton (real processes)', () => {
  const database = useTestDatabase();
  const redis = useTestRedis();
  let graph: GraphSimulator;
  let stack: Stack | undefined;
  const jwtSecret = randomBytes(16).toString('hex');

  beforeAll(async () => {
    graph = await startGraphSimulator();
    const env = {
      DATABASE_URL: database.current.url,
      ...redis.current.env,
      REDIS_PREFIX: redis.current.prefix,
      SECRETS_KEY: randomBytes(32).toString('base64'),
      JWT_SECRET: jwtSecret,
      GRAPH_API_BASE_URL: graph.url,
      PUBLIC_WEBHOOK_BASE_URL: 'http://127.0.0.1:1',
      LOG_LEVEL: 'warn',
    };
    stack = await startStack({ services: ['admin', 'ingress', 'worker'], env });
  }, 90_000);

  afterAll(async () => {
    const exits = await stack?.stop();
    await graph?.close();
    // Graceful shutdown: every service exits 0 on SIGTERM.
    expect(Object.values(exits ?? {}).map((e) => e.code)).toEqual([0, 0, 0]);
  }, 30_000);

  it('answers a signed text webhook: read receipt first, then the reply, through the bot’s number and token', async () => {
    if (!stack) throw new Error('services not started');
    const admin = stack.get('admin');
    const ingress = stack.get('ingress');
    const auth = { authorization: `Bearer ${mintJwt(jwtSecret, 'alice')}`, 'content-type': 'application/json' };
    const ws = await fetch(`${admin.url}/api/workspaces`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ name: 'Acme' }),
    });
    expect(ws.status).toBe(201);
    const workspace = (await ws.json()) as { id: string };
    const appSecret = randomBytes(16).toString('hex');
    const accessToken = `EAAB${randomBytes(16).toString('hex')}`;
    const phoneNumberId = String(100_000_000_000 + Math.floor(Math.random() * 1e9));
    const created = await fetch(`${admin.url}/api/bots`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({
        name: 'Support',
        platform: 'whatsapp',
        workspace_id: workspace.id,
        system_prompt: 'You are a helpful assistant.',
        platform_config: {
          phone_number_id: phoneNumberId,
          access_token: accessToken,
          verify_token: 'Verify-Me',
          app_secret: appSecret,
        },
      }),
    });
    expect(created.status).toBe(201);
    const bot = (await created.json()) as { id: string };
    const activated = await fetch(`${admin.url}/api/bots/${bot.id}/activate`, {
      method: 'POST',
      headers: { authorization: auth.authorization },
    });
    expect(activated.status).toBe(200);
    const activation = (await activated.json()) as { webhook_url: string };
    const webhookPath = new URL(activation.webhook_url).pathname;

    const wamid = `wamid.HBgL${randomBytes(20).toString('base64')}`;
    const body = Buffer.from(
      JSON.stringify({
        object: 'whatsapp_business_account',
        entry: [
          {
            id: '102000000000001',
            changes: [
              {
                field: 'messages',
                value: {
                  messaging_product: 'whatsapp',
                  metadata: { display_phone_number: '15550001234', phone_number_id: phoneNumberId },
                  contacts: [{ profile: { name: 'Sheena' }, wa_id: '15557654321' }],
                  messages: [
                    {
                      from: '15557654321',
                      id: wamid,
                      timestamp: String(Math.floor(Date.now() / 1000)),
                      type: 'text',
                      text: { body: 'Hello there' },
                    },
                  ],
                },
              },
            ],
          },
        ],
      }),
    );
    const posted = await fetch(`${ingress.url}${webhookPath}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signWebhookBody(appSecret, body) },
      body,
    });
    expect(posted.status).toBe(200);

    const reply = await graph.waitFor(() => graph.sentMessages({ to: '15557654321' })[0], 20_000);
    expect(reply.phoneNumberId).toBe(phoneNumberId);
    expect(reply.token).toBe(accessToken);
    expect(reply.kind).toBe('text');
    const receipt = graph.readReceipts(wamid)[0];
    expect(receipt, 'read receipt for the inbound message').toBeDefined();
    expect(receipt?.seq).toBeLessThan(reply.seq);

    // The services used the Redis they were given: on the `cluster` project every key of this
    // file is on the cluster (spread over its nodes) and none on the single Redis.
    const ours = await scanKeys(redis.current.redis, `${redis.current.prefix}:*`);
    expect(ours.length).toBeGreaterThan(0);
    if (redis.current.clusterNodes) {
      expect(await keysAt(redis.current.url, `${redis.current.prefix}:*`)).toEqual([]);
      const perNode = await keysPerNode(redis.current.redis, `${redis.current.prefix}:*`);
      expect(perNode.filter((keys) => keys.length > 0).length).toBeGreaterThan(1);
    }
  }, 60_000);
});
