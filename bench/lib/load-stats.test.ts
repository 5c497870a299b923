import { describe, expect, it } from 'vitest';
import { percentile, windowCounts } from './load-stats.mjs';

describe('windowCounts', () => {
  it('counts per 1-s window from the first call and finds the fullest sliding window', () => {
    // 80 calls evenly in the first second, then 10 bunched at the start of the second one.
    const times = [
      ...Array.from({ length: 80 }, (_, i) => 5000 + i * 12.5),
      ...Array.from({ length: 10 }, (_, i) => 6000 + i),
    ];
    const result = windowCounts(times);
    expect(result.windows).toEqual([80, 10]);
    expect(result.max).toBe(80);
    // (5009, 6009] holds 79 + 10 calls: the sliding view catches what fixed windows hide.
    expect(result.slidingMax).toBe(89);
  });

  it('reports empty seconds as zero and handles no calls', () => {
    expect(windowCounts([0, 2500]).windows).toEqual([1, 0, 1]);
    expect(windowCounts([])).toEqual({ windows: [], max: 0, slidingMax: 0 });
  });
});

describe('percentile', () => {
  it('uses the nearest rank', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile(sorted, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNull();
  });
});
