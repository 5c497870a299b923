import { loadMetaFixture, loadMetaFixtures } from '@wabot/testing';
import { describe, expect, it } from 'vitest';
import type { InboundMessage } from './inbound-message.js';
import { isWhatsAppWebhook, normalizeWebhook, type StatusUpdate, type WebhookEvent } from './normalize-webhook.js';

const PHONE_NUMBER_ID = '106000000000001';
const ANA = { userKey: 'US.13000000000000000001', waId: '15557654321', userId: 'US.13000000000000000001' };

function eventsOf(name: string): WebhookEvent[] {
  return normalizeWebhook(loadMetaFixture(name).json);
}

function onlyMessage(name: string): InboundMessage {
  const events = eventsOf(name);
  const messages = events.filter((e): e is InboundMessage => e.kind === 'message');
  expect(messages, name).toHaveLength(1);
  const [message] = messages;
  if (!message) throw new Error('unreachable');
  return message;
}

function statusesOf(name: string): StatusUpdate[] {
  return eventsOf(name).filter((e): e is StatusUpdate => e.kind === 'status');
}

describe('normalizeWebhook on every fixture', () => {
  it('parses all 44 fixtures without throwing and recognises the envelope', () => {
    const fixtures = loadMetaFixtures();
    expect(fixtures).toHaveLength(44);
    for (const fixture of fixtures) {
      expect(isWhatsAppWebhook(fixture.json), fixture.name).toBe(true);
      expect(() => normalizeWebhook(fixture.json), fixture.name).not.toThrow();
    }
  });

  it('yields at least one event for every fixture but the non-messages field', () => {
    for (const fixture of loadMetaFixtures()) {
      const events = normalizeWebhook(fixture.json);
      if (fixture.name.startsWith('51_')) expect(events, fixture.name).toEqual([]);
      else expect(events.length, fixture.name).toBeGreaterThan(0);
    }
  });

  // [fixture, type, normalized text, replyable]
  const table: Array<[string, string, string, boolean]> = [
    ['01_text_simple', 'text', 'Hi! Do you open on Sundays?', true],
    [
      '02_text_emoji_multibyte',
      'text',
      'Ol\u00e1 \ud83d\udc4b\ud83c\udffd \u2014 caf\u00e9 \u2615 \u65e5\u672c\u8a9e\u30c6\u30ad\u30b9\u30c8 ' +
        '\u0645\u0631\u062d\u0628\u0627 e\u0301 \ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67\u200d\ud83d\udc66 ' +
        '\ud835\udd18\ud835\udd2b\ud835\udd26\ud835\udd20\ud835\udd2c\ud835\udd21\ud835\udd22',
      true,
    ],
    ['03_text_reply_with_context', 'text', 'Yes, the second option please', true],
    ['04_text_forwarded', 'text', 'Look at this offer', true],
    ['05_text_frequently_forwarded', 'text', 'Chain message', true],
    ['06_text_referred_product', 'text', 'Is this available in blue?', true],
    ['07_text_ctwa_referral', 'text', 'Can I get more info about this?', true],
    ['10_image_with_caption', 'image', 'Photo of the damaged box\n[Image]', true],
    ['11_image_empty_caption_no_url', 'image', '[Image]', true],
    ['12_document_without_caption', 'document', '[Document: invoice-2025-11.pdf]', true],
    [
      '13_document_with_caption_unicode_filename',
      'document',
      'Relatório final ✅\n[Document: relatório final (v2).docx]',
      true,
    ],
    ['14_audio_voice_note', 'audio', '[Voice message]', true],
    ['15_audio_file_forwarded', 'audio', '[Voice message]', true],
    ['16_video_with_caption', 'video', 'Unboxing\n[Video]', true],
    ['17_sticker_animated', 'sticker', '[Sticker]', true],
    ['18_location_pin_only', 'location', '[Location: -23.5613991, -46.6565712]', true],
    [
      '19_location_named_place',
      'location',
      '[Location: 37.4847483695049, -122.1473373086664]\nExample Coffee Roasters, 1 Example Way, Menlo Park, CA 94025',
      true,
    ],
    ['20_contacts_card', 'contacts', '[Contacts: Maria José Ferreira, Plumber]', true],
    ['21_interactive_button_reply', 'interactive', 'Yes, confirm', true],
    ['22_interactive_list_reply', 'interactive', 'Express', true],
    ['23_interactive_nfm_reply_flow', 'interactive', '[Form response: rating: 5, comment: Great service]', true],
    ['24_button_template_quick_reply', 'button', 'Stop promotions', true],
    ['25_reaction_added', 'reaction', '[Reaction: ❤️]', false],
    ['26_reaction_removed', 'reaction', '[Reaction removed]', false],
    ['27_order', 'order', 'Please deliver after 6pm\n[Order: 2 items]', true],
    [
      '28_system_user_changed_number',
      'system',
      '[System: User Ana Souza changed from 15557654321 to 15557650000]',
      false,
    ],
    ['29_unsupported_with_errors', 'unsupported', '[Unsupported message]', true],
    ['30_unknown_future_type', 'hologram', '[Unsupported message]', true],
    ['31_interactive_missing_payload_131000', 'interactive', '[Unsupported message]', true],
  ];

  it.each(table)('%s → %s %j', (name, type, text, replyable) => {
    const message = onlyMessage(name);
    expect(message).toMatchObject({ kind: 'message', phoneNumberId: PHONE_NUMBER_ID, type, text, replyable });
    expect(message.messageId).toMatch(/^wamid\./);
    expect(message.timestamp).toBeGreaterThan(1_700_000_000);
    expect(message).toMatchObject(ANA);
  });

  it('keeps the full envelope identity of a text message', () => {
    expect(onlyMessage('01_text_simple')).toEqual({
      kind: 'message',
      phoneNumberId: PHONE_NUMBER_ID,
      displayPhoneNumber: '15550001234',
      wabaId: '102000000000001',
      messageId: 'wamid.HBgLMTU1NTc2NTQzMjEVAgASGBQzQTAwMDAwMDAwMDBBMTFDRTAwMQA=',
      userKey: 'US.13000000000000000001',
      waId: '15557654321',
      userId: 'US.13000000000000000001',
      profileName: 'Ana Souza',
      timestamp: 1764230400,
      type: 'text',
      text: 'Hi! Do you open on Sundays?',
      replyable: true,
      metadata: {},
    });
  });

  it('keeps the 4096-character body intact', () => {
    expect(onlyMessage('08_text_max_length_4096').text).toHaveLength(4096);
  });

  it('keeps attachment metadata', () => {
    expect(onlyMessage('10_image_with_caption').metadata.attachment).toEqual({
      kind: 'image',
      id: '1038000000000010',
      mimeType: 'image/jpeg',
      sha256: 'k3Lq0gAAbVwA1xP7q9sP0Tq3x3lNn8m2Q3vS9e5rJ0Y=',
      url: 'https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1038000000000010&source=webhook&ext=1764234000&hash=ARfakeHashForTests',
      caption: 'Photo of the damaged box',
    });
    expect(onlyMessage('11_image_empty_caption_no_url').metadata.attachment).toEqual({
      kind: 'image',
      id: '1038000000000011',
      mimeType: 'image/png',
      sha256: 'Zm9vYmFyYmF6cXV4MDEyMzQ1Njc4OWFiY2RlZmdoaWo=',
    });
    expect(onlyMessage('12_document_without_caption').metadata.attachment).toMatchObject({
      filename: 'invoice-2025-11.pdf',
    });
    expect(onlyMessage('14_audio_voice_note').metadata.attachment).toMatchObject({ voice: true });
    expect(onlyMessage('15_audio_file_forwarded').metadata.attachment).toMatchObject({ voice: false });
    expect(onlyMessage('17_sticker_animated').metadata.attachment).toMatchObject({ animated: true });
  });

  it('keeps context, forwards, referred products and ad referrals', () => {
    expect(onlyMessage('03_text_reply_with_context').metadata.context).toEqual({
      from: '15550001234',
      id: 'wamid.HBgLMTU1NTc2NTQzMjEVAgARGBIwMDAwMDAwMDAwQjBCMDAzODQA',
      forwarded: false,
      frequentlyForwarded: false,
      referredProduct: null,
    });
    expect(onlyMessage('04_text_forwarded').metadata.context).toMatchObject({ forwarded: true });
    expect(onlyMessage('05_text_frequently_forwarded').metadata.context).toMatchObject({ frequentlyForwarded: true });
    expect(onlyMessage('06_text_referred_product').metadata.context).toMatchObject({
      referredProduct: { catalogId: '194800000000001', productRetailerId: 'sku-blue-42' },
    });
    expect(onlyMessage('07_text_ctwa_referral').metadata.referral).toMatchObject({
      sourceType: 'ad',
      sourceId: '120200000000000001',
      headline: 'Chat with us',
      ctwaClid: expect.stringMatching(/^ARAk/),
      welcomeMessage: 'Hi there! Let us know how we can help!',
    });
  });

  it('keeps type-specific metadata', () => {
    expect(onlyMessage('19_location_named_place').metadata.location).toEqual({
      latitude: 37.4847483695049,
      longitude: -122.1473373086664,
      name: 'Example Coffee Roasters',
      address: '1 Example Way, Menlo Park, CA 94025',
      url: 'https://example.com/coffee',
    });
    expect(onlyMessage('20_contacts_card').metadata.contacts).toEqual([
      {
        name: 'Maria José Ferreira',
        phones: [
          { phone: '+55 11 99999-0001', waId: '5511999990001', type: 'CELL' },
          { phone: '+55 11 3000-0000', waId: null, type: 'WORK' },
        ],
        emails: ['maria@example.com'],
        organization: 'Example Ltda',
      },
      {
        name: 'Plumber',
        phones: [{ phone: '+1 555-000-0100', waId: null, type: 'CELL' }],
        emails: [],
        organization: null,
      },
    ]);
    expect(onlyMessage('21_interactive_button_reply').metadata.interactive).toEqual({
      type: 'button_reply',
      id: 'confirm_yes',
      title: 'Yes, confirm',
      description: null,
    });
    expect(onlyMessage('22_interactive_list_reply').metadata.interactive).toMatchObject({
      id: 'ship_express',
      description: 'Next day to 2 days',
    });
    expect(onlyMessage('23_interactive_nfm_reply_flow').metadata.interactive).toMatchObject({
      type: 'nfm_reply',
      name: 'flow',
      response: { flow_token: 'flow-token-abc123', rating: '5', comment: 'Great service' },
    });
    expect(onlyMessage('24_button_template_quick_reply').metadata.button).toEqual({
      text: 'Stop promotions',
      payload: 'STOP_PROMOTIONS',
    });
    expect(onlyMessage('25_reaction_added').metadata.reaction).toEqual({
      messageId: 'wamid.HBgLMTU1NTc2NTQzMjEVAgARGBIwMDAwMDAwMDAwQjBCMDAzOEEA',
      emoji: '❤️',
    });
    expect(onlyMessage('26_reaction_removed').metadata.reaction).toMatchObject({ emoji: null });
    expect(onlyMessage('27_order').metadata.order).toEqual({
      catalogId: '194800000000001',
      text: 'Please deliver after 6pm',
      items: [
        { productRetailerId: 'sku-burger', quantity: 2, itemPrice: 12.5, currency: 'USD' },
        { productRetailerId: 'sku-fries', quantity: 1, itemPrice: 4, currency: 'USD' },
      ],
    });
    expect(onlyMessage('28_system_user_changed_number')).toMatchObject({
      profileName: null,
      metadata: {
        system: {
          type: 'user_changed_number',
          waId: '15557650000',
          userId: 'US.13000000000000000099',
          previousUserId: 'US.13000000000000000001',
        },
      },
    });
    expect(onlyMessage('29_unsupported_with_errors').metadata).toEqual({
      unsupportedType: 'poll_creation',
      errors: [
        {
          code: 131051,
          title: 'Message type unknown',
          message: 'Message type unknown',
          details: 'Message type is currently not supported.',
        },
      ],
    });
  });

  it('turns an interactive message without payload into a placeholder plus the value-level error', () => {
    const events = eventsOf('31_interactive_missing_payload_131000');
    expect(events.map((e) => e.kind)).toEqual(['message', 'error']);
    expect(events[0]).toMatchObject({ metadata: { malformed: true } });
    expect(events[1]).toEqual({
      kind: 'error',
      phoneNumberId: PHONE_NUMBER_ID,
      errors: [
        {
          code: 131000,
          title: 'Something went wrong',
          message: 'Something went wrong',
          details: 'Unsupported webhook payload',
        },
      ],
    });
  });

  it('keys a username user without a phone by from_user_id (BSUID)', () => {
    expect(onlyMessage('32_text_username_user_no_phone')).toMatchObject({
      userKey: 'DE.13000000000000000777',
      userId: 'DE.13000000000000000777',
      waId: null,
      profileName: 'Kai',
      text: 'hallo, ich nutze einen Username',
      metadata: { username: '@kai.dev' },
    });
  });

  it('yields every message of a batch in order, with each sender’s own profile', () => {
    const events = eventsOf('33_batch_three_messages_two_users');
    expect(events.map((e) => (e.kind === 'message' ? [e.userKey, e.profileName, e.text] : e.kind))).toEqual([
      ['US.13000000000000000001', 'Ana Souza', 'first'],
      ['US.13000000000000000001', 'Ana Souza', 'second (same user, same second)'],
      ['GB.13000000000000000002', 'Oliver Twist', '[Image]'],
    ]);
  });

  it('walks every entry and change of a mixed batch in order', () => {
    const events = eventsOf('34_batch_multi_entry_multi_change_mixed');
    expect(
      events.map((e) =>
        e.kind === 'message'
          ? `${e.wabaId}/${e.phoneNumberId} message ${e.text}`
          : e.kind === 'status'
            ? `${e.phoneNumberId} status ${e.status}`
            : 'error',
      ),
    ).toEqual([
      '102000000000001/106000000000001 message message in entry 1',
      '106000000000001 status delivered',
      '106000000000001 status read',
      '102000000000002/106000000000002 message other number, other WABA',
    ]);
  });

  it('maps statuses', () => {
    expect(statusesOf('40_status_sent_v23_with_conversation')).toEqual([
      {
        kind: 'status',
        phoneNumberId: PHONE_NUMBER_ID,
        messageId: 'wamid.HBgLMTU1NTc2NTQzMjEVAgARGBIwMDAwMDAwMDAwQjBCMDAzOTgA',
        status: 'sent',
        timestamp: 1764230400,
        recipientId: '15557654321',
        recipientUserId: null,
        recipientParentUserId: null,
        errors: [],
        bizOpaqueCallbackData: 'ticket-4711',
        pricingCategory: 'service',
      },
    ]);
    const simple: Array<[string, StatusUpdate['status'], number]> = [
      ['41_status_sent_v24_no_conversation', 'sent', 1764230400],
      ['42_status_delivered', 'delivered', 1764230403],
      ['43_status_read', 'read', 1764230460],
      ['44_status_played_voice', 'played', 1764230520],
    ];
    for (const [name, status, timestamp] of simple) {
      const [update] = statusesOf(name);
      expect(update, name).toMatchObject({ status, timestamp, recipientId: '15557654321', errors: [] });
    }
    const failed: Array<[string, number, string]> = [
      ['45_status_failed_131047_reengagement', 131047, 'Re-engagement message'],
      ['46_status_failed_131026_undeliverable', 131026, 'Message undeliverable'],
      [
        '47_status_failed_131049_ecosystem',
        131049,
        'This message was not delivered to maintain healthy ecosystem engagement.',
      ],
    ];
    for (const [name, code, title] of failed) {
      const updates = statusesOf(name);
      expect(updates, name).toHaveLength(1);
      expect(updates[0]?.status).toBe('failed');
      expect(updates[0]?.errors).toEqual([
        expect.objectContaining({ code, title, message: title, details: expect.any(String) }),
      ]);
    }
    expect(statusesOf('48_status_to_bsuid_recipient_user_id')).toEqual([
      expect.objectContaining({ status: 'delivered', recipientId: null, recipientUserId: 'DE.13000000000000000777' }),
    ]);
  });

  it('reads the parent BSUID of a status from recipient_parent_user_id (and the older parent_recipient_user_id)', () => {
    const body = (parent: Record<string, string>) => ({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '102000000000001',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15550001234', phone_number_id: PHONE_NUMBER_ID },
                statuses: [
                  {
                    id: 'wamid.PARENT1',
                    status: 'read',
                    timestamp: '1764230409',
                    recipient_user_id: 'US.13491208655302741918',
                    ...parent,
                  },
                ],
              },
            },
          ],
        },
      ],
    });
    const parentOf = (payload: unknown) =>
      normalizeWebhook(payload).flatMap((e) => (e.kind === 'status' ? [e.recipientParentUserId] : []));
    expect(parentOf(body({ recipient_parent_user_id: 'US.ENT.11815799212886844830' }))).toEqual([
      'US.ENT.11815799212886844830',
    ]);
    expect(parentOf(body({ parent_recipient_user_id: 'US.ENT.11815799212886844830' }))).toEqual([
      'US.ENT.11815799212886844830',
    ]);
    expect(parentOf(body({}))).toEqual([null]);
  });

  it('maps an errors-only change to one error event', () => {
    expect(eventsOf('50_errors_only_130429')).toEqual([
      {
        kind: 'error',
        phoneNumberId: PHONE_NUMBER_ID,
        errors: [
          {
            code: 130429,
            title: 'Rate limit hit',
            message: 'Rate limit hit',
            details:
              'Message failed to send because there were too many messages sent from this phone number in a short period of time',
          },
        ],
      },
    ]);
  });

  it('ignores fields other than messages', () => {
    expect(eventsOf('51_other_field_template_status_update')).toEqual([]);
  });
});

