import { readFileSync } from 'node:fs';
import { normalizeWebhook, verifyWebhookSignature } from '@wabot/whatsapp';
import { describe, expect, it } from 'vitest';
import { createSimClock, HOUR_MS } from './sim-clock.js';
import { createSimUser } from './sim-user.js';
import {
  buildInboundMessage,
  buildStatus,
  buildWebhookBody,
  encodeWebhookBody,
  type InboundContent,
  toStatusError,
  type WebhookBusiness,
} from './webhook-payloads.js';

const business: WebhookBusiness = {
  phoneNumberId: '106000000000001',
  displayPhoneNumber: '15550001234',
  wabaId: '102000000000001',
};
const ana = createSimUser({ name: 'Ana Souza', waId: '+1 555 765 4321', bsuid: 'US.13000000000000000001' });
const kai = createSimUser({ name: 'Kai', waId: null, username: '@kai.dev' });
const TS = '1764230400';

const everyType: [InboundContent, string][] = [
  [{ type: 'text', body: 'olá 👋' }, 'olá 👋'],
  [{ type: 'image', caption: 'a cat' }, 'a cat\n[Image]'],
  [{ type: 'document', filename: 'menu.pdf', caption: 'our menu' }, 'our menu\n[Document: menu.pdf]'],
  [{ type: 'audio', voice: true }, '[Voice message]'],
  [{ type: 'video', caption: 'clip' }, 'clip\n[Video]'],
  [{ type: 'sticker', animated: true }, '[Sticker]'],
  [{ type: 'location', latitude: 38.7223, longitude: -9.1393, name: 'Lisboa', address: 'Praça' }, '[Location'],
  [{ type: 'contacts', contacts: [{ name: 'Maria José', phone: '+55 11 99999-0001' }] }, '[Contact: Maria José]'],
  [{ type: 'button_reply', id: 'yes', title: 'Yes please' }, 'Yes please'],
  [{ type: 'list_reply', id: 'opt-2', title: 'Option 2', description: 'the second' }, 'Option 2'],
  [{ type: 'button', payload: 'STOP', text: 'Stop promotions' }, 'Stop promotions'],
  [{ type: 'reaction', messageId: 'wamid.X', emoji: '❤️' }, '[Reaction: ❤️]'],
  [
    {
      type: 'order',
      catalogId: '194800000000001',
      text: 'after 6pm',
      items: [{ productRetailerId: 'sku-1', quantity: 2, itemPrice: 12.5, currency: 'USD' }],
    },
    '[Order',
  ],
  [{ type: 'unsupported', unsupportedType: 'poll_creation' }, '[Unsupported message]'],
];

function roundTrip(body: unknown) {
  return normalizeWebhook(JSON.parse(encodeWebhookBody(body).toString('utf8')));
}

describe('inbound payload builders', () => {
  it.each(everyType)('builds %o that normalizeWebhook reads back', (content, expectedText) => {
    const message = buildInboundMessage(business, ana, content, { timestamp: TS });
    const events = roundTrip(buildWebhookBody(business, { contacts: [ana], messages: [message] }));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      kind: 'message',
      phoneNumberId: business.phoneNumberId,
      displayPhoneNumber: business.displayPhoneNumber,
      wabaId: business.wabaId,
      messageId: message.id,
      waId: '15557654321',
      userId: 'US.13000000000000000001',
      profileName: 'Ana Souza',
      timestamp: Number(TS),
      text: expect.stringContaining(expectedText),
    });
  });

  it('puts Meta’s field shapes on the wire', () => {
    const message = buildInboundMessage(business, ana, { type: 'audio' }, { timestamp: TS });
    expect(message).toMatchObject({
      from: '15557654321',
      from_user_id: 'US.13000000000000000001',
      id: expect.stringMatching(/^wamid\.HBgL/),
      timestamp: TS,
      type: 'audio',
      audio: {
        mime_type: 'audio/ogg; codecs=opus',
        sha256: expect.any(String),
        id: expect.stringMatching(/^\d+$/),
        voice: true,
      },
    });
    const interactive = buildInboundMessage(
      business,
      ana,
      { type: 'button_reply', id: 'a', title: 'A' },
      {
        timestamp: TS,
        replyTo: 'wamid.OURS',
      },
    );
    expect(interactive).toMatchObject({
      type: 'interactive',
      interactive: { type: 'button_reply', button_reply: { id: 'a', title: 'A' } },
      context: { from: '15550001234', id: 'wamid.OURS' },
    });
    const body = buildWebhookBody(business, { contacts: [ana], messages: [interactive] });
    expect(body).toMatchObject({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: business.wabaId,
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15550001234', phone_number_id: business.phoneNumberId },
                contacts: [
                  { profile: { name: 'Ana Souza' }, wa_id: '15557654321', user_id: 'US.13000000000000000001' },
                ],
              },
            },
          ],
        },
      ],
    });
  });

  it('omits from and wa_id for a username user identified only by BSUID', () => {
    const message = buildInboundMessage(business, kai, { type: 'text', body: 'hallo' }, { timestamp: TS });
    const body = buildWebhookBody(business, { contacts: [kai], messages: [message] });
    expect(message).not.toHaveProperty('from');
    expect(message.from_user_id).toMatch(/^US\.\d+$/);
    const [event] = roundTrip(body);
    expect(event).toMatchObject({ kind: 'message', waId: null, userId: kai.bsuid, userKey: kai.bsuid, text: 'hallo' });
  });

  it('marks forwarded messages in context', () => {
    const message = buildInboundMessage(
      business,
      ana,
      { type: 'text', body: 'fw' },
      {
        timestamp: TS,
        forwarded: 'frequently_forwarded',
      },
    );
    expect(message.context).toEqual({ frequently_forwarded: true });
  });
});

