import { PrismaPg } from '@prisma/adapter-pg';
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

export type Database = PrismaClient;