/** A minimal valid webhook around the given value parts. */
function webhook(value: Record<string, unknown>): unknown {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'WABA',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550001234', phone_number_id: 'PNID' },
              ...value,
            },
          },
        ],
      },
    ],
  };
}

const base = { from: '15557654321', id: 'wamid.X', timestamp: '1764230400' };

function textOf(message: Record<string, unknown>, contacts?: unknown[]): string | undefined {
  const [event] = normalizeWebhook(webhook({ contacts, messages: [message] }));
  return event?.kind === 'message' ? event.text : undefined;
}

describe('normalizeWebhook on other shapes', () => {
  it('renders types not in the fixtures', () => {
    expect(textOf({ ...base, type: 'revoke', revoke: { original_message_id: 'wamid.OLD' } })).toBe('[Message deleted]');
    expect(
      textOf({
        ...base,
        type: 'edit',
        edit: { original_message_id: 'wamid.OLD', message: { type: 'text', text: { body: 'fixed typo' } } },
      }),
    ).toBe('[Edited message]\nfixed typo');
    expect(textOf({ ...base, type: 'request_welcome' })).toBe('[Conversation opened]');
    expect(textOf({ ...base, type: 'video', video: { id: '1', mime_type: 'video/mp4' } })).toBe('[Video]');
    expect(textOf({ ...base, type: 'document', document: { id: '1', caption: 'see' } })).toBe('see\n[Document]');
    expect(textOf({ ...base, type: 'location', location: { latitude: '1.5', longitude: '-2', name: 'Home' } })).toBe(
      '[Location: 1.5, -2]\nHome',
    );
    expect(textOf({ ...base, type: 'location', location: { latitude: 1, longitude: 2, name: 'X', address: '' } })).toBe(
      '[Location: 1, 2]\nX',
    );
    expect(
      textOf({ ...base, type: 'contacts', contacts: [{ name: { formatted_name: 'Bob' }, phones: [{ phone: '+1' }] }] }),
    ).toBe('[Contact: Bob]');
    expect(textOf({ ...base, type: 'order', order: { product_items: [{ quantity: 1 }] } })).toBe('[Order: 1 item]');
    expect(textOf({ ...base, type: 'system', system: { type: 'customer_identity_changed' } })).toBe('[System message]');
    expect(
      textOf({
        ...base,
        type: 'interactive',
        interactive: { type: 'call_permission_reply', call_permission_reply: { response: 'accept' } },
      }),
    ).toBe('[Call permission: accept]');
    expect(
      textOf({ ...base, type: 'interactive', interactive: { type: 'nfm_reply', nfm_reply: { body: 'Sent' } } }),
    ).toBe('[Form response]');
  });

  it('marks reactions, system notices, deletes, edits and welcome requests as not replyable', () => {
    const types: Array<[string, Record<string, unknown>]> = [
      ['reaction', { reaction: { message_id: 'wamid.A', emoji: '👍' } }],
      ['system', { system: { body: 'x' } }],
      ['revoke', { revoke: { original_message_id: 'wamid.A' } }],
      ['edit', { edit: { original_message_id: 'wamid.A' } }],
      ['request_welcome', {}],
    ];
    for (const [type, extra] of types) {
      const [event] = normalizeWebhook(webhook({ messages: [{ ...base, type, ...extra }] }));
      expect(event, type).toMatchObject({ kind: 'message', type, replyable: false });
    }
  });

  it('falls back to the contact for the sender when the message has no ids, and accepts numeric ids', () => {
    const [event] = normalizeWebhook(
      webhook({
        contacts: [{ wa_id: 15550001111, profile: { name: 'Zed' } }],
        messages: [{ id: 'wamid.Y', timestamp: 1764230400, type: 'text', text: { body: 'hi' } }],
      }),
    );
    expect(event).toMatchObject({ userKey: '15550001111', waId: '15550001111', userId: null, profileName: 'Zed' });
  });

  it('keeps the user id from contacts when the message only has from', () => {
    const [event] = normalizeWebhook(
      webhook({
        contacts: [{ wa_id: '15557654321', user_id: 'US.1', profile: { name: 'Ana' } }],
        messages: [{ ...base, type: 'text', text: { body: 'hi' } }],
      }),
    );
    expect(event).toMatchObject({ userKey: '15557654321', waId: '15557654321', userId: 'US.1', profileName: 'Ana' });
  });
});

