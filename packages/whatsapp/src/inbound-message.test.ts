import { loadMetaFixtures } from '@wabot/testing';
import { describe, expect, it } from 'vitest';
import { type InboundMessage, inboundMessageSchema } from './inbound-message.js';
import { normalizeWebhook } from './normalize-webhook.js';

describe('inboundMessageSchema', () => {
  it('accepts every message normalizeWebhook makes of the fixtures, unchanged, also after a JSON round trip', () => {
    let messages = 0;
    for (const fixture of loadMetaFixtures()) {
      for (const event of normalizeWebhook(fixture.json)) {
        if (event.kind !== 'message') continue;
        messages++;
        expect(inboundMessageSchema.parse(event), fixture.name).toEqual(event);
        expect(inboundMessageSchema.parse(JSON.parse(JSON.stringify(event))), fixture.name).toEqual(event);
      }
    }
    expect(messages).toBeGreaterThan(30);
  });

  it('refuses what is not a normalized message', () => {
    const message: InboundMessage = {
      kind: 'message',
      phoneNumberId: '106000000000001',
      displayPhoneNumber: null,
      wabaId: null,
      messageId: 'wamid.1',
      userKey: '15557654321',
      waId: '15557654321',
      userId: null,
      profileName: null,
      timestamp: 1_700_000_000,
      type: 'text',
      text: 'hi',
      replyable: true,
      metadata: {},
    };
    expect(inboundMessageSchema.safeParse(message).success).toBe(true);
    for (const broken of [
      { ...message, kind: 'status' },
      { ...message, messageId: '' },
      { ...message, userKey: undefined },
      { ...message, timestamp: '1700000000' },
      { ...message, metadata: null },
    ]) {
      expect(inboundMessageSchema.safeParse(broken).success).toBe(false);
    }
  });
});
