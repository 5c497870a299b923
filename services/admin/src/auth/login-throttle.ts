import { createHash } from 'node:crypto';
import type { RedisClient } from '@wabot/queue';
import { ApiError } from '../domain/api-error.js';

export interface LoginThrottle {
  /** 429 when this IP and email failed `max` times within the window. */
  check(ip: string, email: string): Promise<void>;
  /** Counts a failed attempt. */
  failed(ip: string, email: string): Promise<void>;
  /** A successful sign-in forgets the failures. */
  succeeded(ip: string, email: string): Promise<void>;
}

/**
 * Password sign-in throttling per client IP and email, in Redis (shared by every admin instance).
 * Only failures count — unlike the API's request rate limit (@fastify/rate-limit counts every
 * request) — so guessing a password is slowed while a person signing in again is never locked
 * out. When Redis is unreachable it lets attempts through, as the API rate limit does.
 */
export function createLoginThrottle(
  redis: RedisClient,
  { prefix, max, windowMs }: { prefix: string; max: number; windowMs: number },
): LoginThrottle {
  // Hashed: the key names an email, and it lands in Redis.
  const keyOf = (ip: string, email: string) =>
    `${prefix}:login-failures:${createHash('sha256').update(`${ip}\n${email.toLowerCase()}`).digest('base64url').slice(0, 32)}`;
  const quietly = async <T>(work: () => Promise<T>): Promise<T | null> => {
    try {
      return await work();
    } catch {
      return null;
    }
  };
  return {
    async check(ip, email) {
      const key = keyOf(ip, email);
      const failures = Number((await quietly(() => redis.get(key))) ?? 0);
      if (failures < max) return;
      const ttl = Math.max(0, (await quietly(() => redis.pttl(key))) ?? windowMs);
      throw new ApiError(429, 'rate_limited', `too many failed sign-ins; retry in ${Math.ceil(ttl / 1000)} seconds`, {
        limit: max,
        retry_after_ms: ttl,
      });
    },
    async failed(ip, email) {
      const key = keyOf(ip, email);
      await quietly(async () => {
        if ((await redis.incr(key)) === 1) await redis.pexpire(key, windowMs);
      });
    },
    async succeeded(ip, email) {
      await quietly(() => redis.del(keyOf(ip, email)));
    },
  };
}
