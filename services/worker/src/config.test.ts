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

describe('worker config: media', () => {
  it('MEDIA_STORE is a directory or s3://bucket/prefix; STT is off unless STT_BASE_URL is set', () => {
    const local = loadWorkerConfig({ MEDIA_STORE: '/var/lib/wabot/media' });
    expect(local.MEDIA_STORE).toEqual({ kind: 'local', dir: '/var/lib/wabot/media' });
    expect(local.STT_BASE_URL).toBeUndefined();
    expect(local.STT_MODEL).toBe('whisper-1');
    const s3 = loadWorkerConfig({ MEDIA_STORE: 's3://media-bucket/wabot', STT_BASE_URL: 'https://stt.example/v1' });
    expect(s3.MEDIA_STORE).toEqual({ kind: 's3', bucket: 'media-bucket', prefix: 'wabot' });
    expect(s3.STT_BASE_URL).toBe('https://stt.example/v1');
  });

  it('names a bad MEDIA_STORE or STT_BASE_URL', () => {
    expect(() => loadWorkerConfig({ MEDIA_STORE: 'gs://bucket/x' })).toThrow(/MEDIA_STORE/);
    expect(() => loadWorkerConfig({ STT_BASE_URL: 'not a url' })).toThrow(/STT_BASE_URL/);
  });
});
