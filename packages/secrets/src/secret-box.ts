import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
const FORMAT = 'v1';

/** Raised when a ciphertext cannot be opened: unknown key id, tampered data or a malformed value. */
export class SecretDecryptError extends Error {
  constructor(reason: string) {
    super(`cannot decrypt secret: ${reason}`);
    this.name = 'SecretDecryptError';
  }
}

/** Short, non-secret identifier of a key: the first 8 hex digits of its SHA-256. */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

export interface SecretBox {
  /** Id of the key new ciphertexts are sealed with. */
  readonly currentKeyId: string;
  seal(plaintext: string): string;
  open(ciphertext: string): string;
  /** True when the value was sealed with an older key and should be re-sealed. */
  needsRotation(ciphertext: string): boolean;
}

/**
 * AES-256-GCM envelope for bot credentials at rest. A sealed value is
 * `v1:<keyId>:<iv>:<tag>:<ciphertext>` (base64url parts), so keys can rotate: the current key
 * seals, every key in the ring opens.
 */
export function createSecretBox(currentKey: Buffer, previousKeys: Buffer[] = []): SecretBox {
  for (const key of [currentKey, ...previousKeys]) {
    if (key.length !== 32) throw new Error('secret keys must be exactly 32 bytes');
  }
  const ring = new Map<string, Buffer>();
  for (const key of [currentKey, ...previousKeys]) ring.set(keyIdOf(key), key);
  const currentKeyId = keyIdOf(currentKey);

  const seal = (plaintext: string): string => {
    const iv = randomBytes(12);
    const cipher = createCipheriv(ALGORITHM, currentKey, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [FORMAT, currentKeyId, iv.toString('base64url'), tag.toString('base64url'), body.toString('base64url')].join(
      ':',
    );
  };

  const parse = (ciphertext: string) => {
    const parts = ciphertext.split(':');
    if (parts.length !== 5 || parts[0] !== FORMAT) throw new SecretDecryptError('unknown format');
    const [, keyId = '', iv = '', tag = '', body = ''] = parts;
    return { keyId, iv, tag, body };
  };

  const open = (ciphertext: string): string => {
    const { keyId, iv, tag, body } = parse(ciphertext);
    const key = ring.get(keyId);
    if (!key)
      throw new SecretDecryptError(`no key with id ${keyId} (was SECRETS_KEY changed without SECRETS_KEY_PREVIOUS?)`);
    try {
      const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretDecryptError('authentication failed (tampered value or wrong key)');
    }
  };

  return {
    currentKeyId,
    seal,
    open,
    needsRotation: (ciphertext) => parse(ciphertext).keyId !== currentKeyId,
  };
}
