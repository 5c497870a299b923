import type { Database } from './create-database-client.js';

/** Readiness probe for PostgreSQL: true when `SELECT 1` answers. Never throws. */
export async function pingPostgres(db: Pick<Database, '$queryRaw'>): Promise<boolean> {
  try {
    await db.$queryRaw`SELECT 1`;
    return true;
  } catch {
    return false;
  }
}
