import { describe, expect, it, vi } from 'vitest';
import { createCaptureStream, createLazyChildLogger, createLogger } from './index.js';

describe('createLazyChildLogger', () => {
  it('builds the child only when it logs, with the bindings and redaction of a real child', () => {
    const out = createCaptureStream();
    const parent = createLogger({ name: 'lazy', level: 'info', destination: out });
    const spy = vi.spyOn(parent, 'child');
    const lazy = createLazyChildLogger(parent, { reqId: 'r-1' });
    expect(spy).not.toHaveBeenCalled();
    lazy.debug('below the level');
    lazy.info({ accessToken: 'EAAB-secret' }, 'hello');
    lazy.warn('again');
    expect(spy).toHaveBeenCalledTimes(1);
    const entries = out.entries();
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({ reqId: 'r-1', msg: 'hello', accessToken: '[redacted]', service: 'lazy' });
    expect(out.text()).not.toContain('EAAB-secret');
    expect(lazy.level).toBe('info');
    expect(lazy.isLevelEnabled('debug')).toBe(false);
  });
});
