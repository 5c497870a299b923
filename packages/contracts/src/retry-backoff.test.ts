import { describe, expect, it } from 'vitest';
import {
  CAPPED_EXPONENTIAL,
  cappedExponentialDelay,
  queueDefinitions,
  RETRY_BACKOFF_CAP_MS,
  retrySpanMs,
} from './queues.js';

describe('capped exponential back-off', () => {
  it('doubles from the base and never waits longer than the cap', () => {
    expect([1, 2, 3, 4].map((n) => cappedExponentialDelay(n, 250))).toEqual([250, 500, 1000, 2000]);
    expect(cappedExponentialDelay(9, 250)).toBe(RETRY_BACKOFF_CAP_MS);
    expect(cappedExponentialDelay(1000, 250)).toBe(RETRY_BACKOFF_CAP_MS);
  });

  it('bounds the retried queues to minutes, not days (issue 15: 20 doubling retries were about 36 h)', () => {
    expect(queueDefinitions.conversations.defaultJobOptions.backoff.type).toBe(CAPPED_EXPONENTIAL);
    expect(queueDefinitions.outbound.defaultJobOptions.backoff.type).toBe(CAPPED_EXPONENTIAL);
    // Longer than the worker's default DELIVERY_RETRY_BUDGET_MS (5 min), so the budget decides first.
    expect(retrySpanMs('conversations')).toBeGreaterThan(5 * 60_000);
    expect(retrySpanMs('conversations')).toBeLessThan(10 * 60_000);
    expect(retrySpanMs('outbound')).toBeLessThan(5 * 60_000);
  });
});
