// Figures of a load run: latency percentiles, and a send rate as the receiver sees it (per 1-s window).

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Counts per 1-s window from the first timestamp, and the fullest sliding 1-s window. */
export function windowCounts(times) {
  const sorted = [...times].sort((a, b) => a - b);
  if (sorted.length === 0) return { windows: [], max: 0, slidingMax: 0 };
  const t0 = sorted[0];
  const windows = [];
  for (const t of sorted) {
    const k = Math.floor((t - t0) / 1000);
    windows[k] = (windows[k] ?? 0) + 1;
  }
  let slidingMax = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i] - sorted[j] >= 1000) j++;
    slidingMax = Math.max(slidingMax, i - j + 1);
  }
  const filled = Array.from(windows, (n) => n ?? 0);
  return { windows: filled, max: Math.max(...filled), slidingMax };
}