describe('status builders', () => {
  it.each(['sent', 'delivered', 'read'] as const)('builds a %s status normalizeWebhook reads back', (status) => {
    const update = buildStatus('wamid.OUT', status, '15557654321', { timestamp: TS });
    const [event] = roundTrip(buildWebhookBody(business, { statuses: [update] }));
    expect(event).toMatchObject({
      kind: 'status',
      messageId: 'wamid.OUT',
      status,
      recipientId: '15557654321',
      timestamp: Number(TS),
      errors: [],
    });
    expect('pricing' in update).toBe(status === 'sent');
  });

  it('builds a failed status with Meta’s errors array', () => {
    const update = buildStatus('wamid.OUT', 'failed', '15557654321', {
      timestamp: TS,
      errors: [toStatusError(131047)],
    });
    expect(update.errors).toEqual([
      {
        code: 131047,
        title: 'Re-engagement message',
        message: 'Re-engagement message',
        error_data: {
          details:
            'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
        },
        href: '/documentation/business-messaging/whatsapp/support/error-codes',
      },
    ]);
    const [event] = roundTrip(buildWebhookBody(business, { statuses: [update] }));
    expect(event).toMatchObject({ kind: 'status', status: 'failed', errors: [{ code: 131047 }] });
  });

  it('addresses a BSUID recipient with recipient_user_id', () => {
    const update = buildStatus('wamid.OUT', 'delivered', 'DE.13000000000000000777', { timestamp: TS });
    expect(update).toMatchObject({ recipient_user_id: 'DE.13000000000000000777' });
    expect(update).not.toHaveProperty('recipient_id');
  });
});

describe('wire encoding', () => {
  it('escapes non-ASCII as lowercase \\uXXXX and stays valid JSON', () => {
    const raw = encodeWebhookBody({ text: 'olá 👋 ä' }).toString('utf8');
    expect(raw).toBe('{"text":"ol\\u00e1 \\ud83d\\udc4b \\u00e4"}');
    expect(JSON.parse(raw)).toEqual({ text: 'olá 👋 ä' });
    expect([...raw].every((char) => char.charCodeAt(0) < 0x80)).toBe(true);
  });

  it('escapes exactly like the wire-format fixture (emoji, ZWJ, CJK, astral plane)', () => {
    const fixture = readFileSync(
      new URL('../../testing/fixtures/meta-webhooks/02_text_emoji_multibyte.json', import.meta.url),
    );
    const body = (
      JSON.parse(fixture.toString('utf8')) as {
        entry: { changes: { value: { messages: { text: { body: string } }[] } }[] }[];
      }
    ).entry[0]?.changes[0]?.value.messages[0]?.text.body;
    expect(body).toMatch(/[^\x20-\x7e]/u);
    const encoded = encodeWebhookBody(body).toString('utf8');
    expect(fixture.toString('utf8')).toContain(encoded);
  });

  it('produces bodies whose signature verifyWebhookSignature accepts (and rejects re-serialized ones)', async () => {
    const { signWebhookBody } = await import('@wabot/whatsapp');
    const message = buildInboundMessage(business, ana, { type: 'text', body: 'emoji 😮' }, { timestamp: TS });
    const raw = encodeWebhookBody(buildWebhookBody(business, { contacts: [ana], messages: [message] }));
    const signature = signWebhookBody('secret', raw);
    expect(verifyWebhookSignature('secret', raw, signature)).toBe(true);
    const reserialized = Buffer.from(JSON.stringify(JSON.parse(raw.toString('utf8'))));
    expect(verifyWebhookSignature('secret', reserialized, signature)).toBe(false);
  });
});

describe('clock and users', () => {
  it('moves the clock forward and back', () => {
    const clock = createSimClock();
    const before = Number(clock.timestamp());
    clock.advance(25 * HOUR_MS);
    expect(Number(clock.timestamp()) - before).toBeGreaterThanOrEqual(25 * 3600);
    clock.set(Date.UTC(2026, 0, 1));
    expect(clock.timestamp()).toBe(String(Date.UTC(2026, 0, 1) / 1000));
    clock.reset();
    expect(Math.abs(clock.now() - Date.now())).toBeLessThan(1000);
  });

  it('creates users with fresh test numbers and optional BSUIDs', () => {
    const a = createSimUser({ name: 'A' });
    const b = createSimUser({ name: 'B', bsuid: true });
    expect(a.waId).toMatch(/^1555\d{7}$/);
    expect(a.waId).not.toBe(b.waId);
    expect(a.bsuid).toBeNull();
    expect(b.bsuid).toMatch(/^US\.\d{20}$/);
  });
});
