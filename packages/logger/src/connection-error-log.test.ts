import { describe, expect, it } from 'vitest';
import { createCaptureStream, createConnectionErrorLog, createLogger } from './index.js';

const setUp = () => {
  const out = createCaptureStream();
  const log = createConnectionErrorLog(createLogger({ name: 'conn', destination: out }), 'redis wabot-worker');
  return { out, log };
};

describe('createConnectionErrorLog', () => {
  it('logs the first error after being healthy at warn, and not the ones that follow', () => {
    const { out, log } = setUp();
    log.error(new Error('connect ECONNREFUSED 127.0.0.1:6379'));
    log.error(new Error('connect ECONNREFUSED 127.0.0.1:6379'));
    log.error(new Error('connect ETIMEDOUT'));
    const entries = out.entries();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ level: 'warn', connection: 'redis wabot-worker' });
    expect(JSON.stringify(entries[0])).toContain('ECONNREFUSED');
  });

  it('logs again only after the connection recovered', () => {
    const { out, log } = setUp();
    log.recovered();
    expect(out.entries()).toHaveLength(0);
    log.error(new Error('first outage'));
    log.error(new Error('still down'));
    log.recovered();
    log.recovered();
    log.error(new Error('second outage'));
    log.error(new Error('still down'));
    const entries = out.entries();
    expect(entries.map((e) => e.level)).toEqual(['warn', 'info', 'warn']);
    expect(entries[1]).toMatchObject({ suppressedErrors: 1 });
    expect(JSON.stringify(entries[2])).toContain('second outage');
  });
});
