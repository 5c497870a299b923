export interface PairRateBackOffOptions {
  /** One unit of the back-off (Meta: one second; tests shorten it). */
  baseMs?: number;
  /** Longest hold; 300 units (5 min at the default unit) unless given. */
  capMs?: number;
}

/**
 * Meta's advice for 131056 (pair rate limit: too many messages to one user): retry that user
 * after 4^X seconds, X = 0, 1, 2, ... `attempt` is the number of consecutive hits, from 1
 * (→ 1, 4, 16, 64, 256 units), capped at `capMs`. A non-finite or smaller attempt counts as 1.
 * https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes
 */
export function pairRateLimitDelayMs(
  attempt: number,
  { baseMs = 1000, capMs = 300 * baseMs }: PairRateBackOffOptions = {},
): number {
  const exponent = Math.max(0, Math.floor(Number.isFinite(attempt) ? attempt : 1) - 1);
  return Math.min(capMs, baseMs * 4 ** Math.min(exponent, 20));
}
