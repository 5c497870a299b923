import type { Database } from './create-database-client.js';

/** What the readiness probe needs of the client (a `Database` is one). */
export type PostgresProbe = Pick<Database, '$queryRaw'>;

/** Readiness probe for PostgreSQL: true when `SELECT 1` answers. Never throws. */
export async function pingPostgres(db: PostgresProbe): Promise<boolean> {
  try {
    await db.$queryRaw`SELECT 1`;
    return true;
  } catch {
    return false;
  }
}
