import { createServer } from 'node:http';
import { normalizeWebhook, verifyWebhookSignature } from '@wabot/whatsapp';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { startGraphSimulator } from './graph-simulator.js';
import { createSimClock, HOUR_MS } from './sim-clock.js';
import { createSimUser } from './sim-user.js';
import { createWebhookSender } from './webhook-sender.js';

const APP_SECRET = 'test_app_secret_do_not_use';

interface Received {
  at: number;
  raw: Buffer;
  signatureValid: boolean;
}

/** A stand-in ingress: verifies signatures and answers from a scripted list of statuses. */
const received: Received[] = [];
let script: number[] = [];
const ingress = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const raw = Buffer.concat(chunks);
    received.push({
      at: Date.now(),
      raw,
      signatureValid: verifyWebhookSignature(APP_SECRET, raw, req.headers['x-hub-signature-256']),
    });
    res.statusCode = script.shift() ?? 200;
    res.end();
  });
});
await new Promise<void>((resolve) => ingress.listen(0, '127.0.0.1', resolve));
const address = ingress.address();
const webhookUrl = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/webhooks`;

afterAll(() => new Promise<void>((resolve) => ingress.close(() => resolve())));
beforeEach(() => {
  received.length = 0;
  script = [];
});

const retry = { attempts: 4, initialDelayMs: 20, factor: 2 };
const user = createSimUser({ name: 'Zoë', waId: '15557654321' });

describe('webhook sender', () => {
  it('signs the exact bytes it sends and returns 200 with one attempt', async () => {
    const sender = createWebhookSender({ webhookUrl, appSecret: APP_SECRET, phoneNumberId: '106000000000001', retry });
    const delivery = await sender.sendText(user, 'olá 😮');
    expect(delivery).toMatchObject({ status: 200, attempts: 1, messageId: expect.stringMatching(/^wamid\./) });
    expect(received).toHaveLength(1);
    expect(received[0]?.signatureValid).toBe(true);
    expect(received[0]?.raw.toString('utf8')).toContain('ol\\u00e1 \\ud83d\\ude2e');
    const [event] = normalizeWebhook(JSON.parse(received[0]?.raw.toString('utf8') ?? 'null'));
    expect(event).toMatchObject({ kind: 'message', text: 'olá 😮', profileName: 'Zoë', messageId: delivery.messageId });
  });

  it('retries on 503 with growing delays and stops at the first 200', async () => {
    script = [503, 503, 200];
    const sender = createWebhookSender({ webhookUrl, appSecret: APP_SECRET, phoneNumberId: '106000000000001', retry });
    const delivery = await sender.sendText(user, 'hello');
    expect(delivery).toMatchObject({ status: 200, attempts: 3 });
    expect(received).toHaveLength(3);
    const [first, second, third] = received.map((r) => r.at);
    if (first === undefined || second === undefined || third === undefined) {
      throw new Error(`expected three deliveries, got ${received.length}`);
    }
    expect(second - first).toBeGreaterThanOrEqual(15);
    expect(third - second).toBeGreaterThanOrEqual(35);
    expect(new Set(received.map((r) => r.raw.toString('utf8'))).size).toBe(1);
  });

  it('gives up after the configured attempts and returns the last status', async () => {
    script = [500, 500, 500, 500, 500];
    const sender = createWebhookSender({
      webhookUrl,
      appSecret: APP_SECRET,
      phoneNumberId: '106000000000001',
      retry: { attempts: 2, initialDelayMs: 5 },
    });
    expect(await sender.sendText(user, 'x')).toMatchObject({ status: 500, attempts: 2 });
    expect(received).toHaveLength(2);
  });

  it('treats other 2xx as failures, like Meta', async () => {
    script = [204, 200];
    const sender = createWebhookSender({ webhookUrl, appSecret: APP_SECRET, phoneNumberId: '106000000000001', retry });
    expect(await sender.sendText(user, 'x')).toMatchObject({ status: 200, attempts: 2 });
  });

  it('returns status 0 when nothing listens', async () => {
    const sender = createWebhookSender({
      webhookUrl: 'http://127.0.0.1:1/webhooks',
      appSecret: APP_SECRET,
      phoneNumberId: '106000000000001',
      retry: { attempts: 2, initialDelayMs: 5 },
    });
    expect(await sender.sendText(user, 'x')).toMatchObject({ status: 0, attempts: 2 });
  });

  it('stamps messages with its clock, so a moved clock makes them old', async () => {
    const clock = createSimClock();
    const sender = createWebhookSender({ webhookUrl, appSecret: APP_SECRET, phoneNumberId: '106000000000001', clock });
    clock.advance(-25 * HOUR_MS);
    const delivery = await sender.sendText(user, 'yesterday');
    expect(Number(delivery.message.timestamp)).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) - 25 * 3600);
  });

  it('uses metadata for its phone number', async () => {
    const sender = createWebhookSender({
      webhookUrl,
      appSecret: APP_SECRET,
      phoneNumberId: '106000000000009',
      displayPhoneNumber: '15550009999',
      wabaId: '102000000000009',
    });
    await sender.sendMessage(user, { type: 'location', latitude: 1, longitude: 2 });
    const [event] = normalizeWebhook(JSON.parse(received[0]?.raw.toString('utf8') ?? 'null'));
    expect(event).toMatchObject({
      phoneNumberId: '106000000000009',
      displayPhoneNumber: '15550009999',
      wabaId: '102000000000009',
    });
  });

  it('emits sent → delivered → read for each send the Graph simulator accepts, echoing biz_opaque_callback_data', async () => {
    const sender = createWebhookSender({ webhookUrl, appSecret: APP_SECRET, phoneNumberId: '106000000000001', retry });
    const pending: Promise<unknown>[] = [];
    const graph = await startGraphSimulator({
      onAccepted: (request) => {
        pending.push(sender.emitStatuses(request));
      },
    });
    try {
      const response = await fetch(`${graph.url}/v25.0/106000000000001/messages`, {
        method: 'POST',
        headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
        body: JSON.stringify({
          messaging_product: 'whatsapp',
          to: '+15557654321',
          type: 'text',
          text: { body: 'hi' },
          biz_opaque_callback_data: 'part-7',
        }),
      });
      const { messages } = (await response.json()) as { messages: { id: string }[] };
      await Promise.all(pending);
      const events = received.flatMap((r) => normalizeWebhook(JSON.parse(r.raw.toString('utf8'))));
      expect(events).toEqual([
        expect.objectContaining({
          kind: 'status',
          status: 'sent',
          messageId: messages[0]?.id,
          recipientId: '15557654321',
          bizOpaqueCallbackData: 'part-7',
        }),
        expect.objectContaining({
          kind: 'status',
          status: 'delivered',
          messageId: messages[0]?.id,
          bizOpaqueCallbackData: 'part-7',
        }),
        expect.objectContaining({ kind: 'status', status: 'read', bizOpaqueCallbackData: 'part-7' }),
      ]);
      expect(received.every((r) => r.signatureValid)).toBe(true);
    } finally {
      await graph.close();
    }
  });

  it('sends a failed status with errors', async () => {
    const sender = createWebhookSender({ webhookUrl, appSecret: APP_SECRET, phoneNumberId: '106000000000001' });
    await sender.sendStatus('wamid.OUT', 'failed', user);
    const [event] = normalizeWebhook(JSON.parse(received[0]?.raw.toString('utf8') ?? 'null'));
    expect(event).toMatchObject({ kind: 'status', status: 'failed', errors: [{ code: 131026 }] });
  });

  it('answers a reaction with `sent` only, and a reaction to an unknown message with a 131009 failure', async () => {
    const sender = createWebhookSender({ webhookUrl, appSecret: APP_SECRET, phoneNumberId: '106000000000001', retry });
    const pending: Promise<unknown>[] = [];
    const graph = await startGraphSimulator({ onAccepted: (request) => pending.push(sender.emitStatuses(request)) });
    const react = (messageId: string) =>
      fetch(`${graph.url}/v25.0/106000000000001/messages`, {
        method: 'POST',
        headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
        body: JSON.stringify({
          messaging_product: 'whatsapp',
          to: '+15557654321',
          type: 'reaction',
          reaction: { message_id: messageId, emoji: '👍' },
        }),
      });
    try {
      const inbound = await sender.sendText(user, 'thanks!');
      received.length = 0;
      expect((await react(inbound.messageId)).status).toBe(200);
      expect((await react('wamid.NEVER_SEEN')).status).toBe(200);
      await Promise.all(pending);
      const [known, unknown] = graph.sentMessages();
      const events = received.flatMap((r) => normalizeWebhook(JSON.parse(r.raw.toString('utf8'))));
      expect(events).toEqual([
        expect.objectContaining({ kind: 'status', status: 'sent', messageId: known?.messageId }),
        expect.objectContaining({
          kind: 'status',
          status: 'failed',
          messageId: unknown?.messageId,
          errors: [expect.objectContaining({ code: 131009, title: 'Parameter value is not valid' })],
        }),
      ]);
    } finally {
      await graph.close();
    }
  });

  it('sends a tap on a button or list row of an accepted interactive message, with its title and context', async () => {
    const sender = createWebhookSender({ webhookUrl, appSecret: APP_SECRET, phoneNumberId: '106000000000001', retry });
    const graph = await startGraphSimulator();
    const send = (interactive: Record<string, unknown>) =>
      fetch(`${graph.url}/v25.0/106000000000001/messages`, {
        method: 'POST',
        headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
        body: JSON.stringify({ messaging_product: 'whatsapp', to: '+15557654321', type: 'interactive', interactive }),
      });
    try {
      await send({
        type: 'button',
        body: { text: 'Pick' },
        action: { buttons: [{ type: 'reply', reply: { id: 'yes', title: 'Yes please' } }] },
      });
      await send({
        type: 'list',
        body: { text: 'Menu' },
        action: {
          button: 'Open',
          sections: [{ title: 'All', rows: [{ id: 'tea', title: 'Tea', description: 'Hot' }] }],
        },
      });
      const [buttons, list] = graph.sentMessages();
      if (!buttons || !list) throw new Error('both interactive sends should be accepted');
      await sender.tap(user, buttons, 'yes');
      await sender.tap(user, list, 'tea');
      expect(() => sender.tap(user, buttons, 'nope')).toThrow(/no choice nope/);
      const events = received.flatMap((r) => normalizeWebhook(JSON.parse(r.raw.toString('utf8'))));
      expect(events).toEqual([
        expect.objectContaining({ kind: 'message', type: 'interactive', text: 'Yes please' }),
        expect.objectContaining({ kind: 'message', type: 'interactive', text: 'Tea' }),
      ]);
      const contexts = received.map(
        (r) => JSON.parse(r.raw.toString('utf8')).entry[0].changes[0].value.messages[0].context,
      );
      expect(contexts).toEqual([
        { from: sender.business.displayPhoneNumber, id: buttons.messageId },
        { from: sender.business.displayPhoneNumber, id: list.messageId },
      ]);
    } finally {
      await graph.close();
    }
  });
});
