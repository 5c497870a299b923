import type { BotDiagnosticsStore, BotRegistry } from '@wabot/bot-registry';
import type { BotRepository, MessageRepository, OutboundMediaRepository } from '@wabot/db';
import type { Logger } from '@wabot/logger';
import type { MediaFiles } from '@wabot/outbound-media';
import type { LiveEventPublisher, RedisClient, TypedProducer } from '@wabot/queue';
import type { GraphClient } from '@wabot/whatsapp';
import type { WorkerConfig } from './config.js';
import type { BotHealth } from './delivery/bot-health.js';
import type { GraphDelivery } from './delivery/graph-delivery.js';
import type { BotEngine } from './engine/bot-engine.js';
import type { BotTools } from './engine/http-tools/bot-tools.js';
import type { ConversationInbox } from './inbox/conversation-inbox.js';
import type { MediaDeps } from './media/turn-media.js';
import type { WorkerMetrics } from './metrics.js';

/** The tuning values the handlers read. */
type HandlerConfig = Pick<
  WorkerConfig,
  | 'CONVERSATION_LOCK_TTL_MS'
  | 'READ_RECEIPT_WAIT_MS'
  | 'TURN_MAX_MESSAGES'
  | 'TURN_POLL_MS'
  | 'TYPING_REFRESH_MS'
  | 'PAIR_RATE_BASE_MS'
  | 'CREDENTIALS_RECHECK_MS'
  | 'RECORD_SENT_RETRIES'
  | 'RECORD_SENT_RETRY_BASE_MS'
  | 'DELIVERY_RETRY_BUDGET_MS'
  | 'MEDIA_BUDGET_MS'
  | 'MEDIA_FETCH_ATTEMPTS'
  | 'LLM_BASE_URL'
  | 'LLM_API_KEY'
  | 'LLM_MODEL'
  | 'LLM_TIMEOUT_MS'
  | 'LLM_RETRIES'
  | 'LLM_RETRY_BASE_MS'
  | 'SEND_IN_FLIGHT_WAIT_MS'
  | 'OUTAGE_RETRY_MS'
  | 'ENGINE_TURN_TIMEOUT_MS'
  | 'TAKEOVER_SWEEP_MS'
  | 'HANDOFF_POLL_MS'
  | 'RESUME_SWEEP_GRACE_MS'
>;

/** Everything a job handler needs, passed explicitly (tests build it with real Redis/PostgreSQL and fakes). */
export interface WorkerDeps {
  config: HandlerConfig;
  logger: Logger;
  /** Redis key prefix (REDIS_PREFIX). */
  prefix: string;
  /** A general-purpose Redis connection (not the workers' blocking ones). */
  redis: RedisClient;
  registry: BotRegistry;
  /** Per-bot webhook diagnostics (events for numbers a bot does not own are counted there). */
  diagnostics: BotDiagnosticsStore;
  store: MessageRepository;
  /** Bot rows: the worker flags credentials Meta rejected. */
  bots: Pick<BotRepository, 'flagCredentialsInvalid'>;
  inbox: ConversationInbox;
  graph: GraphClient;
  delivery: GraphDelivery;
  engine: BotEngine;
  /** Inbound media: the files' rows, MEDIA_STORE, the Graph media retrieval and speech to text (STT_*). */
  media: MediaDeps['media'];
  /** The bots' HTTP tools: loaded for the engine, their calls recorded on the turn. */
  tools: BotTools;
  /** Operators' uploaded files: their rows and the store (MEDIA_STORE) holding the bytes. */
  outboundMedia: { records: OutboundMediaRepository; files: MediaFiles };
  metrics: WorkerMetrics;
  /** The bot's LLM / Graph API health as the API shows it (`health` of GET /api/bots/:id). */
  health: BotHealth;
  conversations: TypedProducer<'conversations'>;
  /** Jobs of the outbound queue the worker schedules itself (auto-resume of handed-over conversations). */
  outbound: TypedProducer<'outbound'>;
  /** The workspaces' live event streams (message.created, message.status, conversation.control, handoff.waiting). */
  events: LiveEventPublisher;
  /** True once the process is shutting down: long drains hand their conversation over. */
  isClosing: () => boolean;
}
