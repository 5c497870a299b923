import { describe, expect, it } from 'vitest';
import {
  classifyExtension,
  cleanFilename,
  FILENAME_MAX,
  filenameFromUrl,
  MAX_MEDIA_BYTES,
  MEDIA_RULES,
  mediaTypeOfMime,
} from './media-rules.js';

describe('media rules (Meta §9.4)', () => {
  it('has Meta’s size limits per type: 5 MB images, 16 MB video and audio, 100 MB documents', () => {
    expect(MEDIA_RULES.image.maxBytes).toBe(5_242_880);
    expect(MEDIA_RULES.video.maxBytes).toBe(16_777_216);
    expect(MEDIA_RULES.audio.maxBytes).toBe(16_777_216);
    expect(MEDIA_RULES.document.maxBytes).toBe(104_857_600);
    expect(MAX_MEDIA_BYTES).toBe(104_857_600);
  });

  it('names the type that carries a MIME type, parameters ignored', () => {
    expect(mediaTypeOfMime('image/PNG')).toBe('image');
    expect(mediaTypeOfMime('audio/ogg; codecs=opus')).toBe('audio');
    expect(mediaTypeOfMime('application/vnd.openxmlformats-officedocument.wordprocessingml.document')).toBe('document');
    expect(mediaTypeOfMime('image/gif')).toBeNull();
    expect(mediaTypeOfMime('image/webp')).toBeNull();
  });

  it('classifies extensions: supported, a known unsupported media format, or unknown', () => {
    expect(classifyExtension('/a/b/Report.XLSX')).toMatchObject({ kind: 'supported', type: 'document' });
    expect(classifyExtension('/clip.3gp')).toEqual({ kind: 'supported', mimeType: 'video/3gpp', type: 'video' });
    expect(classifyExtension('/cat.gif')).toEqual({ kind: 'unsupported' });
    expect(classifyExtension('/download')).toEqual({ kind: 'unknown' });
    expect(classifyExtension('/.hidden')).toEqual({ kind: 'unknown' });
  });

  it('cleans file names: last path segment, no control characters, long ones cut with the extension kept', () => {
    expect(cleanFilename('C:\\Users\\me\\menu.pdf')).toBe('menu.pdf');
    expect(cleanFilename('in\u0000voice\n.pdf')).toBe('invoice.pdf');
    const long = cleanFilename(`${'a'.repeat(300)}.docx`);
    expect(Array.from(long)).toHaveLength(FILENAME_MAX);
    expect(long.endsWith('.docx')).toBe(true);
    expect(filenameFromUrl('https://x.example/files/price%20list.pdf?v=2')).toBe('price list.pdf');
    expect(filenameFromUrl('https://x.example/files/download')).toBe('');
    expect(filenameFromUrl('not a url')).toBe('');
  });
});
