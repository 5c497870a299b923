import type { OutboundRow } from '@wabot/db';
import { UnrecoverableError } from 'bullmq';
import { createOutboundLock } from '../delivery/outbound-lock.js';
import { markFailed, pairKey, sendOutbound } from '../delivery/send-outbound.js';
import type { WorkerDeps } from '../worker-deps.js';
import { ConversationHeld } from './conversation-held.js';
import { type AttemptedJob, isLastAttempt } from './job-attempts.js';

/** The part of a BullMQ job the send needs (its data comes parsed, as the second argument). */
export interface SendStoredJobLike extends AttemptedJob {
  id?: string | undefined;
}

type Sendable = Pick<OutboundRow, 'id' | 'type' | 'text' | 'metadata'>;

/**
 * Sends an outbound row stored before its job was queued (an operator's template send or text
 * message, the resume notice) through the same path as a bot reply part — rate limit, retries,
 * recorded status — and records the result on that row. A row no longer pending was handled by
 * an earlier attempt: nothing is sent twice. `toSendable` adjusts the row for its send.
 */
export async function sendStoredOutbound(
  deps: WorkerDeps,
  data: { botId: string; conversationId: string; messageId: string },
  job: SendStoredJobLike,
  what: string,
  toSendable: (row: Sendable) => Sendable = (row) => row,
): Promise<{ outcome: 'sent' | 'failed' | 'already_done' }> {
  const bot = await deps.registry.get(data.botId);
  if (!bot) throw new UnrecoverableError(`${what}: bot ${data.botId} does not exist`);
  if (bot.credentialsStatus === 'invalid')
    throw new ConversationHeld(deps.config.CREDENTIALS_RECHECK_MS, 'credentials_invalid');
  // Two jobs for one row (an operator retrying a dead letter while the first is still running)
  // must not both send: one holds this lock, the other waits and then finds the row done.
  const lock = createOutboundLock(deps.redis, deps.prefix);
  const token = `${what}-${job.id ?? process.pid}`;
  if (!(await lock.acquire(data.messageId, token, 60_000))) throw new ConversationHeld(1_000, 'busy');
  try {
    const row = await deps.store.findOutbound(data.messageId);
    if (!row || row.botId !== bot.id || row.conversationId !== data.conversationId) {
      throw new UnrecoverableError(`${what}: outbound message ${data.messageId} not found for this conversation`);
    }
    if (row.status !== 'pending') return { outcome: 'already_done' };
    const conversation = row.conversation;
    const recipient = conversation.waId ?? conversation.userId ?? conversation.userKey;
    const outcome = await sendOutbound(deps, bot, toSendable(row), recipient, {
      pairKeyId: conversation.userKey,
      checkUnrecorded: true,
      lastAttempt: isLastAttempt(job),
    });
    if (outcome === 'sent') await deps.redis.del(pairKey(deps.prefix, bot.id, conversation.userKey));
    deps.logger.info({ botId: bot.id, messageId: row.id, outcome }, `${what} finished`);
    return { outcome: outcome === 'sent' || outcome === 'failed' ? outcome : 'already_done' };
  } catch (error) {
    // A job ending for good leaves no row `pending`: it is `failed` with the reason.
    if (!(error instanceof ConversationHeld) && (error instanceof UnrecoverableError || isLastAttempt(job))) {
      const reason = error instanceof Error ? error.message : String(error);
      await markFailed(deps, bot, data.messageId, { code: null, title: 'send_failed', details: reason });
    }
    throw error;
  } finally {
    await lock.release(data.messageId, token);
  }
}
