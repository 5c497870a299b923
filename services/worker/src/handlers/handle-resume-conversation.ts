import type { ResumeConversationJob } from '@wabot/contracts';
import { publishControl, publishCreated } from '../takeover/live-events.js';
import type { WorkerDeps } from '../worker-deps.js';
import { type SendStoredJobLike, sendStoredOutbound } from './send-stored-outbound.js';

/**
 * Queue outbound, job resume-conversation (delayed until the conversation's resume time): gives
 * a handed-over conversation back to the bot exactly once fleet-wide — the conditional UPDATE
 * acts only while the conversation still has that resume time — and sends the bot's
 * `settings.handoff.notice` when set (its row is created in the same statement, so a retried
 * job sends the same row, once).
 */
export async function handleResumeConversation(
  deps: WorkerDeps,
  data: ResumeConversationJob,
  job: SendStoredJobLike,
): Promise<{ resumed: boolean; notice: 'sent' | 'failed' | 'already_done' | 'none' }> {
  const bot = await deps.registry.get(data.botId);
  const notice = bot?.settings.handoff.notice ?? null;
  const { resumed, noticeId } = await deps.store.resumeIfDue(data.conversationId, new Date(data.resumeAt), notice);
  if (resumed && bot) {
    await publishControl(deps, bot, resumed, 'auto_resume');
    if (noticeId) await publishCreated(deps, bot, data.conversationId, [noticeId]);
  }
  if (resumed) {
    deps.metrics.controlChanges.inc({ trigger: 'auto_resume' });
    deps.logger.info(
      { botId: data.botId, conversationId: data.conversationId },
      'auto-resume: the bot answers this conversation again',
    );
  }
  if (!noticeId) return { resumed: resumed !== null, notice: 'none' };
  const sent = await sendStoredOutbound(
    deps,
    { botId: data.botId, conversationId: data.conversationId, messageId: noticeId },
    job,
    'resume notice',
  );
  return { resumed: resumed !== null, notice: sent.outcome };
}
