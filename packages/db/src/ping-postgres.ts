import type { Database } from './create-database-client.js';

/**
 * Readiness probe for PostgreSQL: true when `SELECT 1` answers within `timeoutMs`. Never throws, so
 * a down or hanging database makes /readyz answer 503 at once instead of hanging the probe.
 */
export async function pingPostgres(db: Pick<Database, '$queryRaw'>, timeoutMs = 1_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      db.$queryRaw`SELECT 1`,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
