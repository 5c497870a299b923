import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, commonEnv, parseEnv } from './index.js';

const schema = z.object(commonEnv);

function issuesOf(env: Record<string, string>): string {
  try {
    parseEnv(schema, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('REDIS_CLUSTER_NODES', () => {
  it('is undefined when unset or blank: a single Redis at REDIS_URL', () => {
    expect(parseEnv(schema, {}).REDIS_CLUSTER_NODES).toBeUndefined();
    expect(parseEnv(schema, { REDIS_CLUSTER_NODES: '' }).REDIS_CLUSTER_NODES).toBeUndefined();
    expect(parseEnv(schema, { REDIS_CLUSTER_NODES: '  ' }).REDIS_CLUSTER_NODES).toBeUndefined();
  });

  it('splits comma-separated seeds, trimming spaces', () => {
    const config = parseEnv(schema, {
      REDIS_CLUSTER_NODES: '127.0.0.1:7000, redis-0.redis.svc.cluster.local:6379 ,[::1]:7002,node-3:65535,n:1',
    });
    expect(config.REDIS_CLUSTER_NODES).toEqual([
      '127.0.0.1:7000',
      'redis-0.redis.svc.cluster.local:6379',
      '[::1]:7002',
      'node-3:65535',
      'n:1',
    ]);
  });

  it.each([
    ['no port', '127.0.0.1'],
    ['port 0', '127.0.0.1:0'],
    ['port above 65535', '127.0.0.1:65536'],
    ['a non-numeric port', 'redis:port'],
    ['a URL instead of host:port', 'redis://127.0.0.1:7000'],
    ['an empty seed', '127.0.0.1:7000,,127.0.0.1:7001'],
    ['a trailing comma', '127.0.0.1:7000,'],
    ['an unbracketed IPv6 address', '::1:7000'],
    ['no host', ':7000'],
    ['a space inside a seed', '127.0.0.1 :7000'],
  ])('rejects %s, naming the variable and the seed', (_case, value) => {
    const message = issuesOf({ REDIS_CLUSTER_NODES: value });
    expect(message).toContain('REDIS_CLUSTER_NODES');
    expect(message).toContain('host:port');
  });

  it('names every bad seed at once, next to other bad keys', () => {
    const message = issuesOf({ REDIS_CLUSTER_NODES: 'a:1,b,c:99999', LOG_LEVEL: 'loud' });
    expect(message).toContain('"b", "c:99999"');
    expect(message).not.toContain('"a:1"');
    expect(message).toContain('LOG_LEVEL');
  });
});
