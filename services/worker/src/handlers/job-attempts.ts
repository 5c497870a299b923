/** The part of a BullMQ job that says how many attempts it has had and may have. */
export interface AttemptedJob {
  attemptsMade?: number;
  opts?: { attempts?: number | undefined };
}

/**
 * True when a failure now ends the job for good (BullMQ's `attemptsMade` counts failed attempts,
 * not holds): the message it is about must be recorded `failed` now, not left `pending`.
 */
export const isLastAttempt = (job: AttemptedJob): boolean => (job.attemptsMade ?? 0) + 1 >= (job.opts?.attempts ?? 1);
