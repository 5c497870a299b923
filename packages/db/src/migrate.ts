import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';

/** Arbitrary but fixed: the advisory lock every migrator of this schema takes, so two never interleave. */
const MIGRATION_LOCK_ID = 72707369;

export interface MigrationResult {
  created: boolean;
  applied: string[];
  alreadyApplied: number;
}

type Say = (line: string) => void;

/** Database name of a postgres URL. */
export function databaseNameOf(databaseUrl: string): string {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, ''));
  if (!name) throw new Error('DATABASE_URL names no database');
  return name;
}

/** Creates the database named by `databaseUrl` when it does not exist yet. Returns true when it created it. */
export async function ensureDatabase(databaseUrl: string, options: { template?: string } = {}): Promise<boolean> {
  const name = databaseNameOf(databaseUrl);
  const adminUrl = new URL(databaseUrl);
  adminUrl.pathname = '/postgres';
  const client = new pg.Client({ connectionString: adminUrl.toString() });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount) return false;
    const quoted = `"${name.replaceAll('"', '""')}"`;
    const template = options.template ? ` TEMPLATE "${options.template.replaceAll('"', '""')}"` : '';
    try {
      await client.query(`CREATE DATABASE ${quoted}${template}`);
    } catch (error) {
      // Another process created it between our check and our CREATE.
      if (error instanceof Error && 'code' in error && error.code === '42P04') return false;
      throw error;
    }
    return true;
  } finally {
    await client.end();
  }
}

/** Migration directories under `migrationsDir`, in the order Prisma applies them (lexicographic). */
export async function listMigrations(
  migrationsDir: string,
): Promise<{ name: string; sql: string; checksum: string }[]> {
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(migrationsDir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

/**
 * Applies pending migrations without Prisma's schema engine: creates the database if missing, takes
 * an advisory lock, runs each pending `migration.sql` in its own transaction and records it in
 * `_prisma_migrations` exactly as `prisma migrate deploy` does (checksum = sha256 of the file), so
 * the real engine later sees them as applied. A checksum mismatch of an applied migration is an error.
 */
export async function applyMigrations(
  databaseUrl: string,
  migrationsDir: string,
  say: Say = () => {},
): Promise<MigrationResult> {
  const created = await ensureDatabase(databaseUrl);
  if (created) say(`created database ${databaseNameOf(databaseUrl)}`);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum"              VARCHAR(64) NOT NULL,
      "finished_at"           TIMESTAMPTZ,
      "migration_name"        VARCHAR(255) NOT NULL,
      "logs"                  TEXT,
      "rolled_back_at"        TIMESTAMPTZ,
      "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
    )`);
    const done = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL',
    );
    const applied = new Map(done.rows.map((r) => [r.migration_name, r]));
    const result: MigrationResult = { created, applied: [], alreadyApplied: 0 };
    for (const migration of await listMigrations(migrationsDir)) {
      const previous = applied.get(migration.name);
      if (previous) {
        if (!previous.finished_at)
          throw new Error(`migration ${migration.name} failed earlier and is not finished; fix it by hand`);
        if (previous.checksum !== migration.checksum) {
          throw new Error(`migration ${migration.name} was changed after it was applied (checksum differs)`);
        }
        result.alreadyApplied++;
        continue;
      }
      const id = randomUUID();
      say(`applying migration ${migration.name}`);
      await client.query('BEGIN');
      try {
        await client.query(
          'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)',
          [id, migration.checksum, migration.name],
        );
        await client.query(migration.sql);
        await client.query(
          'UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1',
          [id],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(
          `migration ${migration.name} failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      result.applied.push(migration.name);
    }
    return result;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => {});
    await client.end();
  }
}
