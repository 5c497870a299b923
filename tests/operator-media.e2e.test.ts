import { createHmac, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type GraphSimulator, startGraphSimulator } from '@wabot/meta-simulator';
import { type Stack, startStack } from '@wabot/stack';
import { eventually, useTestDatabase, useTestRedis } from '@wabot/testing';
import { signWebhookBody } from '@wabot/whatsapp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * An operator's upload with real processes (docs/contract.md, Operator media): the admin takes a
 * multipart file and stores it in MEDIA_STORE, the worker uploads it to the simulated Graph API
 * (`POST /{phone}/media`) and sends the image by the id Meta answered; the read status posted to
 * the ingress shows on the message.
 */
const b64url = (value: string) => Buffer.from(value).toString('base64url');
function mintJwt(secret: string, sub: string): string {
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const now = Math.floor(Date.now() / 1000);
  const body = b64url(JSON.stringify({ sub, iat: now, exp: now + 3600 }));
  return `${head}.${body}.${createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url')}`;
}

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('0000000d49484452000000010000000108060000001f15c489', 'hex'),
]);
const USER = '15557650018';

describe('operator media upload (real processes)', () => {
  const database = useTestDatabase();
  const redis = useTestRedis();
  let graph: GraphSimulator;
  let stack: Stack | undefined;
  let mediaStore: string;
  const jwtSecret = randomBytes(16).toString('hex');

  beforeAll(async () => {
    graph = await startGraphSimulator();
    mediaStore = await mkdtemp(join(tmpdir(), 'wabot-e2e-media-'));
    const env = {
      DATABASE_URL: database.current.url,
      ...redis.current.env,
      REDIS_PREFIX: redis.current.prefix,
      SECRETS_KEY: randomBytes(32).toString('base64'),
      JWT_SECRET: jwtSecret,
      GRAPH_API_BASE_URL: graph.url,
      PUBLIC_WEBHOOK_BASE_URL: 'http://127.0.0.1:1',
      MEDIA_STORE: mediaStore,
      LOG_LEVEL: 'warn',
    };
    stack = await startStack({ services: ['admin', 'ingress', 'worker'], env });
  }, 90_000);

  afterAll(async () => {
    await stack?.stop();
    await graph?.close();
    await rm(mediaStore, { recursive: true, force: true });
  }, 30_000);

  it('uploads the file to Meta at send time, then sends the image by that id; the read status is tracked', async () => {
    if (!stack) throw new Error('services not started');
    const admin = stack.get('admin');
    const ingress = stack.get('ingress');
    const authorization = `Bearer ${mintJwt(jwtSecret, 'alice')}`;
    const json = { authorization, 'content-type': 'application/json' };
    const workspace = (await (
      await fetch(`${admin.url}/api/workspaces`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ name: 'Acme' }),
      })
    ).json()) as { id: string };
    const appSecret = randomBytes(16).toString('hex');
    const accessToken = `EAAB${randomBytes(16).toString('hex')}`;
    const phoneNumberId = String(100_000_000_000 + Math.floor(Math.random() * 1e9));
    const bot = (await (
      await fetch(`${admin.url}/api/bots`, {
        method: 'POST',
        headers: json,
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
      })
    ).json()) as { id: string };
    const activated = await fetch(`${admin.url}/api/bots/${bot.id}/activate`, {
      method: 'POST',
      headers: { authorization },
    });
    const webhookPath = new URL(((await activated.json()) as { webhook_url: string }).webhook_url).pathname;
    const postWebhook = async (value: Record<string, unknown>) => {
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
                    ...value,
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
    };
    const now = () => String(Math.floor(Date.now() / 1000));
    // The user writes first: the 24-hour window opens and the bot answers.
    await postWebhook({
      contacts: [{ profile: { name: 'Sheena' }, wa_id: USER }],
      messages: [
        {
          from: USER,
          id: `wamid.IN${randomBytes(12).toString('hex')}`,
          timestamp: now(),
          type: 'text',
          text: { body: 'My receipt?' },
        },
      ],
    });
    await graph.waitFor(() => graph.sentMessages({ to: USER })[0], 20_000);
    const conversations = (await (
      await fetch(`${admin.url}/api/bots/${bot.id}/conversations`, { headers: { authorization } })
    ).json()) as { data: { id: string }[] };
    const conversationId = conversations.data[0]?.id ?? '';

    const form = new FormData();
    form.append('type', 'image');
    form.append('caption', 'Your receipt');
    form.append('file', new Blob([PNG], { type: 'image/png' }), 'receipt.png');
    const sent = await fetch(`${admin.url}/api/conversations/${conversationId}/messages`, {
      method: 'POST',
      headers: { authorization },
      body: form,
    });
    expect(sent.status).toBe(202);
    const { message } = (await sent.json()) as { message: { id: string } };

    const image = await graph.waitFor(() => graph.sentMessages({ to: USER }).find((r) => r.kind === 'image'), 20_000);
    const upload = graph.requests.find((r) => r.kind === 'media_upload');
    expect(upload).toMatchObject({ status: 200, phoneNumberId, token: accessToken });
    const mediaId = (upload?.response as { id?: string } | null)?.id ?? '';
    expect(Buffer.from(graph.uploads.get(mediaId)?.data ?? []).equals(PNG)).toBe(true);
    expect(image.body).toMatchObject({ type: 'image', image: { id: mediaId, caption: 'Your receipt' } });
    expect(upload?.seq).toBeLessThan(image.seq);

    const messageIs = (status: string) =>
      eventually(async () => {
        const list = (await (
          await fetch(`${admin.url}/api/conversations/${conversationId}/messages`, { headers: { authorization } })
        ).json()) as { data: { id: string; status: string; type: string; metadata: unknown }[] };
        const row = list.data.find((m) => m.id === message.id);
        return row?.status === status ? row : null;
      }, 20_000);
    // Recorded `sent` first: a status for a wamid the worker has not recorded yet is ignored.
    await messageIs('sent');
    await postWebhook({
      statuses: [{ id: image.messageId, status: 'read', timestamp: now(), recipient_id: USER }],
    });
    const shown = await messageIs('read');
    expect(shown).toMatchObject({
      type: 'image',
      metadata: { media: { type: 'image', mime_type: 'image/png', upload: { size_bytes: PNG.length } } },
    });
  }, 90_000);
});
