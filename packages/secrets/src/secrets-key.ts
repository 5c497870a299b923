import { createHash } from 'node:crypto';

/** Development-only key, derived from a fixed phrase; production refuses to start without SECRETS_KEY. */
export const DEVELOPMENT_SECRETS_KEY = createHash('sha256')
  .update('wabot development secrets key - not for production')
  .digest();

/**
 * The key ring from configuration: SECRETS_KEY (base64, 32 bytes) and SECRETS_KEY_PREVIOUS
 * (comma-separated base64 keys). Without SECRETS_KEY, the development key is used unless
 * `production` is true, which throws.
 */
export function loadSecretKeys(config: {
  SECRETS_KEY?: string | undefined;
  SECRETS_KEY_PREVIOUS?: string | undefined;
  production: boolean;
}): {
  current: Buffer;
  previous: Buffer[];
  isDevelopmentKey: boolean;
} {
  const previous = (config.SECRETS_KEY_PREVIOUS ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => Buffer.from(part.includes(':') ? part.slice(part.indexOf(':') + 1) : part, 'base64'));
  if (config.SECRETS_KEY)
    return { current: Buffer.from(config.SECRETS_KEY, 'base64'), previous, isDevelopmentKey: false };
  if (config.production) throw new Error('SECRETS_KEY is required in production (32 random bytes, base64)');
  return { current: DEVELOPMENT_SECRETS_KEY, previous, isDevelopmentKey: true };
}