describe('normalizeWebhook on hostile input', () => {
  const notWebhooks: unknown[] = [
    null,
    undefined,
    0,
    'whatsapp_business_account',
    [],
    [{ object: 'whatsapp_business_account', entry: [] }],
    {},
    { object: 'page', entry: [] },
    { object: 'whatsapp_business_account' },
    { object: 'whatsapp_business_account', entry: {} },
    { object: 'whatsapp_business_account', entry: 'x' },
  ];

  it.each(notWebhooks.map((payload) => [JSON.stringify(payload) ?? 'undefined', payload]))(
    'returns [] for %s',
    (_label, payload) => {
      expect(normalizeWebhook(payload)).toEqual([]);
    },
  );

  it('rejects non-envelopes in isWhatsAppWebhook', () => {
    for (const payload of notWebhooks) expect(isWhatsAppWebhook(payload)).toBe(false);
    expect(isWhatsAppWebhook({ object: 'whatsapp_business_account', entry: [] })).toBe(true);
  });

  it('skips broken entries, changes and messages without dropping the good ones', () => {
    const good = { ...base, id: 'wamid.GOOD', type: 'text', text: { body: 'ok' } };
    const payload = {
      object: 'whatsapp_business_account',
      entry: [
        null,
        42,
        { id: 'W', changes: 'nope' },
        { id: 'W', changes: [null, { field: 'messages' }, { field: 'messages', value: null }, { value: {} }] },
        {
          id: 'W',
          changes: [
            {
              field: 'messages',
              value: {
                metadata: { phone_number_id: 'PNID' },
                contacts: 'not-an-array',
                messages: [
                  null,
                  'text',
                  [],
                  { ...base, id: undefined, type: 'text', text: { body: 'no id' } },
                  { ...base, id: '', type: 'text', text: { body: 'empty id' } },
                  { ...base, timestamp: 'yesterday', type: 'text', text: { body: 'bad time' } },
                  { id: 'wamid.NOSENDER', timestamp: '1', type: 'text', text: { body: 'no sender' } },
                  { ...base, id: 'wamid.BADTEXT', type: 'text', text: { body: 42 } },
                  { ...base, id: 'wamid.NOTYPE' },
                  { ...base, id: 'wamid.WEIRD', type: 'image', image: 'not-an-object' },
                  { ...base, id: 'wamid.PROTO', type: '__proto__' },
                  { ...base, id: 'wamid.LOC', type: 'location', location: { latitude: 'north', longitude: 2 } },
                  good,
                ],
                statuses: [null, { id: 'wamid.S', status: 'deleted', timestamp: '1' }, { id: 'wamid.S2' }],
                errors: [null, { code: 'x' }],
              },
            },
          ],
        },
      ],
    };
    const events = normalizeWebhook(payload);
    expect(events.map((e) => (e.kind === 'message' ? [e.messageId, e.type, e.text] : e.kind))).toEqual([
      ['wamid.BADTEXT', 'text', '[Unsupported message]'],
      ['wamid.NOTYPE', 'unsupported', '[Unsupported message]'],
      ['wamid.WEIRD', 'image', '[Unsupported message]'],
      ['wamid.PROTO', '__proto__', '[Unsupported message]'],
      ['wamid.LOC', 'location', '[Unsupported message]'],
      ['wamid.GOOD', 'text', 'ok'],
    ]);
  });

  it('drops messages and statuses without a phone number id but keeps value-level errors', () => {
    const events = normalizeWebhook(
      webhook({
        metadata: { phone_number_id: '' },
        messages: [{ ...base, type: 'text', text: { body: 'hi' } }],
        statuses: [{ id: 'wamid.S', status: 'sent', timestamp: '1' }],
        errors: [{ code: 131000 }],
      }),
    );
    expect(events).toEqual([
      { kind: 'error', phoneNumberId: null, errors: [{ code: 131000, title: '', message: null, details: null }] },
    ]);
  });

  it('survives deep nesting, huge batches and throwing getters', () => {
    let nested: Record<string, unknown> = { type: 'text', text: { body: 'deep' } };
    for (let i = 0; i < 5000; i++) nested = { type: 'edit', edit: { original_message_id: 'x', message: nested } };
    expect(() => normalizeWebhook(webhook({ messages: [{ ...base, ...nested }] }))).not.toThrow();

    const many = Array.from({ length: 1000 }, (_, i) => ({
      ...base,
      id: `wamid.${i}`,
      type: 'text',
      text: { body: `${i}` },
    }));
    expect(normalizeWebhook(webhook({ messages: many }))).toHaveLength(1000);

    const trap = {
      get id(): string {
        throw new Error('boom');
      },
    };
    const events = normalizeWebhook(webhook({ messages: [trap, { ...base, type: 'text', text: { body: 'after' } }] }));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ text: 'after' });
  });
});

