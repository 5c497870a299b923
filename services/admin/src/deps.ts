import type { DatabaseRepositories } from '@wabot/db';
import type { Logger } from '@wabot/logger';
import type { MediaStore } from '@wabot/media-store';
import type { MediaFiles } from '@wabot/outbound-media';
import type { LiveEventPublisher, RedisClient, TypedProducer } from '@wabot/queue';
import type { SecretBox } from '@wabot/secrets';
import type { Registry } from 'prom-client';
import type { JwtVerifier } from './auth/jwt-verifier.js';
import type { AdminConfig } from './config.js';
import type { LiveEventHub } from './live/live-event-hub.js';
import type { DeadLetterQueues } from './queues.js';

/** Everything the admin app needs, built by main.ts (or a test) and passed to `buildApp`. */
export interface AdminDeps {
  config: AdminConfig;
  logger: Logger;
  /** PostgreSQL, through the repositories of @wabot/db (with transactions and the readiness probe). */
  repositories: DatabaseRepositories;
  /** Publishes bot changes, stores rate-limit counters, answers readiness. */
  redis: RedisClient;
  secretBox: SecretBox;
  /** MEDIA_STORE, where the worker keeps inbound files (GET /api/messages/:id/media reads them). */
  mediaStore: MediaStore;
  /** Producer of the `outbound` queue (operator template sends). */
  outbound: TypedProducer<'outbound'>;
  /** The worker queues (physical, per logical name) whose failed jobs are listed and retried as dead letters. */
  deadLetterQueues: DeadLetterQueues;
  metrics: Registry;
  /** Writes the workspaces' live events (handoff, resume, assignment, operator messages). */
  events: LiveEventPublisher;
  /** Reads them for GET /api/events. */
  liveEvents: LiveEventHub;
  /** Operators' uploaded files; defaults to the local directory MEDIA_STORE. */
  mediaFiles?: MediaFiles;
  /** Defaults to HS256/JWKS verification from `config`. */
  verifyJwt?: JwtVerifier;
  /** True while main.ts is shutting down (readiness answers 503). */
  isShuttingDown?: () => boolean;
}
