import { setTimeout as sleep } from 'node:timers/promises';

/** The budget ran out: `cause` is the last attempt's error. */
export class RetryBudgetExhausted extends Error {
  constructor(
    readonly attempts: number,
    readonly elapsedMs: number,
    override readonly cause: unknown,
  ) {
    super(
      `gave up after ${attempts} attempts over ${elapsedMs} ms: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
    this.name = 'RetryBudgetExhausted';
  }
}

/** `signal` was aborted between attempts (shutting down): `cause` is the last attempt's error. */
export class RetriesStopped extends Error {
  constructor(override readonly cause: unknown) {
    super('retries stopped (shutting down)', { cause });
    this.name = 'RetriesStopped';
  }
}

export interface RetryInProcessOptions {
  /** Longest time from the first attempt's start after which no further attempt is made. */
  budgetMs: number;
  /** First back-off; each next one doubles, up to `capMs`. */
  baseMs: number;
  capMs: number;
  /**
   * The cap of the back-off after this error, when lower than `capMs` (an unreachable dependency:
   * retried about this soon, so the shard resumes quickly once it is back).
   */
  capFor?: (error: unknown) => number | null;
  /** Errors that are thrown at once, without a retry (a malformed job). */
  isPermanent: (error: unknown) => boolean;
  /** Aborted: no further attempt; a back-off under way ends at once. */
  signal?: AbortSignal;
  /** Told before each back-off (to count, log, or report how long this has been failing). */
  onRetry?: (retry: { attempt: number; delayMs: number; error: unknown; firstAttemptAt: number }) => void;
}

/**
 * Runs `attempt` until it resolves, backing off in process (doubling from `baseMs`, capped at
 * `capMs`, never past the budget) — so the caller keeps its place, unlike a retry through a
 * queue's delayed set. Rejects with the permanent error as is, {@link RetryBudgetExhausted} once
 * the budget is spent, or {@link RetriesStopped} when `signal` aborts.
 */
export async function retryInProcess<T>(attempt: () => Promise<T>, options: RetryInProcessOptions): Promise<T> {
  const { budgetMs, baseMs, isPermanent, signal, onRetry } = options;
  const firstAttemptAt = Date.now();
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (isPermanent(error)) throw error;
      const elapsedMs = Date.now() - firstAttemptAt;
      const remainingMs = budgetMs - elapsedMs;
      if (remainingMs <= 0) throw new RetryBudgetExhausted(n, elapsedMs, error);
      if (signal?.aborted) throw new RetriesStopped(error);
      const capMs = Math.min(options.capMs, options.capFor?.(error) ?? options.capMs);
      const delayMs = Math.min(capMs, baseMs * 2 ** Math.min(n - 1, 30), remainingMs);
      onRetry?.({ attempt: n, delayMs, error, firstAttemptAt });
      try {
        await sleep(delayMs, undefined, signal ? { signal } : {});
      } catch {
        throw new RetriesStopped(error);
      }
    }
  }
}
