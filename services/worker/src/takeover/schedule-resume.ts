import { resumeJobId } from '@wabot/contracts';
import type { WorkerDeps } from '../worker-deps.js';

/**
 * Schedules the auto-resume of a handed-over conversation at `resumeAt` (a delayed job on the
 * outbound queue, one id per conversation and resume time). Best effort: a failure is logged and
 * the conversation stays with the person until resumed by the API.
 */
export async function scheduleResume(
  deps: Pick<WorkerDeps, 'outbound' | 'logger'>,
  botId: string,
  conversationId: string,
  resumeAt: Date | null,
): Promise<void> {
  if (!resumeAt) return;
  const job = { botId, conversationId, resumeAt: resumeAt.getTime() };
  try {
    await deps.outbound.add('resume-conversation', job, {
      jobId: resumeJobId(job),
      delay: Math.max(0, resumeAt.getTime() - Date.now()),
    });
  } catch (err) {
    deps.logger.error(
      { err, botId, conversationId },
      'could not schedule the auto-resume of a handed-over conversation',
    );
  }
}
