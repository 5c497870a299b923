import { describe, expect, it } from 'vitest';
import { createCaptureStream, createLogger } from './index.js';

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
});
