/** Time as the simulated Meta sees it: real time plus an offset that tests can move. */
export interface SimClock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Unix seconds as a string, the way webhook `timestamp` fields carry them. */
  timestamp(): string;
  /** Moves the clock by `ms` (negative moves it back), e.g. 25 h forward to close the 24-hour window. */
  advance(ms: number): void;
  /** Sets the clock so that now() returns `epochMs` at this instant. */
  set(epochMs: number): void;
  /** Back to real time. */
  reset(): void;
}

export const HOUR_MS = 3_600_000;

/** A clock that follows real time, shifted by `startOffsetMs` (default 0). */
export function createSimClock(startOffsetMs = 0): SimClock {
  let offset = startOffsetMs;
  const now = () => Date.now() + offset;
  return {
    now,
    timestamp: () => String(Math.floor(now() / 1000)),
    advance(ms) {
      offset += ms;
    },
    set(epochMs) {
      offset = epochMs - Date.now();
    },
    reset() {
      offset = 0;
    },
  };
}
