import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, commonEnv, listenHostOf, maskUrl, parseEnv } from './index.js';

describe('parseEnv', () => {
  const schema = z.object({ ...commonEnv, PORT: z.coerce.number().int().default(3000) });

  it('applies the contract defaults', () => {
    const config = parseEnv(schema, {});
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(config.DATABASE_URL).toBe('postgresql://postgres@127.0.0.1:5432/wabot');
    expect(listenHostOf(config)).toBe('127.0.0.1');
    expect(config.LOG_LEVEL).toBe('info');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reports every bad key together, by name', () => {
    try {
      parseEnv(schema, { REDIS_URL: 'http://nope', PORT: 'abc', LOG_LEVEL: 'loud' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as ConfigError).message;
      expect(message).toContain('REDIS_URL');
      expect(message).toContain('PORT');
      expect(message).toContain('LOG_LEVEL');
    }
  });
});

describe('listenHostOf', () => {
  const schema = z.object(commonEnv);
  it('listens on loopback only outside production unless HOST says otherwise', () => {
    expect(listenHostOf(parseEnv(schema, { NODE_ENV: 'development' }))).toBe('127.0.0.1');
    expect(listenHostOf(parseEnv(schema, { NODE_ENV: 'test', HOST: '' }))).toBe('127.0.0.1');
    expect(listenHostOf(parseEnv(schema, { NODE_ENV: 'production' }))).toBe('0.0.0.0');
    expect(listenHostOf(parseEnv(schema, { NODE_ENV: 'development', HOST: '0.0.0.0' }))).toBe('0.0.0.0');
    expect(listenHostOf(parseEnv(schema, { NODE_ENV: 'production', HOST: '10.0.0.5' }))).toBe('10.0.0.5');
  });
});

describe('maskUrl', () => {
  it('hides passwords', () => {
    expect(maskUrl('postgresql://user:secret@db:5432/x')).toBe('postgresql://user:***@db:5432/x');
    expect(maskUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    expect(maskUrl('::')).toBe('<invalid url>');
  });
});
