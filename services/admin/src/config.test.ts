import { ConfigError } from '@wabot/config';
import { describe, expect, it } from 'vitest';
import { DEVELOPMENT_JWT_SECRET } from './auth/development-jwt-secret.js';
import { loadConfig, loadTokenCliConfig } from './config.js';

describe('loadConfig', () => {
  it('applies the contract defaults and the development JWT key outside production', () => {
    const config = loadConfig({});
    expect(config.ADMIN_PORT).toBe(3001);
    expect(config.PUBLIC_WEBHOOK_BASE_URL).toBe('http://localhost:3000');
    expect(config.GRAPH_API_BASE_URL).toBe('https://graph.facebook.com');
    expect(config.jwtSecret).toBe(DEVELOPMENT_JWT_SECRET);
    expect(loadConfig({ JWT_SECRET: '' }).jwtSecret).toBe(DEVELOPMENT_JWT_SECRET);
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

  it('the token CLI uses the same key', () => {
    expect(loadTokenCliConfig({}).jwtSecret).toBe(DEVELOPMENT_JWT_SECRET);
    expect(() => loadTokenCliConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
  });
});
