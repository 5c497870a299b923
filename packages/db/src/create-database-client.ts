import { PrismaPg } from '@prisma/adapter-pg';
import { createConnectionErrorLog, type Logger } from '@wabot/logger';
import pg from 'pg';
import { type Prisma, PrismaClient } from './generated/prisma/client.js';

export interface DatabaseClientOptions {
  /** Connections in this process's pool. */
  poolSize?: number;
  /**
   * Where the pool's connection errors are logged: the first at warn, then no more (the adapter
   * owns the pool and reports no reconnect, so there is no recovery to re-arm on). Without one
   * the adapter swallows them.
   */
  logger?: Logger;
}

/** The one way to open the database: Prisma's generated client over node-postgres (driver adapter). */
export function createDatabaseClient(
  databaseUrl: string,
  { poolSize = 10, logger }: DatabaseClientOptions = {},
): PrismaClient {
  const log = logger ? createConnectionErrorLog(logger, 'pg pool (prisma)') : undefined;
  const adapter = new PrismaPg(
    { connectionString: databaseUrl, max: poolSize, connectionTimeoutMillis: 5_000 },
    log ? { onPoolError: log.error, onConnectionError: log.error } : undefined,
  );
  return new PrismaClient({ adapter });
}

/** A node-postgres pool for hot paths that send their own parameterised SQL (no Prisma on the way). */
export type SqlPool = pg.Pool;

export interface SqlPoolOptions {
  /** Most connections (default 10). */
  max?: number;
  /**
   * Where connection errors go: the first `error` after the pool was healthy at warn, then again
   * only after a connection was made again. Without one they are only kept from crashing the process.
   */
  logger?: Logger;
  /** How the pool is named in the log. */
  name?: string;
}

/** A node-postgres pool of at most `max` connections; end it with `pool.end()`. */
export function createSqlPool(
  databaseUrl: string,
  { max = 10, logger, name = 'pg pool' }: SqlPoolOptions = {},
): SqlPool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max, connectionTimeoutMillis: 5_000 });
  // An idle connection dropped by the server must not crash the process; the next query reconnects.
  if (logger) {
    const log = createConnectionErrorLog(logger, name);
    pool.on('error', log.error);
    pool.on('connect', log.recovered);
  } else {
    pool.on('error', () => {});
  }
  return pool;
}

export type Database = PrismaClient;

/** A transaction's client: the same model access as {@link Database}, inside one transaction. */
export type Transaction = Prisma.TransactionClient;

/** What a repository runs its queries on: the client, or a transaction of it. */
export type DatabaseOrTransaction = Database | Transaction;

/** A value for a JSON column. */
export type JsonInput = Prisma.InputJsonValue;
