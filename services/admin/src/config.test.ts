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

  it('sign-in defaults: the admin on 127.0.0.1, 14-day sessions, 7-day invitations, 5 failures a minute, no OIDC', () => {
    const config = loadConfig({ ADMIN_PORT: '4410' });
    expect(config.publicUrl).toBe('http://127.0.0.1:4410');
    expect(config.SESSION_TTL_HOURS).toBe(336);
    expect(config.INVITATION_TTL_HOURS).toBe(168);
    expect([config.LOGIN_RATE_LIMIT_MAX, config.LOGIN_RATE_LIMIT_WINDOW_MS]).toEqual([5, 60_000]);
    expect(config.oidc).toBeNull();
    expect(config.secureCookies).toBe(false);
    expect(loadConfig({ ADMIN_PUBLIC_URL: 'https://console.example/' }).publicUrl).toBe('https://console.example');
  });

  it('OIDC needs all three of issuer, client id and secret; the redirect defaults to the callback on ADMIN_PUBLIC_URL', () => {
    try {
      loadConfig({ OIDC_ISSUER_URL: 'https://idp.example' });
      expect.unreachable();
    } catch (error) {
      expect(String(error)).toContain('OIDC_CLIENT_ID');
      expect(String(error)).toContain('OIDC_CLIENT_SECRET');
    }
    const config = loadConfig({
      ADMIN_PUBLIC_URL: 'https://console.example',
      OIDC_ISSUER_URL: 'https://idp.example',
      OIDC_CLIENT_ID: 'wabot',
      OIDC_CLIENT_SECRET: 'shh',
    });
    expect(config.oidc).toEqual({
      issuer: 'https://idp.example',
      clientId: 'wabot',
      clientSecret: 'shh',
      redirectUrl: 'https://console.example/api/auth/oidc/callback',
    });
  });

  it('production: Secure cookies, an https issuer, and SESSION_SECRET with OIDC', () => {
    const production = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) };
    expect(loadConfig(production).secureCookies).toBe(true);
    const oidc = { OIDC_ISSUER_URL: 'http://idp.example', OIDC_CLIENT_ID: 'wabot', OIDC_CLIENT_SECRET: 'shh' };
    try {
      loadConfig({ ...production, ...oidc });
      expect.unreachable();
    } catch (error) {
      expect(String(error)).toMatch(/OIDC_ISSUER_URL: must be https/);
      expect(String(error)).toMatch(/SESSION_SECRET: required in production with OIDC/);
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
