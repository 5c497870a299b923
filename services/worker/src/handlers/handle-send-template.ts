import type { SendTemplateJob } from '@wabot/contracts';
import { UnrecoverableError } from 'bullmq';
import { createOutboundLock } from '../delivery/outbound-lock.js';
import { pairKey, sendOutbound } from '../delivery/send-outbound.js';
import type { WorkerDeps } from '../worker-deps.js';
import { ConversationHeld } from './conversation-held.js';
import { type AttemptedJob, isLastAttempt } from './job-attempts.js';

/** The part of a BullMQ job the send needs (its data comes parsed, as the second argument). */
export interface SendTemplateJobLike extends AttemptedJob {
  id?: string | undefined;
}

/**
 * Queue outbound, job send-template: sends the approved template an operator asked for (admin
 * API) for the pending outbound row it created, and records the result on that row. Templates
 * are allowed outside the 24-hour window, so no window check. A row no longer pending was
 * handled by an earlier attempt: nothing is sent twice. A job that fails for good (its last
 * attempt, or an unrecoverable error) records its row `failed` with the reason before it becomes
 * a dead letter, so no dead-lettered template shows `pending`.
 */
export async function handleSendTemplate(
  deps: WorkerDeps,
  data: SendTemplateJob,
  job: SendTemplateJobLike,
): Promise<{ outcome: 'sent' | 'failed' | 'already_done' }> {
  const bot = await deps.registry.get(data.botId);
  if (!bot) throw new UnrecoverableError(`send-template: bot ${data.botId} does not exist`);
  if (bot.credentialsStatus === 'invalid')
    throw new ConversationHeld(deps.config.CREDENTIALS_RECHECK_MS, 'credentials_invalid');
  // Two jobs for one row (an operator retrying a dead letter while the first is still running)
  // must not both send: one holds this lock, the other waits and then finds the row done.
  const lock = createOutboundLock(deps.redis, deps.prefix);
  const token = `template-${job.id ?? process.pid}`;
  if (!(await lock.acquire(data.messageId, token, 60_000))) throw new ConversationHeld(1_000, 'busy');
  try {
    const row = await deps.store.findOutbound(data.messageId);
    if (!row || row.botId !== bot.id || row.conversationId !== data.conversationId) {
      throw new UnrecoverableError(`send-template: outbound message ${data.messageId} not found for this conversation`);
    }
    if (row.status !== 'pending') return { outcome: 'already_done' };
    const conversation = row.conversation;
    const recipient = conversation.waId ?? conversation.userId ?? conversation.userKey;
    // The job carries the template the operator chose; the row records the outcome.
    const withTemplate = { ...row, type: 'template', metadata: { template: data.template } };
    const outcome = await sendOutbound(deps, bot, withTemplate, recipient, {
      pairKeyId: conversation.userKey,
      checkUnrecorded: true,
      lastAttempt: isLastAttempt(job),
    });
    if (outcome === 'sent') await deps.redis.del(pairKey(deps.prefix, bot.id, conversation.userKey));
    deps.logger.info({ botId: bot.id, messageId: row.id, outcome }, 'operator template send finished');
    return { outcome };
  } catch (error) {
    if (!(error instanceof ConversationHeld) && (error instanceof UnrecoverableError || isLastAttempt(job))) {
      const reason = error instanceof Error ? error.message : String(error);
      await deps.store.markFailed(data.messageId, { code: null, title: 'send_failed', details: reason });
    }
    throw error;
  } finally {
    await lock.release(data.messageId, token);
  }
}
