/** Burst sizes 1–4 with these probabilities. */
export const BURST_MIX: readonly number[];
export interface BurstEntry {
  user: number;
  burst: number;
  k: number;
  atMs: number;
}
/** The seeded timetable of a burst corpus, in posting order. */
export function burstCorpus(options: {
  users: number;
  burstsPerUser?: number;
  seed?: number;
  mix?: readonly number[];
  gapMs?: readonly [number, number];
  spreadMs?: number;
  burstSpacingMs?: number;
}): BurstEntry[];
