export { type AccountRepository, createAccountRepository, type NewAccount } from './account-repository.js';
export { type ApiKeyRepository, createApiKeyRepository, type NewApiKey } from './api-key-repository.js';
export { type AuditEntry, type AuditLogRepository, createAuditLogRepository } from './audit-log-repository.js';
export {
  type BotChanges,
  type BotCiphers,
  type BotRepository,
  createBotRepository,
  type NewBot,
} from './bot-repository.js';
export {
  type BotToolChanges,
  type BotToolHeaders,
  type BotToolRepository,
  createBotToolRepository,
  type NewBotTool,
} from './bot-tool-repository.js';
export {
  type ConversationRepository,
  createConversationRepository,
  type NewOperatorMessage,
  type NewOutboundMedia,
  type NewTemplateSend,
  type UsageTotals,
} from './conversation-repository.js';
export {
  createDatabaseClient,
  createSqlPool,
  type Database,
  type DatabaseClientOptions,
  type DatabaseOrTransaction,
  type JsonInput,
  type SqlPool,
  type Transaction,
} from './create-database-client.js';
export { isUniqueViolation } from './database-errors.js';
export {
  BotStatus,
  ConversationControl,
  CredentialsStatus,
  HttpToolMethod,
  MediaFetchStatus,
  MembershipRole,
  MessageAuthor,
  MessageDirection,
  MessageStatus,
  ToolCallStatus,
} from './generated/prisma/enums.js';
export type * from './generated/prisma/models.js';
export {
  createInboundMediaRepository,
  type InboundAttachment,
  type InboundMediaRepository,
  type StoredFile,
  type Understanding,
} from './inbound-media-repository.js';
export {
  createInvitationRepository,
  type InvitationRepository,
  type NewInvitation,
} from './invitation-repository.js';
export { type Cursor, type KeysetField, type KeysetPage, keysetArgs } from './keyset-page.js';
export {
  type AppliedStatus,
  type ControlState,
  createMessageRepository,
  type DeliveryFailure,
  type HealthKind,
  type HealthStatus,
  type HistoryTurn,
  type InboundRecord,
  type InboundRow,
  type MessageRepository,
  type OutboundRow,
  type PartClaim,
  type PlannedPart,
  type RecordedInbound,
  type RetryFailure,
  type RetryState,
  type StatusRecord,
  TEAM_MARK,
  type TurnUsage,
} from './message-repository.js';
export { applyMigrations, databaseNameOf, ensureDatabase, listMigrations, type MigrationResult } from './migrate.js';
export { createOutboundMediaRepository, type OutboundMediaRepository } from './outbound-media-repository.js';
export { type PostgresProbe, pingPostgres } from './ping-postgres.js';
export { createRepositories, type DatabaseRepositories, type Repositories } from './repositories.js';
export { createSessionRepository, type SessionRepository } from './session-repository.js';
export { createSetupTokenRepository, type SetupTokenRepository } from './setup-token-repository.js';
export {
  createToolCallRepository,
  type NewToolCall,
  type ToolCallFilter,
  type ToolCallRepository,
} from './tool-call-repository.js';
export { createWorkspaceRepository, type WorkspaceRepository } from './workspace-repository.js';
