import { describe, expect, it } from 'vitest';
import { pairRateLimitDelayMs } from './pair-rate-back-off.js';

describe('pairRateLimitDelayMs', () => {
  it('follows 4^X seconds with a cap', () => {
    expect([1, 2, 3, 4, 5].map((a) => pairRateLimitDelayMs(a))).toEqual([1000, 4000, 16_000, 64_000, 256_000]);
    expect(pairRateLimitDelayMs(6)).toBe(300_000);
    expect(pairRateLimitDelayMs(10)).toBe(300_000);
  });

  it('counts in the given unit, capped at 300 units unless told', () => {
    expect([1, 2, 3].map((a) => pairRateLimitDelayMs(a, { baseMs: 50 }))).toEqual([50, 200, 800]);
    expect(pairRateLimitDelayMs(20, { baseMs: 50 })).toBe(15_000);
    expect(pairRateLimitDelayMs(3, { baseMs: 50, capMs: 500 })).toBe(500);
  });

  it('treats a first, zero or nonsense attempt as the first hit', () => {
    expect(pairRateLimitDelayMs(0)).toBe(1000);
    expect(pairRateLimitDelayMs(Number.NaN)).toBe(1000);
  });
});
