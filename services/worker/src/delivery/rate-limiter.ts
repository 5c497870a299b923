import { setTimeout as sleep } from 'node:timers/promises';
import type { RedisClient } from '@wabot/queue';
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

/**
 * Share of the configured rate the limiter books. Slots are exact in Redis, but a call reaches
 * Meta after its wake-up plus event-loop and network delay; on a busy machine delayed calls of one
 * second land in the next beside that second's punctual ones (82 calls in a 1-s window at 80/s
 * was measured). 5 % headroom absorbs that jitter.
 */
const RATE_HEADROOM = 0.95;

export interface RateLimiter {
  /** Waits until this process may make one more call for `phoneNumberId` at `perSecond`. */
  acquire(phoneNumberId: string, perSecond: number): Promise<number>;
}

/** The fleet-wide per-phone-number rate limiter (Meta allows 80 messages/s per number by default). */
export function createRateLimiter(redis: RedisClient, prefix: string): RateLimiter {
  const reserve = async (key: string, interval: number) => Number(await RESERVE.run(redis, [key], [interval]));
  return {
    async acquire(phoneNumberId, perSecond) {
      const key = `${prefix}:rate:${phoneNumberId}`;
      const interval = 1000 / (perSecond * RATE_HEADROOM);
      // The headroom absorbs this much lateness per second; a wake-up later than that (or than one
      // slot, at low rates) would bunch with the punctual calls after it: give the slot up and book
      // a fresh one (once). Small lateness, normal on a busy event loop, costs no extra round trip.
      const tolerance = Math.max(interval, 1000 * (1 - RATE_HEADROOM));
      let waited = 0;
      for (let attempt = 0; attempt < 2; attempt++) {
        const wait = await reserve(key, interval);
        if (wait <= 0) return waited;
        const due = Date.now() + wait;
        await sleep(wait);
        waited += wait;
        if (Date.now() - due <= tolerance) return waited;
      }
      return waited;
    },
  };
}
