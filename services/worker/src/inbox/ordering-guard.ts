import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { createRedisScript } from './redis-script.js';

/**
 * Lua: `older_pending(limit, base)` is true when a job with a numeric id below `limit` is still
 * waiting, active, delayed, prioritized or paused in the queue whose BullMQ key base is `base`.
 * New jobs are LPUSHed and stalled ones RPUSHed, so the oldest ids sit at the tail of the wait
 * list: scanning the tail (bounded) finds them. Bounded scans keep the check cheap under any
 * backlog. Shared with the inbox scripts, which run it on the head they return.
 */
export const OLDER_PENDING_LUA = `
local function older_pending(limit, base)
  local function older(ids)
    for _, id in ipairs(ids) do
      local n = tonumber(id)
      if n and n < limit then return true end
    end
    return false
  end
  if older(redis.call('LRANGE', base .. 'active', 0, -1)) then return true end
  if older(redis.call('LRANGE', base .. 'wait', -2000, -1)) then return true end
  if older(redis.call('LRANGE', base .. 'paused', -2000, -1)) then return true end
  if older(redis.call('ZRANGE', base .. 'delayed', 0, 999)) then return true end
  if older(redis.call('ZRANGE', base .. 'prioritized', 0, 999)) then return true end
  return false
end
`;

const OLDER_PENDING = createRedisScript(`${OLDER_PENDING_LUA}
if older_pending(tonumber(ARGV[1]), ARGV[2]) then return 1 end
return 0
`);

/** The BullMQ key base of the stage-1 queue, as the guard scans it. */
export const guardBase = (prefix: string, queueName = 'webhook-events') => `${prefix}:${queueName}:`;

export interface OrderingGuard {
  /**
   * Resolves once no webhook job older than `jobId` is still pending (so every message that
   * arrived before it has reached its inbox), or after `timeoutMs`; returns whether it had to
   * give up.
   */
  waitForOlderJobs(jobId: number, timeoutMs: number): Promise<{ waitedMs: number; timedOut: boolean }>;
}

/** Stage-1 jobs run concurrently; this guard keeps a later webhook from overtaking an earlier one. */
export function createOrderingGuard(redis: Redis, prefix: string, queueName = 'webhook-events'): OrderingGuard {
  const base = guardBase(prefix, queueName);
  return {
    async waitForOlderJobs(jobId, timeoutMs) {
      const started = Date.now();
      let pause = 5;
      for (;;) {
        const pending = await OLDER_PENDING.run(redis, [], [jobId, base]);
        const waitedMs = Date.now() - started;
        if (pending !== 1) return { waitedMs, timedOut: false };
        if (waitedMs >= timeoutMs) return { waitedMs, timedOut: true };
        await sleep(pause);
        pause = Math.min(pause * 2, 100);
      }
    },
  };
}
