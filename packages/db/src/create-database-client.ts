import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/prisma/client.js';

export interface DatabaseClientOptions {
  /** Connections in this process's pool. */
  poolSize?: number;
}

/** The one way to open the database: Prisma's generated client over node-postgres (driver adapter). */
export function createDatabaseClient(databaseUrl: string, { poolSize = 10 }: DatabaseClientOptions = {}): PrismaClient {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: poolSize, connectionTimeoutMillis: 5_000 });
  return new PrismaClient({ adapter });
}

/** A node-postgres pool for hot paths that send their own parameterised SQL (no Prisma on the way). */
export type SqlPool = pg.Pool;

/** A node-postgres pool of at most `max` connections; end it with `pool.end()`. */
export function createSqlPool(databaseUrl: string, { max = 10 }: { max?: number } = {}): SqlPool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max, connectionTimeoutMillis: 5_000 });
  // An idle connection dropped by the server must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  return pool;
}

export type Database = PrismaClient;
