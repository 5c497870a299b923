import { describe, expect, it } from 'vitest';
import { createCaptureStream, createLogger, resolveLogFormat } from './index.js';

describe('createLogger', () => {
  it('redacts credentials wherever they sit', () => {
    const out = createCaptureStream();
    const log = createLogger({ name: 'test', destination: out });
    log.info(
      {
        bot: { accessToken: 'EAAB-very-secret', app_secret: 'shh', platform_config: { verify_token: 'vt-123' } },
        req: { headers: { authorization: 'Bearer abc.def.ghi' } },
      },
      'hello',
    );
    const text = out.text();
    expect(text).not.toContain('EAAB-very-secret');
    expect(text).not.toContain('shh');
    expect(text).not.toContain('abc.def.ghi');
    expect(text).toContain('[redacted]');
    expect(out.entries()[0]).toMatchObject({ service: 'test', level: 'info', msg: 'hello' });
  });

  it('writes readable lines in the pretty format, still redacted', () => {
    const out = createCaptureStream();
    const log = createLogger({ name: 'test', destination: out, format: 'pretty' });
    log.warn({ botId: 'b1', accessToken: 'EAAB-very-secret' }, 'bot held');
    const text = out.text();
    expect(() => JSON.parse(text)).toThrow();
    expect(text).toContain('WARN');
    expect(text).toContain('bot held');
    expect(text).toContain('b1');
    expect(text).not.toContain('EAAB-very-secret');
  });
});

describe('resolveLogFormat', () => {
  it('is pretty at a terminal and JSON otherwise, unless set', () => {
    expect(resolveLogFormat('auto', true)).toBe('pretty');
    expect(resolveLogFormat('auto', false)).toBe('json');
    expect(resolveLogFormat('json', true)).toBe('json');
    expect(resolveLogFormat('pretty', false)).toBe('pretty');
  });
});
