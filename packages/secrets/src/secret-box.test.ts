import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretBox, loadSecretKeys, maskSecret, SecretDecryptError } from './index.js';

describe('createSecretBox', () => {
  const key = randomBytes(32);

  it('round-trips and never stores the plaintext', () => {
    const box = createSecretBox(key);
    const sealed = box.seal('EAABsbCS-token-value');
    expect(sealed).not.toContain('EAABsbCS');
    expect(sealed.startsWith(`v1:${box.currentKeyId}:`)).toBe(true);
    expect(box.open(sealed)).toBe('EAABsbCS-token-value');
    expect(box.seal('same')).not.toBe(box.seal('same'));
  });

  it('detects tampering', () => {
    const box = createSecretBox(key);
    const sealed = box.seal('value');
    const parts = sealed.split(':');
    parts[4] = Buffer.from('other').toString('base64url');
    expect(() => box.open(parts.join(':'))).toThrow(SecretDecryptError);
    expect(() => box.open('garbage')).toThrow(SecretDecryptError);
  });

  it('rotates: old ciphertexts open with the previous key and are flagged', () => {
    const oldKey = randomBytes(32);
    const sealedOld = createSecretBox(oldKey).seal('legacy');
    const box = createSecretBox(key, [oldKey]);
    expect(box.open(sealedOld)).toBe('legacy');
    expect(box.needsRotation(sealedOld)).toBe(true);
    expect(box.needsRotation(box.seal('new'))).toBe(false);
    expect(() => createSecretBox(key).open(sealedOld)).toThrow(/no key with id/);
  });
});

describe('maskSecret', () => {
  it('shows only a recognisable hint', () => {
    expect(maskSecret('EAABsbCS1234567890abcdefx9Q')).toBe('EAAB…x9Q');
    expect(maskSecret('my-verify-token')).toBe('m…n');
    expect(maskSecret('short')).toBe('…');
    expect(maskSecret(undefined)).toBeNull();
  });
});

describe('loadSecretKeys', () => {
  it('refuses production without a key and uses a dev key otherwise', () => {
    expect(() => loadSecretKeys({ production: true })).toThrow(/SECRETS_KEY is required/);
    expect(loadSecretKeys({ production: false }).isDevelopmentKey).toBe(true);
    const k = randomBytes(32).toString('base64');
    expect(loadSecretKeys({ SECRETS_KEY: k, production: true }).current.toString('base64')).toBe(k);
  });
});
