import { createHash, randomBytes } from 'node:crypto';

/** A random bearer credential (256 bits, base64url) after `prefix`. */
export const newOpaqueToken = (prefix = '') => `${prefix}${randomBytes(32).toString('base64url')}`;

/** What is stored of a token: its SHA-256 (hex). The tokens are random, so no salt or stretching is needed. */
export const hashOpaqueToken = (token: string) => createHash('sha256').update(token).digest('hex');
