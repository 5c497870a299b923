import { loadMetaFixtures } from '@wabot/testing';
import { describe, expect, it } from 'vitest';
import { isWebhookEnvelope } from './webhook-envelope.js';

describe('isWebhookEnvelope', () => {
  it('accepts every Meta fixture', () => {
    const fixtures = loadMetaFixtures();
    expect(fixtures).toHaveLength(44);
    for (const fixture of fixtures) expect(isWebhookEnvelope(fixture.json), fixture.name).toBe(true);
  });

  it.each([
    ['null', null],
    ['an array', [{ object: 'whatsapp_business_account', entry: [] }]],
    ['a string', 'whatsapp_business_account'],
    ['a number', 42],
    ['another object type', { object: 'page', entry: [] }],
    ['no entry', { object: 'whatsapp_business_account' }],
    ['entry not an array', { object: 'whatsapp_business_account', entry: {} }],
  ])('rejects %s', (_label, value) => {
    expect(isWebhookEnvelope(value)).toBe(false);
  });
});
