import type { SendMessageJob } from '@wabot/contracts';
import type { WorkerDeps } from '../worker-deps.js';
import { type SendStoredJobLike, sendStoredOutbound } from './send-stored-outbound.js';

/**
 * Queue outbound, job send-message: an operator's text message (admin API), stored pending
 * before the job was queued, sent like a bot reply part (rate limit, retries, statuses; Meta's
 * 131047 recorded as window_closed).
 */
export function handleSendMessage(
  deps: WorkerDeps,
  data: SendMessageJob,
  job: SendStoredJobLike,
): Promise<{ outcome: 'sent' | 'failed' | 'already_done' }> {
  return sendStoredOutbound(deps, data, job, 'operator message');
}
