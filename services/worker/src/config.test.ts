import { describe, expect, it } from 'vitest';
import { loadWorkerConfig } from './config.js';
import { platformEndpoints } from './engine/http-tools/platform-endpoints.js';

describe('worker config: TOOL_ALLOWED_HOSTS', () => {
  it('is empty when unset', () => {
    expect(loadWorkerConfig({}).TOOL_ALLOWED_HOSTS).toEqual([]);
  });

  it('takes comma-separated host names, IP addresses and CIDR ranges', () => {
    const config = loadWorkerConfig({ TOOL_ALLOWED_HOSTS: ' tools.internal, 127.0.0.1 ,::1,10.0.0.0/8,fd00::/8,' });
    expect(config.TOOL_ALLOWED_HOSTS).toEqual(['tools.internal', '127.0.0.1', '::1', '10.0.0.0/8', 'fd00::/8']);
  });

  it('names every bad entry', () => {
    expect(() => loadWorkerConfig({ TOOL_ALLOWED_HOSTS: 'ok.example,http://x/,10.0.0.0/33,a b' })).toThrow(
      /"http:\/\/x\/", "10.0.0.0\/33", "a b" not a host name, IP address or CIDR range/,
    );
  });
});

describe('platformEndpoints', () => {
  it("lists the database, Redis and the worker's own port", () => {
    const config = loadWorkerConfig({
      DATABASE_URL: 'postgresql://postgres@db.internal:5432/wabot',
      REDIS_URL: 'redis://cache.internal:6380',
      WORKER_PORT: '3002',
    });
    expect(platformEndpoints(config)).toEqual([
      'postgresql://postgres@db.internal:5432/wabot',
      'redis://cache.internal:6380',
      '127.0.0.1:3002',
      'localhost:3002',
      '[::1]:3002',
    ]);
  });
});
