export {
  createDatabaseClient,
  createSqlPool,
  type Database,
  type DatabaseClientOptions,
  type SqlPool,
} from './create-database-client.js';
export { Prisma } from './generated/prisma/client.js';
export {
  BotStatus,
  CredentialsStatus,
  MembershipRole,
  MessageDirection,
  MessageStatus,
} from './generated/prisma/enums.js';
export type * from './generated/prisma/models.js';
export { applyMigrations, databaseNameOf, ensureDatabase, listMigrations, type MigrationResult } from './migrate.js';
export { pingPostgres } from './ping-postgres.js';
