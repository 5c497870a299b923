import { resumeJobId } from '@wabot/contracts';
import type { WorkerDeps } from '../worker-deps.js';

/**
 * The human-takeover sweep every worker runs every TAKEOVER_SWEEP_MS (a timer of its own, not a
 * job in Redis, so it survives losing Redis's data). Safe in any number of workers at once:
 * - an unassigned handoff past its bot's `settings.handoff.unassigned_alert_after_s` raises
 *   `handoff.waiting`: the statement that picks it marks it, so once per handoff fleet-wide;
 * - a conversation still a person's RESUME_SWEEP_GRACE_MS after its `resume_at` lost its resume
 *   job (Redis lost it) or the job is very late: the job is added again under its own id (a
 *   second add is a no-op), and the resume itself happens once whichever job runs first (the
 *   conditional UPDATE of MessageRepository.resumeIfDue).
 */
export async function sweepTakeover(
  deps: Pick<WorkerDeps, 'store' | 'events' | 'outbound' | 'metrics' | 'logger' | 'config'>,
): Promise<{ alerts: number; resumes: number }> {
  const alerts = await deps.store.claimWaitingAlerts();
  for (const alert of alerts) {
    deps.metrics.handoffWaitingAlerts.inc();
    deps.logger.warn(
      { botId: alert.botId, conversationId: alert.conversationId, ageS: Math.round(alert.ageS) },
      `a handoff has waited ${Math.round(alert.ageS)} s for a person (threshold ${alert.thresholdS} s)`,
    );
  }
  await deps.events.publish(
    ...alerts.map((alert) => ({
      type: 'handoff.waiting' as const,
      workspace_id: alert.workspaceId,
      bot_id: alert.botId,
      conversation_id: alert.conversationId,
      since: alert.since.toISOString(),
      age_s: Math.max(0, Math.round(alert.ageS * 1000) / 1000),
      threshold_s: alert.thresholdS,
    })),
  );
  const overdue = await deps.store.overdueResumes(deps.config.RESUME_SWEEP_GRACE_MS);
  for (const conversation of overdue) {
    const job = {
      botId: conversation.botId,
      conversationId: conversation.conversationId,
      resumeAt: conversation.resumeAt.getTime(),
    };
    await deps.outbound.add('resume-conversation', job, { jobId: `${resumeJobId(job)}-swept` });
    deps.metrics.resumesSwept.inc();
    deps.logger.warn(
      { botId: job.botId, conversationId: job.conversationId, resumeAt: conversation.resumeAt.toISOString() },
      'conversation still with a person past its resume time (its resume job was lost?): resume job added again',
    );
  }
  return { alerts: alerts.length, resumes: overdue.length };
}

/** Runs {@link sweepTakeover} every TAKEOVER_SWEEP_MS (never two at once in one process) until stopped. */
export function startTakeoverSweep(deps: Parameters<typeof sweepTakeover>[0]): { stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  const schedule = () => {
    if (stopped) return;
    // A little jitter so the workers of a fleet started together do not sweep in step.
    const delay = deps.config.TAKEOVER_SWEEP_MS * (0.75 + Math.random() * 0.5);
    timer = setTimeout(() => {
      running = sweepTakeover(deps)
        .catch((err: unknown) => deps.logger.warn({ err }, 'takeover sweep failed; trying again next time'))
        .finally(schedule);
    }, delay);
    timer.unref();
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
