import type { Repositories } from '@wabot/db';
import type { Logger } from '@wabot/logger';
import {
  createLiveEventPublisher,
  createLiveEventReader,
  createRedisConnection,
  type LiveEventPublisher,
  type RedisClient,
  type RedisTarget,
} from '@wabot/queue';
import { createLiveEventHub, type LiveEventHub } from './live-event-hub.js';

/**
 * The admin's live events (docs/contract.md, Live events): the publisher its routes write with,
 * on the shared connection, and the hub GET /api/events reads through, one blocking connection
 * per workspace being watched.
 */
export function createAdminLiveEvents(options: {
  redis: RedisClient;
  target: string | RedisTarget;
  prefix: string;
  repositories: Pick<Repositories, 'conversations'>;
  logger: Logger;
}): { events: LiveEventPublisher; liveEvents: LiveEventHub } {
  const { redis, target, prefix, repositories, logger } = options;
  return {
    events: createLiveEventPublisher(redis, prefix, {
      onError: (err, event) =>
        logger.warn({ err, event: event.type, conversationId: event.conversation_id }, 'live event not published'),
    }),
    liveEvents: createLiveEventHub({
      reader: createLiveEventReader(redis, prefix),
      openBlocking: () => createRedisConnection(target, 'worker', { connectionName: 'wabot-admin-events' }, logger),
      repositories,
      logger,
    }),
  };
}
