import type { Redis } from 'ioredis';
import { createRedisScript } from './redis-script.js';

/**
 * Per-conversation ordered inbox in Redis (docs/adr/0003-conversation-ordering.md).
 *
 * - `<prefix>:inbox:<botId>:<userKey>`: sorted set, member = Meta message id, score =
 *   stage-1 job id × 10^6 + index of the message in that job, i.e. arrival order.
 * - `<prefix>:inbox-data:<botId>:<userKey>`: hash, message id → normalized message JSON.
 * - `<prefix>:conv-lock:<botId>:<userKey>`: the drain lock (token = the drain job's id, so a
 *   retried job reclaims the lock its killed predecessor held).
 */

const PUSH = createRedisScript(`
local added = redis.call('ZADD', KEYS[1], 'NX', ARGV[2], ARGV[1])
redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[3])
return added
`);

const HEAD = createRedisScript(`
local head = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #head == 0 then return nil end
local data = redis.call('HGET', KEYS[2], head[1])
return {head[1], head[2], data or false}
`);

const REMOVE = createRedisScript(`
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
return 1
`);

const ACQUIRE = createRedisScript(`
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if holder then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
`);

const RENEW = createRedisScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
`);

// Release only when the inbox is empty: an item pushed while we were finishing is then seen by
// our loop (we keep the lock), and a drain job for it that found the lock held is not stranded.
const RELEASE_IF_EMPTY = createRedisScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
if redis.call('ZCARD', KEYS[2]) > 0 then return 0 end
redis.call('DEL', KEYS[1])
return 1
`);

const RELEASE = createRedisScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
`);

export interface InboxItem {
  messageId: string;
  /** Id of the webhook-events job that carried the message. */
  sourceJobId: number;
  /** The normalized message as stored by stage 1 (null if its data went missing). */
  data: string | null;
}

export type ReleaseResult = 'released' | 'not_empty' | 'lost';

export interface ConversationInbox {
  push(botId: string, userKey: string, messageId: string, score: number, data: string): Promise<boolean>;
  head(botId: string, userKey: string): Promise<InboxItem | null>;
  remove(botId: string, userKey: string, messageId: string): Promise<void>;
  size(botId: string, userKey: string): Promise<number>;
  acquire(botId: string, userKey: string, token: string, ttlMs: number): Promise<boolean>;
  renew(botId: string, userKey: string, token: string, ttlMs: number): Promise<boolean>;
  releaseIfEmpty(botId: string, userKey: string, token: string): Promise<ReleaseResult>;
  release(botId: string, userKey: string, token: string): Promise<void>;
}

/**
 * Messages one stage-1 job can carry in order (a job may hold a batch of webhooks, each of up to
 * 1000 updates). Scores stay exact doubles for job ids below 2^53 / 10^6 ≈ 9·10^9.
 */
export const INBOX_SLOTS_PER_JOB = 1_000_000;

/** Score of a message in the inbox: its stage-1 job id, then its place in that job. */
export const inboxScore = (jobId: number, index: number) =>
  jobId * INBOX_SLOTS_PER_JOB + Math.min(index, INBOX_SLOTS_PER_JOB - 1);

export function createConversationInbox(redis: Redis, prefix: string): ConversationInbox {
  const suffix = (botId: string, userKey: string) => `${botId}:${userKey}`;
  const inboxKey = (b: string, u: string) => `${prefix}:inbox:${suffix(b, u)}`;
  const dataKey = (b: string, u: string) => `${prefix}:inbox-data:${suffix(b, u)}`;
  const lockKey = (b: string, u: string) => `${prefix}:conv-lock:${suffix(b, u)}`;

  return {
    async push(botId, userKey, messageId, score, data) {
      const added = await PUSH.run(
        redis,
        [inboxKey(botId, userKey), dataKey(botId, userKey)],
        [messageId, score, data],
      );
      return added === 1;
    },
    async head(botId, userKey) {
      const result = await HEAD.run(redis, [inboxKey(botId, userKey), dataKey(botId, userKey)], []);
      if (!Array.isArray(result)) return null;
      const [messageId, score, data] = result;
      if (typeof messageId !== 'string') return null;
      return {
        messageId,
        sourceJobId: Math.floor(Number(score) / INBOX_SLOTS_PER_JOB),
        data: typeof data === 'string' ? data : null,
      };
    },
    async remove(botId, userKey, messageId) {
      await REMOVE.run(redis, [inboxKey(botId, userKey), dataKey(botId, userKey)], [messageId]);
    },
    size: (botId, userKey) => redis.zcard(inboxKey(botId, userKey)),
    async acquire(botId, userKey, token, ttlMs) {
      return (await ACQUIRE.run(redis, [lockKey(botId, userKey)], [token, ttlMs])) === 1;
    },
    async renew(botId, userKey, token, ttlMs) {
      return (await RENEW.run(redis, [lockKey(botId, userKey)], [token, ttlMs])) === 1;
    },
    async releaseIfEmpty(botId, userKey, token) {
      const result = await RELEASE_IF_EMPTY.run(redis, [lockKey(botId, userKey), inboxKey(botId, userKey)], [token]);
      return result === 1 ? 'released' : result === 0 ? 'not_empty' : 'lost';
    },
    async release(botId, userKey, token) {
      await RELEASE.run(redis, [lockKey(botId, userKey)], [token]);
    },
  };
}
