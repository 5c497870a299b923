import { FIXTURE_APP_SECRET, loadMetaFixture, loadMetaFixtures } from '@wabot/testing';
import { describe, expect, it } from 'vitest';
import { signWebhookBody, verifyWebhookSignature } from './webhook-signature.js';

describe('verifyWebhookSignature', () => {
  it('accepts every fixture with the signature Meta computed over its exact bytes', () => {
    const fixtures = loadMetaFixtures();
    expect(fixtures.length).toBe(44);
    for (const fixture of fixtures) {
      expect(verifyWebhookSignature(FIXTURE_APP_SECRET, fixture.body, fixture.signature), fixture.name).toBe(true);
    }
  });

  it('rejects a re-serialized body (the emoji fixture)', () => {
    const fixture = loadMetaFixture('02_text_emoji_multibyte');
    const reserialized = Buffer.from(JSON.stringify(fixture.json));
    expect(reserialized.equals(fixture.body)).toBe(false);
    expect(verifyWebhookSignature(FIXTURE_APP_SECRET, fixture.body, fixture.signature)).toBe(true);
    expect(verifyWebhookSignature(FIXTURE_APP_SECRET, reserialized, fixture.signature)).toBe(false);
  });

  it('rejects missing, malformed, wrong-length and wrong signatures', () => {
    const body = Buffer.from('{"object":"whatsapp_business_account"}');
    const good = signWebhookBody(FIXTURE_APP_SECRET, body);
    expect(verifyWebhookSignature(FIXTURE_APP_SECRET, body, good)).toBe(true);
    expect(verifyWebhookSignature(FIXTURE_APP_SECRET, body, `sha256=${good.slice(7).toUpperCase()}`)).toBe(true);
    expect(verifyWebhookSignature(FIXTURE_APP_SECRET, body, undefined)).toBe(false);
    expect(verifyWebhookSignature(FIXTURE_APP_SECRET, body, '')).toBe(false);
    expect(verifyWebhookSignature(FIXTURE_APP_SECRET, body, good.slice(7))).toBe(false);
    expect(verifyWebhookSignature(FIXTURE_APP_SECRET, body, good.slice(0, -2))).toBe(false);
    expect(verifyWebhookSignature(FIXTURE_APP_SECRET, body, `${good}00`)).toBe(false);
    expect(verifyWebhookSignature(FIXTURE_APP_SECRET, body, `sha256=${'zz'.repeat(32)}`)).toBe(false);
    // One non-hex character anywhere (the rest of the right length) is still a bad signature.
    expect(verifyWebhookSignature(FIXTURE_APP_SECRET, body, `${good.slice(0, -1)}g`)).toBe(false);
    expect(verifyWebhookSignature(FIXTURE_APP_SECRET, body, `sha256=x${good.slice(8)}`)).toBe(false);
    expect(verifyWebhookSignature(FIXTURE_APP_SECRET, body, `${good.slice(0, -1)}`)).toBe(false);
    expect(verifyWebhookSignature(FIXTURE_APP_SECRET, body, `${good}0`)).toBe(false);
    // Surrounding whitespace is tolerated, as before.
    expect(verifyWebhookSignature(FIXTURE_APP_SECRET, body, `${good} `)).toBe(true);
    expect(verifyWebhookSignature('other-secret', body, good)).toBe(false);
    expect(verifyWebhookSignature(FIXTURE_APP_SECRET, body, [good])).toBe(false);
  });

  it('matches a known HMAC-SHA256 vector', () => {
    // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?"
    expect(signWebhookBody('Jefe', 'what do ya want for nothing?')).toBe(
      'sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });
});
