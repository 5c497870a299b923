// Where the CPU went during a run (Linux /proc): per process and for the whole machine.
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** user+system CPU seconds a process has used so far, or null. */
function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** Pids whose command name (comm) is `name`, e.g. redis-server or postgres. */
export function pidsNamed(name) {
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === name) pids.push(Number(entry));
    } catch {
      /* gone */
    }
  }
  return pids;
}

function machineTicks() {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0);
  const total = cpu.reduce((a, b) => a + b, 0);
  return { idle, total };
}

/**
 * Starts measuring; `stop()` returns CPU seconds per named group of pids over the interval and
 * how busy the whole machine was (100 % = every core busy; other users' load included).
 * `groups` maps a name to a function returning pids (re-read at stop, so new backends count too).
 */
export function startCpuMeter(groups) {
  const before = new Map();
  const snapshot = () => Object.fromEntries(Object.entries(groups).map(([name, pids]) => [name, pids()]));
  const startPids = snapshot();
  for (const [name, pids] of Object.entries(startPids))
    for (const pid of pids) before.set(`${name}:${pid}`, cpuSeconds(pid) ?? 0);
  const m0 = machineTicks();
  const t0 = performance.now();
  return {
    stop() {
      const wallS = (performance.now() - t0) / 1000;
      const m1 = machineTicks();
      const perGroup = {};
      for (const [name, pids] of Object.entries(snapshot())) {
        let used = 0;
        for (const pid of pids) used += (cpuSeconds(pid) ?? 0) - (before.get(`${name}:${pid}`) ?? 0);
        perGroup[name] = Math.round(used * 100) / 100;
      }
      const total = m1.total - m0.total;
      return {
        wallS: Math.round(wallS * 100) / 100,
        cpuSeconds: perGroup,
        machineBusyPct: total > 0 ? Math.round((1 - (m1.idle - m0.idle) / total) * 1000) / 10 : null,
      };
    },
  };
}
