import { describe, expect, it } from 'vitest';
import { createSecretScan } from './secret-scan.js';

const TOKEN = 'EAAG7f3a9c01b2d4e6f8a0c2e4';

describe('createSecretScan', () => {
  it('finds a secret in clear, JSON-escaped, base64, base64url, hex and percent-encoded', () => {
    const quoted = 'tok"en\\with/slash+and=sign';
    const forms = [
      `{"level":30,"token":"${TOKEN}"}`,
      JSON.stringify({ header: quoted }),
      Buffer.from(TOKEN).toString('base64'),
      Buffer.from(TOKEN).toString('base64url'),
      Buffer.from(TOKEN).toString('hex'),
      `https://x.test/?t=${encodeURIComponent(quoted)}`,
    ];
    for (const text of forms) {
      const scan = createSecretScan();
      scan.add('access token', TOKEN);
      scan.add('tool header', quoted);
      scan.record('log', text);
      expect(scan.leaks(), text).toHaveLength(1);
    }
  });

  it('passes masked hints and ciphertexts, and names where a leak was', () => {
    const scan = createSecretScan();
    scan.add('access token', TOKEN);
    scan.add('key', Buffer.alloc(32, 7));
    scan.record('response GET /api/bots', '{"access_token":{"set":true,"hint":"EAAG…0c2e4"}}');
    scan.record('table bots', '{"access_token_cipher":"v1:Zm9vYmFy"}');
    expect(scan.leaks()).toEqual([]);
    scan.record('log line 3', `failed for ${TOKEN}!`);
    expect(scan.leaks()).toEqual([
      { secret: 'access token', where: 'log line 3', excerpt: 'failed for <access token>!' },
    ]);
    expect(scan.records).toBe(3);
  });

  it('refuses a secret too short to scan for', () => {
    expect(() => createSecretScan().add('pin', '1234')).toThrow(/too short/);
  });
});
