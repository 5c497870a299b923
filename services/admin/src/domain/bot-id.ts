import { randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A new bot id: `bt_` + 20 lowercase alphanumerics (Aerostack's format), uniformly random. */
export function createBotId(): string {
  let out = 'bt_';
  while (out.length < 23) {
    for (const byte of randomBytes(32)) {
      // 252 = 7 × 36: rejecting bytes above it keeps every character equally likely.
      if (byte < 252 && out.length < 23) out += ALPHABET[byte % 36];
    }
  }
  return out;
}

export const botIdPattern = /^bt_[a-z0-9]{20}$/;