describe('normalizeWebhook on coexistence echoes (smb_message_echoes, meta-cloud-api.md §11.1)', () => {
  const echoBody = (echo: Record<string, unknown>) => ({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102000000000001',
        changes: [
          {
            field: 'smb_message_echoes',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550001234', phone_number_id: PHONE_NUMBER_ID },
              message_echoes: [echo],
            },
          },
        ],
      },
    ],
  });

  it('yields an echo keyed like the user’s own messages (to_user_id ?? to), with its text', () => {
    const events = normalizeWebhook(
      echoBody({
        from: '15550001234',
        to: ANA.waId,
        to_user_id: ANA.userId,
        id: 'wamid.ECHO1',
        timestamp: '1739321024',
        type: 'text',
        text: { body: 'Hi Ana, Maria here' },
        message_creation_type: 'created_by_1p_bot',
      }),
    );
    expect(events).toEqual([
      {
        kind: 'echo',
        phoneNumberId: PHONE_NUMBER_ID,
        messageId: 'wamid.ECHO1',
        userKey: ANA.userId,
        waId: ANA.waId,
        userId: ANA.userId,
        timestamp: 1739321024,
        type: 'text',
        text: 'Hi Ana, Maria here',
        metadata: {},
      },
    ]);
  });

  it('keys on the phone number when no user id is shared, and skips an echo without any recipient', () => {
    const [echo] = normalizeWebhook(
      echoBody({ to: ANA.waId, id: 'wamid.ECHO2', timestamp: '1739321024', type: 'text', text: { body: 'ok' } }),
    );
    expect(echo).toMatchObject({ kind: 'echo', userKey: ANA.waId, userId: null });
    expect(
      normalizeWebhook(echoBody({ id: 'wamid.ECHO3', timestamp: '1739321024', type: 'text', text: { body: 'x' } })),
    ).toEqual([]);
  });

  it('never turns an echo into an inbound message', () => {
    const events = normalizeWebhook(
      echoBody({ to: ANA.waId, id: 'wamid.ECHO4', timestamp: '1739321024', type: 'text', text: { body: 'hi' } }),
    );
    expect(events.filter((e) => e.kind === 'message')).toEqual([]);
  });
});

