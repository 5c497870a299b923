import { describe, expect, it } from 'vitest';
import { WIRE_FORMATS, WireFormatError } from './wire-formats.js';

const format = (name: string) => {
  const found = WIRE_FORMATS.find((f) => f.name === name);
  if (!found) throw new Error(name);
  return found;
};
const png = Buffer.from('89504e470d0a1a0a', 'hex');
const b64 = png.toString('base64');

describe('image and file input, read in each provider’s own wire format', () => {
  it('OpenAI: image_url data URLs and file parts', () => {
    const parsed = format('openai').read(
      {
        model: 'm',
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'see' },
              { type: 'image_url', image_url: { url: `data:image/png;base64,${b64}` } },
              { type: 'file', file: { filename: 'a.pdf', file_data: `data:application/pdf;base64,${b64}` } },
            ],
          },
        ],
      },
      null,
    );
    expect(parsed.messages[0]?.content).toBe('see');
    expect(parsed.messages[0]?.attachments?.map((a) => [a.kind, a.wire, a.mediaType, a.filename])).toEqual([
      ['image', 'image_url', 'image/png', undefined],
      ['file', 'file', 'application/pdf', 'a.pdf'],
    ]);
    expect(parsed.messages[0]?.attachments?.[0]?.data.equals(png)).toBe(true);
  });

  it('Anthropic: image and document blocks with a base64 source', () => {
    const parsed = format('anthropic').read(
      {
        model: 'm',
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image', source: { type: 'base64', media_type: 'image/png', data: b64 } },
              { type: 'text', text: 'what?' },
            ],
          },
        ],
      },
      null,
    );
    expect(parsed.messages[0]).toMatchObject({ content: 'what?', attachments: [{ wire: 'image.source.base64' }] });
  });

  it('Gemini: inlineData parts', () => {
    const parsed = format('google').read(
      { contents: [{ role: 'user', parts: [{ text: 'hm' }, { inlineData: { mimeType: 'image/png', data: b64 } }] }] },
      'gemini-x',
    );
    expect(parsed.messages[0]?.attachments?.[0]).toMatchObject({
      kind: 'image',
      wire: 'inlineData',
      mediaType: 'image/png',
    });
  });

  it('refuses parts not in the format, as the provider would (400)', () => {
    const openAi = (url: string) => ({
      messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url } }] }],
    });
    expect(() => format('openai').read(openAi('data:image/png,not-base64!'), null)).toThrow(WireFormatError);
    expect(() =>
      format('anthropic').read(
        {
          messages: [
            {
              role: 'user',
              content: [{ type: 'image', source: { type: 'base64', media_type: 'image/bmp', data: b64 } }],
            },
          ],
        },
        null,
      ),
    ).toThrow(/media_type must be one of/);
    expect(() =>
      format('google').read({ contents: [{ role: 'user', parts: [{ inlineData: { data: b64 } }] }] }, 'g'),
    ).toThrow(/mimeType is required/);
  });
});
