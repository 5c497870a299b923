import type { BotRuntime } from '@wabot/bot-registry';
import type { DrainConversationJob } from '@wabot/contracts';
import type { InboxItem } from '../inbox/conversation-inbox.js';
import { parseStoredInbound } from '../inbox/stored-inbound.js';
import type { WorkerDeps } from '../worker-deps.js';
import { ConversationHeld } from './conversation-held.js';
import { type AttemptedJob, isLastAttempt } from './job-attempts.js';
import { processTurn, type TurnMessage } from './process-turn.js';

/** The part of a BullMQ job the drain needs (its data comes parsed, as the second argument). */
export interface DrainJob extends AttemptedJob {
  id?: string | undefined;
}

export interface DrainResult {
  /** 'locked': another drain holds the conversation and will handle everything queued. */
  state: 'drained' | 'locked' | 'lock_lost' | 'handed_over';
  /** Messages done (answered, stored without a reply, or skipped as duplicates). */
  processed: number;
}

/**
 * Drains one conversation's inbox in arrival order under a per-conversation lock
 * (docs/adr/0004-pipeline-v2.md), one turn at a time ({@link processTurn}). Returns at once when
 * another drain holds the lock. A turn still collecting messages (bot settings.turn) keeps the
 * lock and moves the job to BullMQ's delayed set ({@link ConversationHeld} 'turn_waiting'): the
 * messages arriving meanwhile land in the inbox, the lock tells stage 1 that no drain job is
 * needed, and the woken job (same id, so the same lock token) re-reads the inbox. On an error the
 * lock is kept (it expires) so the job's own retry resumes first, in order.
 */
export async function handleDrainConversation(
  deps: WorkerDeps,
  { botId, userKey }: DrainConversationJob,
  job: DrainJob,
): Promise<DrainResult> {
  const { inbox, registry, logger, metrics, config } = deps;
  const token = job.id ?? `anonymous-${process.pid}-${Date.now()}`;
  const ttl = config.CONVERSATION_LOCK_TTL_MS;
  // A bot answering bursts reads up to a turn's worth of messages at once; otherwise one.
  const limitFor = (bot: BotRuntime | null) =>
    (bot?.settings.turn.debounce_ms ?? 0) > 0 ? config.TURN_MAX_MESSAGES : 1;
  const acquired = await inbox.acquire(botId, userKey, token, ttl, limitFor(await registry.get(botId)));
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
  let items: InboxItem[] = acquired.items;
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
  const context = {
    inboxSize: () => inbox.size(botId, userKey),
    supersedePollMs: config.TURN_POLL_MS,
    lastAttempt: isLastAttempt(job),
  };
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
      const bot = await registry.get(botId);
      const messages: TurnMessage[] = [];
      const unreadable: string[] = [];
      for (const item of items) {
        const stored = parseStoredInbound(item.data);
        if (stored) messages.push({ ...stored, fresh: item.fresh });
        else unreadable.push(item.messageId);
      }
      let done: string[];
      if (!bot || unreadable.length > 0) {
        // Dropped: a message of a deleted bot, or an entry that is not a stored message.
        logger.warn(
          { botId, messageIds: bot ? unreadable : items.map((i) => i.messageId) },
          bot ? 'inbox entry without message data: dropped' : 'bot no longer exists: queued message dropped',
        );
        done = bot ? unreadable : items.map((i) => i.messageId);
      } else {
        if (bot.credentialsStatus === 'invalid') {
          throw new ConversationHeld(config.CREDENTIALS_RECHECK_MS, 'credentials_invalid');
        }
        const result = await processTurn(deps, bot, messages, context);
        if (result.state === 'wait') {
          // Keep the conversation while the turn collects messages, past the job's delay.
          if (!(await inbox.renew(botId, userKey, token, result.delayMs + ttl))) return await lockLost();
          throw new ConversationHeld(result.delayMs, 'turn_waiting');
        }
        if (result.state === 'superseded') {
          const again = await inbox.acquire(botId, userKey, token, ttl, limitFor(bot));
          if (again.state !== 'items') return await lockLost();
          items = again.items;
          continue;
        }
        done = result.messageIds;
        metrics.inbound.inc({ outcome: result.outcome }, done.length);
        processed += done.length;
      }
      const next = await inbox.removeAndNext(botId, userKey, done, token, limitFor(bot));
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
