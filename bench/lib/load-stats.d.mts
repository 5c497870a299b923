/** Nearest-rank percentile of an ascending array (null when empty). */
export function percentile(sorted: readonly number[], p: number): number | null;
/** Counts per 1-s window from the first timestamp (ms), and the fullest sliding 1-s window. */
export function windowCounts(times: readonly number[]): { windows: number[]; max: number; slidingMax: number };
