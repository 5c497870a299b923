// ./run migrate: create the database if missing and apply the committed migrations (no schema engine needed).
import path from 'node:path';
import { applyMigrations } from '../packages/db/dist/index.js';

const root = path.resolve(import.meta.dirname, '..');
const url = process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/wabot';
const masked = url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
try {
  const result = await applyMigrations(url, path.join(root, 'prisma/migrations'), (line) =>
    console.error(`[run] ${line}`),
  );
  const total = result.applied.length + result.alreadyApplied;
  console.error(
    result.applied.length
      ? `[run] database ${masked}: applied ${result.applied.length} migration(s), ${total} in all`
      : `[run] database ${masked}: up to date (${total} migration(s))`,
  );
} catch (error) {
  console.error(`[run] migrate failed for ${masked}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
