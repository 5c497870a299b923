import { describe, expect, it } from 'vitest';
import { sentText } from './sent-text.js';

describe('sentText', () => {
  it('reads the text body of a text send and nothing else', () => {
    expect(sentText({ body: { type: 'text', text: { body: 'hi' } } })).toBe('hi');
    expect(sentText({ body: { type: 'template', template: { name: 'x' } } })).toBeNull();
    expect(sentText({ body: { status: 'read', message_id: 'wamid.1' } })).toBeNull();
    expect(sentText({ body: null })).toBeNull();
    expect(sentText({ body: { text: { body: 42 } } })).toBeNull();
  });
});
