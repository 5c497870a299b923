import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Meta webhook payload fixtures (`fixtures/meta-webhooks/`, in the format of Meta's documentation), signed with {@link FIXTURE_APP_SECRET}. */
export const metaFixturesDir = path.resolve(import.meta.dirname, '../fixtures/meta-webhooks');

export const FIXTURE_APP_SECRET = 'test_app_secret_do_not_use';

export interface MetaFixture {
  /** File name, e.g. `02_text_emoji_multibyte.json`. */
  name: string;
  /** Exact bytes as Meta would send them. */
  body: Buffer;
  /** The `X-Hub-Signature-256` header for those bytes. */
  signature: string;
  /** Parsed JSON. */
  json: unknown;
}

/** Every payload fixture (not the `_` files), sorted by name. */
export function loadMetaFixtures(): MetaFixture[] {
  const { signatures } = JSON.parse(readFileSync(path.join(metaFixturesDir, '_signatures.json'), 'utf8')) as {
    signatures: Record<string, string>;
  };
  return readdirSync(metaFixturesDir)
    .filter((name) => name.endsWith('.json') && !name.startsWith('_'))
    .sort()
    .map((name) => {
      const body = readFileSync(path.join(metaFixturesDir, name));
      const signature = signatures[name];
      if (!signature) throw new Error(`fixture ${name} has no signature in _signatures.json`);
      return { name, body, signature, json: JSON.parse(body.toString('utf8')) };
    });
}

/** One fixture by file name (with or without `.json`). */
export function loadMetaFixture(name: string): MetaFixture {
  const file = name.endsWith('.json') ? name : `${name}.json`;
  const found = loadMetaFixtures().find((f) => f.name === file);
  if (!found) throw new Error(`no fixture named ${file}`);
  return found;
}
