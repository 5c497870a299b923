import { ConfigError } from '@wabot/config';
import { describe, expect, it } from 'vitest';
import { loadConfig, loadTokenCliConfig } from './config.js';

describe('loadConfig', () => {
  it('applies the contract defaults and, without JWT_SECRET outside production, a random key per process', () => {
    const config = loadConfig({});
    expect(config.ADMIN_PORT).toBe(3001);
    expect(config.PUBLIC_WEBHOOK_BASE_URL).toBe('http://localhost:3000');
    expect(config.GRAPH_API_BASE_URL).toBe('https://graph.facebook.com');
    expect(config.jwtSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(loadConfig({ JWT_SECRET: '' }).jwtSecret).not.toBe(config.jwtSecret);
  });

  it('refuses production without JWT_SECRET or JWKS, naming the variable', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET: required in production/);
    const withJwks = loadConfig({ NODE_ENV: 'production', JWT_JWKS_URL: 'https://idp.example/jwks.json' });
    expect(withJwks.jwtSecret).toBeUndefined();
    const secret = 'x'.repeat(40);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret }).jwtSecret).toBe(secret);
  });

  it('reports every bad key together', () => {
    try {
      loadConfig({ JWT_SECRET: 'short', ADMIN_PORT: 'x', PUBLIC_WEBHOOK_BASE_URL: 'ftp://nope' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      for (const key of ['JWT_SECRET', 'ADMIN_PORT', 'PUBLIC_WEBHOOK_BASE_URL']) expect(String(error)).toContain(key);
    }
  });

  it('strips a trailing slash from the webhook base', () => {
    expect(loadConfig({ PUBLIC_WEBHOOK_BASE_URL: 'https://x.example/' }).webhookBaseUrl).toBe('https://x.example');
  });

  it('the token CLI signs with JWT_SECRET and refuses without it', () => {
    const secret = 'y'.repeat(40);
    expect(loadTokenCliConfig({ JWT_SECRET: secret }).jwtSecret).toBe(secret);
    expect(() => loadTokenCliConfig({})).toThrow(/JWT_SECRET: required/);
    expect(() => loadTokenCliConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
  });
});
