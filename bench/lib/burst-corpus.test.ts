import { describe, expect, it } from 'vitest';
import { burstCorpus } from './burst-corpus.mjs';

describe('burstCorpus', () => {
  it('is the same timetable for the same seed, and another for another seed', () => {
    expect(burstCorpus({ users: 50 })).toEqual(burstCorpus({ users: 50 }));
    expect(burstCorpus({ users: 50, seed: 7 })).not.toEqual(burstCorpus({ users: 50 }));
  });

  it('draws burst sizes 1–4 in about the configured mix', () => {
    const corpus = burstCorpus({ users: 2000, burstsPerUser: 2 });
    const sizes = new Map<number, number>();
    for (const entry of corpus) sizes.set(entry.burst, (sizes.get(entry.burst) ?? 0) + 1);
    expect(sizes.size).toBe(4000);
    const share = (n: number) => [...sizes.values()].filter((size) => size === n).length / sizes.size;
    expect(share(1)).toBeCloseTo(0.4, 1);
    expect(share(2)).toBeCloseTo(0.3, 1);
    expect(share(3)).toBeCloseTo(0.2, 1);
    expect(share(4)).toBeCloseTo(0.1, 1);
  });

  it('keeps a burst within a second and a user’s bursts apart, in posting order', () => {
    const corpus = burstCorpus({ users: 300, spreadMs: 10_000 });
    expect(corpus.map((e) => e.atMs)).toEqual([...corpus.map((e) => e.atMs)].sort((a, b) => a - b));
    const bursts = Map.groupBy(corpus, (e) => e.burst);
    for (const entries of bursts.values()) {
      const times = entries.sort((a, b) => a.k - b.k).map((e) => e.atMs);
      for (let i = 1; i < times.length; i++) {
        const gap = (times[i] ?? 0) - (times[i - 1] ?? 0);
        expect(gap).toBeGreaterThanOrEqual(100);
        expect(gap).toBeLessThanOrEqual(300);
      }
      expect((times.at(-1) ?? 0) - (times[0] ?? 0)).toBeLessThan(1000);
    }
    for (const entries of Map.groupBy(corpus, (e) => e.user).values()) {
      const [first, second] = [...Map.groupBy(entries, (e) => e.burst).values()];
      const lastOfFirst = Math.max(...(first ?? []).map((e) => e.atMs));
      const firstOfSecond = Math.min(...(second ?? []).map((e) => e.atMs));
      expect(firstOfSecond - lastOfFirst).toBe(3000);
    }
  });
});
