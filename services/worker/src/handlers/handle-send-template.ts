import type { SendTemplateJob } from '@wabot/contracts';
import type { WorkerDeps } from '../worker-deps.js';
import { type SendStoredJobLike, sendStoredOutbound } from './send-stored-outbound.js';

/** The part of a BullMQ job the send needs (its data comes parsed, as the second argument). */
export type SendTemplateJobLike = SendStoredJobLike;

/**
 * Queue outbound, job send-template: sends the approved template an operator asked for (admin
 * API) for the pending outbound row it created, and records the result on that row. Templates
 * are allowed outside the 24-hour window, so no window check. A row no longer pending was
 * handled by an earlier attempt: nothing is sent twice. A job that fails for good (its last
 * attempt, or an unrecoverable error) records its row `failed` with the reason before it becomes
 * a dead letter, so no dead-lettered template shows `pending`.
 */
export function handleSendTemplate(
  deps: WorkerDeps,
  data: SendTemplateJob,
  job: SendTemplateJobLike,
): Promise<{ outcome: 'sent' | 'failed' | 'already_done' }> {
  // The job carries the template the operator chose; the row records the outcome.
  return sendStoredOutbound(deps, data, job, 'send-template', (row) => ({
    ...row,
    type: 'template',
    metadata: { template: data.template },
  }));
}
