// The burst corpus of benchmark 6: users typing in bursts ("hi" / "my order" / "hasn't arrived"),
// as a seeded timetable, so two runs (with and without turns) see exactly the same traffic.

/** Burst sizes 1–4 with these probabilities (a seeded random mix). */
export const BURST_MIX = [0.4, 0.3, 0.2, 0.1];

/** mulberry32: a small, fast, seeded PRNG in [0, 1) (the corpus must not depend on Math.random). */
function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The timetable of `users` users each sending `burstsPerUser` bursts: a burst's size is drawn from
 * `mix` (index 0 = 1 message), its messages are `gapMs` [min, max] apart, a user's first burst
 * starts at a uniform time in [0, `spreadMs`) and each next one `burstSpacingMs` after the previous
 * burst's last message (well past any debounce, so bursts stay apart). Entries
 * `{user, burst, k, atMs}` (user and burst 0-based; `burst` numbers the bursts of the whole corpus;
 * `k` the message within its burst) in posting order.
 */
export function burstCorpus({
  users,
  burstsPerUser = 2,
  seed = 20261201,
  mix = BURST_MIX,
  gapMs = [100, 300],
  spreadMs = 10_000,
  burstSpacingMs = 3_000,
}) {
  const random = seededRandom(seed);
  const sizeOf = () => {
    let r = random();
    for (const [i, p] of mix.entries()) {
      if (r < p) return i + 1;
      r -= p;
    }
    return mix.length;
  };
  const entries = [];
  let burst = 0;
  for (let user = 0; user < users; user++) {
    let at = Math.floor(random() * spreadMs);
    for (let b = 0; b < burstsPerUser; b++, burst++) {
      const size = sizeOf();
      for (let k = 0; k < size; k++) {
        if (k > 0) at += gapMs[0] + Math.floor(random() * (gapMs[1] - gapMs[0] + 1));
        entries.push({ user, burst, k, atMs: at });
      }
      at += burstSpacingMs;
    }
  }
  return entries.sort((a, b) => a.atMs - b.atMs || a.user - b.user || a.k - b.k);
}
