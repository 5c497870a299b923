import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './password-hash.js';

describe('password hashes', () => {
  it('scrypt N=2^15 r=8 p=1 with a per-password salt: the same password hashes differently', async () => {
    const [a, b] = await Promise.all([hashPassword('correct horse battery'), hashPassword('correct horse battery')]);
    expect(a).toMatch(/^scrypt\$15\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('correct horse');
  });

  it('verifies the right password only', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse batterY', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('a tampered, malformed or absurdly cheap/expensive hash never matches', async () => {
    const stored = await hashPassword('correct horse battery');
    const parts = stored.split('$');
    const key = parts[5] ?? '';
    const flipped = [...parts.slice(0, 5), `${key.slice(0, -2)}${key.endsWith('AA') ? 'BB' : 'AA'}`].join('$');
    expect(await verifyPassword('correct horse battery', flipped)).toBe(false);
    for (const bad of ['', 'plain', stored.replace('scrypt$15', 'scrypt$4'), stored.replace('scrypt$15', 'scrypt$30')])
      expect(await verifyPassword('correct horse battery', bad)).toBe(false);
  });
});
