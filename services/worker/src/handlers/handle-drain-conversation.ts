import { parseJobData } from '@wabot/contracts';
import { parseStoredInbound } from '../inbox/stored-inbound.js';
import type { WorkerDeps } from '../worker-deps.js';
import { ConversationHeld } from './conversation-held.js';
import { processInboundMessage } from './process-inbound-message.js';

/** The part of a BullMQ job the drain needs. */
export interface DrainJob {
  id?: string | undefined;
  data: unknown;
}

export interface DrainResult {
  /** 'locked': another drain holds the conversation and will handle everything queued. */
  state: 'drained' | 'locked' | 'lock_lost' | 'handed_over';
  processed: number;
}

/**
 * Drains one conversation's inbox in arrival order under a per-conversation lock
 * (docs/adr/0004-pipeline-v2.md). Returns at once when another drain holds the lock. On an error
 * the lock is kept (it expires) so the job's own retry resumes first, in order.
 */
export async function handleDrainConversation(deps: WorkerDeps, job: DrainJob): Promise<DrainResult> {
  const { botId, userKey } = parseJobData('conversations', 'drain-conversation', job.data);
  const { inbox, registry, logger, metrics, config } = deps;
  const token = job.id ?? `anonymous-${process.pid}-${Date.now()}`;
  const ttl = config.CONVERSATION_LOCK_TTL_MS;
  // Lock and head in one round trip.
  const acquired = await inbox.acquire(botId, userKey, token, ttl, 1);
  if (acquired.state === 'locked') return { state: 'locked', processed: 0 };
  if (acquired.state === 'empty') return { state: 'drained', processed: 0 };

  let lost = false;
  const renewal = setInterval(
    () => {
      inbox.renew(botId, userKey, token, ttl).then(
        (held) => {
          if (!held) lost = true;
        },
        () => {},
      );
    },
    Math.floor(ttl / 3),
  );
  let processed = 0;
  let items = acquired.items;
  // A drain whose lock expired stops; since stage 1 adds no drain job while the lock is held,
  // it hands the rest to a fresh job (which finds the lock free, or held by the drain that took it).
  const lockLost = async () => {
    logger.warn({ botId, userKey }, 'conversation lock lost (expired while working); a new drain job continues');
    await handOver('lost');
    return { state: 'lock_lost' as const, processed };
  };
  const handOver = (why: string) =>
    deps.conversations.add(
      'drain-conversation',
      { botId, userKey },
      { jobId: `${token.replace(/-(handoff|lost)-\d+$/, '')}-${why}-${Date.now()}` },
    );
  try {
    for (;;) {
      if (lost) return await lockLost();
      if (deps.isClosing() && processed > 0) {
        // Shutting down: hand the rest of the conversation to another worker instead of
        // draining a long inbox past the shutdown deadline.
        await inbox.release(botId, userKey, token);
        await handOver('handoff');
        logger.info({ botId, userKey, processed }, 'shutting down: conversation handed over to another worker');
        return { state: 'handed_over', processed };
      }
      const [item] = items;
      if (!item) throw new Error('inbox returned no message');
      const bot = await registry.get(botId);
      const inbound = parseStoredInbound(item.data)?.message;
      if (!bot || !inbound) {
        logger.warn(
          { botId, messageId: item.messageId },
          bot ? 'inbox entry without message data: dropped' : 'bot no longer exists: queued message dropped',
        );
      } else {
        if (bot.credentialsStatus === 'invalid') {
          throw new ConversationHeld(config.CREDENTIALS_RECHECK_MS, 'credentials_invalid');
        }
        const outcome = await processInboundMessage(deps, bot, inbound);
        metrics.inbound.inc({ outcome });
        processed++;
      }
      const next = await inbox.removeAndNext(botId, userKey, [item.messageId], token, 1);
      if (next.state === 'released') return { state: 'drained', processed };
      if (next.state === 'lost') return await lockLost();
      items = next.items;
    }
  } catch (error) {
    if (error instanceof ConversationHeld) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`conversation ${botId}/${userKey}: ${reason}`, { cause: error });
  } finally {
    clearInterval(renewal);
  }
}
