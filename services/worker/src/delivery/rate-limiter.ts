import type { Redis } from 'ioredis';
import { createRedisScript } from '../inbox/redis-script.js';

// GCRA in reservation mode: every caller books the next free slot of the phone number
// (theoretical arrival time += interval) and learns how long to wait for it. One key per phone
// number, shared by every worker process, so the fleet together stays under the rate. Redis' own
// clock is used so processes with skewed clocks agree.
const RESERVE = createRedisScript(`
local interval = tonumber(ARGV[1])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local nextTat = tat + interval
redis.call('SET', KEYS[1], string.format('%.3f', nextTat), 'PX', math.ceil(nextTat - now + 1000))
return math.ceil(tat - now)
`);

export interface RateLimiter {
  /** Waits until this process may make one more call for `phoneNumberId` at `perSecond`. */
  acquire(phoneNumberId: string, perSecond: number): Promise<number>;
}

/** The fleet-wide per-phone-number rate limiter (Meta allows 80 messages/s per number by default). */
export function createRateLimiter(redis: Redis, prefix: string): RateLimiter {
  return {
    async acquire(phoneNumberId, perSecond) {
      const interval = 1000 / perSecond;
      const wait = Number(await RESERVE.run(redis, [`${prefix}:rate:${phoneNumberId}`], [interval]));
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      return wait;
    },
  };
}
