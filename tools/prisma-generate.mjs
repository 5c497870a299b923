// Generates the Prisma client when prisma/schema.prisma changed since the last generation.
// Generation is WASM; the schema engine binary Prisma would download is never needed for it, so
// PRISMA_SCHEMA_ENGINE_BINARY points at a harmless executable when none is configured.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const schema = readFileSync(path.join(root, 'prisma/schema.prisma'));
const hash = createHash('sha256').update(schema).digest('hex').slice(0, 16);
const outDir = path.join(root, 'packages/db/src/generated/prisma');
const stamp = path.join(outDir, '.schema-hash');
if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) process.exit(0);

console.error('[run] generating the Prisma client');
execFileSync(path.join(root, 'node_modules/.bin/prisma'), ['generate'], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? '/bin/true',
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
  },
});
writeFileSync(stamp, hash);