describe('normalizeWebhook on coexistence history (field history, meta-cloud-api.md §11.2)', () => {
  const historyBody = (value: Record<string, unknown>) => ({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102000000000001',
        changes: [
          {
            field: 'history',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550001234', phone_number_id: PHONE_NUMBER_ID },
              ...value,
            },
          },
        ],
      },
    ],
  });

  it('yields the threads’ messages as history, the business’s as outbound with their delivery state', () => {
    const events = normalizeWebhook(
      historyBody({
        history: [
          {
            metadata: { phase: 0, chunk_order: 1, progress: 40 },
            threads: [
              {
                id: ANA.waId,
                context: { wa_id: ANA.waId, user_id: ANA.userId },
                messages: [
                  {
                    from: ANA.waId,
                    from_user_id: ANA.userId,
                    id: 'wamid.H1',
                    timestamp: '1764200000',
                    type: 'text',
                    text: { body: 'Do you deliver?' },
                    history_context: { status: 'READ' },
                  },
                  {
                    from: '15550001234',
                    id: 'wamid.H2',
                    timestamp: '1764200100',
                    type: 'text',
                    text: { body: 'We do!' },
                    history_context: { status: 'DELIVERED' },
                  },
                  {
                    from: ANA.waId,
                    id: 'wamid.H3',
                    timestamp: '1764200160',
                    type: 'media_placeholder',
                    history_context: { status: 'READ' },
                  },
                  { id: 'wamid.broken' },
                ],
              },
            ],
          },
        ],
      }),
    );
    expect(events).toEqual([
      {
        kind: 'history',
        phoneNumberId: PHONE_NUMBER_ID,
        messageId: 'wamid.H1',
        direction: 'inbound',
        userKey: ANA.userId,
        waId: ANA.waId,
        userId: ANA.userId,
        timestamp: 1764200000,
        type: 'text',
        text: 'Do you deliver?',
        metadata: {},
        status: null,
      },
      expect.objectContaining({
        messageId: 'wamid.H2',
        direction: 'outbound',
        userKey: ANA.userId,
        status: 'delivered',
      }),
      expect.objectContaining({
        messageId: 'wamid.H3',
        type: 'media_placeholder',
        text: '[Media]',
        direction: 'inbound',
      }),
    ]);
  });

  it('yields a history webhook’s messages[] and message_echoes[] as history, never as live messages', () => {
    const events = normalizeWebhook(
      historyBody({
        contacts: [{ wa_id: ANA.waId, user_id: ANA.userId }],
        messages: [
          {
            from: ANA.waId,
            from_user_id: ANA.userId,
            id: 'wamid.H3',
            timestamp: '1764200160',
            type: 'image',
            image: { caption: 'This address?', mime_type: 'image/jpeg', id: '1038' },
          },
        ],
        message_echoes: [
          {
            from: '15550001234',
            to: ANA.waId,
            id: 'wamid.H4',
            timestamp: '1764200200',
            type: 'text',
            text: { body: 'Yes' },
          },
        ],
      }),
    );
    expect(events.map((e) => e.kind)).toEqual(['history', 'history']);
    expect(events[0]).toMatchObject({
      messageId: 'wamid.H3',
      direction: 'inbound',
      type: 'image',
      text: 'This address?\n[Image]',
    });
    expect(events[1]).toMatchObject({ messageId: 'wamid.H4', direction: 'outbound', userKey: ANA.waId, text: 'Yes' });
  });

  it('yields nothing for a declined sync (errors only)', () => {
    expect(
      normalizeWebhook(
        historyBody({ history: [{ errors: [{ code: 2593109, title: 'History sync is turned off' }] }] }),
      ),
    ).toEqual([]);
  });
});
