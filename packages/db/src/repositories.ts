import { type AccountRepository, createAccountRepository } from './account-repository.js';
import { type ApiKeyRepository, createApiKeyRepository } from './api-key-repository.js';
import { type AuditLogRepository, createAuditLogRepository } from './audit-log-repository.js';
import { type BotRepository, createBotRepository } from './bot-repository.js';
import { type BotToolRepository, createBotToolRepository } from './bot-tool-repository.js';
import { type ConversationRepository, createConversationRepository } from './conversation-repository.js';
import type { Database, DatabaseOrTransaction } from './create-database-client.js';
import { createInboundMediaRepository, type InboundMediaRepository } from './inbound-media-repository.js';
import { createInvitationRepository, type InvitationRepository } from './invitation-repository.js';
import { pingPostgres } from './ping-postgres.js';
import { createSessionRepository, type SessionRepository } from './session-repository.js';
import { createSetupTokenRepository, type SetupTokenRepository } from './setup-token-repository.js';
import { createToolCallRepository, type ToolCallRepository } from './tool-call-repository.js';
import { createWorkspaceRepository, type WorkspaceRepository } from './workspace-repository.js';

/** The repositories of the control plane, all on one client or all in one transaction. */
export interface Repositories {
  bots: BotRepository;
  workspaces: WorkspaceRepository;
  conversations: ConversationRepository;
  auditLog: AuditLogRepository;
  tools: BotToolRepository;
  toolCalls: ToolCallRepository;
  accounts: AccountRepository;
  sessions: SessionRepository;
  apiKeys: ApiKeyRepository;
  invitations: InvitationRepository;
  setupToken: SetupTokenRepository;
  media: InboundMediaRepository;
}

/** {@link Repositories} on the client, plus transactions and the readiness probe. */
export interface DatabaseRepositories extends Repositories {
  /**
   * Runs `work` in one transaction with repositories bound to it: everything it writes commits
   * together, or nothing does when it throws (the error is rethrown).
   */
  transaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T>;
  /** True when PostgreSQL answers. Never throws. */
  ping(): Promise<boolean>;
}

const bind = (db: DatabaseOrTransaction): Repositories => ({
  bots: createBotRepository(db),
  workspaces: createWorkspaceRepository(db),
  conversations: createConversationRepository(db),
  auditLog: createAuditLogRepository(db),
  tools: createBotToolRepository(db),
  toolCalls: createToolCallRepository(db),
  accounts: createAccountRepository(db),
  sessions: createSessionRepository(db),
  apiKeys: createApiKeyRepository(db),
  invitations: createInvitationRepository(db),
  setupToken: createSetupTokenRepository(db),
  media: createInboundMediaRepository(db),
});

/** Every repository over `db`; what a service's app factory takes instead of the client. */
export function createRepositories(db: Database): DatabaseRepositories {
  return {
    ...bind(db),
    transaction: (work) => db.$transaction((tx) => work(bind(tx))),
    ping: () => pingPostgres(db),
  };
}
