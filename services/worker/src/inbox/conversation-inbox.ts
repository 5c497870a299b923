import type { Redis } from 'ioredis';
import { guardBase, OLDER_PENDING_LUA } from './ordering-guard.js';
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

// Also says whether the conversation lock is held at this moment: the holder's atomic
// release-if-empty will then see this message, so stage 1 need not add a drain job for it.
const PUSH = createRedisScript(`
local added = redis.call('ZADD', KEYS[1], 'NX', ARGV[2], ARGV[1])
redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[3])
return {added, redis.call('EXISTS', KEYS[3])}
`);

// head_of: the lowest-score item {wamid, score, data, older webhook job pending (ordering guard)}.
const HEAD_LUA = `${OLDER_PENDING_LUA}
local function head_of(inbox, data, base)
  local head = redis.call('ZRANGE', inbox, 0, 0, 'WITHSCORES')
  if #head == 0 then return nil end
  local value = redis.call('HGET', data, head[1])
  local pending = 0
  if older_pending(math.floor(tonumber(head[2]) / ${1_000_000}), base) then pending = 1 end
  return {head[1], head[2], value or false, pending}
end
`;

const HEAD = createRedisScript(`${HEAD_LUA}
return head_of(KEYS[1], KEYS[2], ARGV[1])
`);

// Lock + head + guard in one round trip: 0 = held by another drain; 1 = inbox empty (nothing
// taken; a lock we held under this token is released); else the head, with the lock taken.
const ACQUIRE_HEAD = createRedisScript(`${HEAD_LUA}
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
local head = head_of(KEYS[2], KEYS[3], ARGV[3])
if not head then
  if holder then redis.call('DEL', KEYS[1]) end
  return 1
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return head
`);

// Done with one message: remove it, reset the conversation's pair-rate hits, and return the next
// head — or, when the inbox is empty, release the lock in the same atomic step (so a message
// pushed meanwhile is never stranded). -1 = the lock is no longer ours; 1 = released.
const REMOVE_NEXT = createRedisScript(`${HEAD_LUA}
redis.call('ZREM', KEYS[2], ARGV[2])
redis.call('HDEL', KEYS[3], ARGV[2])
redis.call('DEL', KEYS[4])
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
local head = head_of(KEYS[2], KEYS[3], ARGV[3])
if not head then
  redis.call('DEL', KEYS[1])
  return 1
end
return head
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
  /** An older stage-1 job was still pending when the head was read (the drain must wait). */
  olderPending: boolean;
}

/** What {@link ConversationInbox.acquireHead} found. */
export type AcquireResult = { state: 'locked' } | { state: 'empty' } | { state: 'head'; item: InboxItem };
/** What {@link ConversationInbox.removeAndNext} found after removing the message. */
export type NextResult = { state: 'released' } | { state: 'lost' } | { state: 'head'; item: InboxItem };

export type ReleaseResult = 'released' | 'not_empty' | 'lost';

export interface ConversationInbox {
  /** Adds a message once; `locked`: a drain held the conversation at that moment and will see it. */
  push(
    botId: string,
    userKey: string,
    messageId: string,
    score: number,
    data: string,
  ): Promise<{ added: boolean; locked: boolean }>;
  head(botId: string, userKey: string): Promise<InboxItem | null>;
  /** Takes (or reclaims, same token) the lock and reads the head, in one step. */
  acquireHead(botId: string, userKey: string, token: string, ttlMs: number): Promise<AcquireResult>;
  /** Removes a processed message and reads the next head, releasing the lock when none is left. */
  removeAndNext(botId: string, userKey: string, messageId: string, token: string, pairKey: string): Promise<NextResult>;
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

function toItem(result: unknown): InboxItem | null {
  if (!Array.isArray(result)) return null;
  const [messageId, score, data, pending] = result;
  if (typeof messageId !== 'string') return null;
  return {
    messageId,
    sourceJobId: Math.floor(Number(score) / INBOX_SLOTS_PER_JOB),
    data: typeof data === 'string' ? data : null,
    olderPending: pending === 1,
  };
}

/** The inbox of every conversation; the ordering guard's check runs on each head it reads. */
export function createConversationInbox(
  redis: Redis,
  prefix: string,
  guardQueue = 'webhook-events',
): ConversationInbox {
  const base = guardBase(prefix, guardQueue);
  const suffix = (botId: string, userKey: string) => `${botId}:${userKey}`;
  const inboxKey = (b: string, u: string) => `${prefix}:inbox:${suffix(b, u)}`;
  const dataKey = (b: string, u: string) => `${prefix}:inbox-data:${suffix(b, u)}`;
  const lockKey = (b: string, u: string) => `${prefix}:conv-lock:${suffix(b, u)}`;

  return {
    async push(botId, userKey, messageId, score, data) {
      const result = await PUSH.run(
        redis,
        [inboxKey(botId, userKey), dataKey(botId, userKey), lockKey(botId, userKey)],
        [messageId, score, data],
      );
      const [added, locked] = Array.isArray(result) ? result : [];
      return { added: added === 1, locked: locked === 1 };
    },
    async head(botId, userKey) {
      return toItem(await HEAD.run(redis, [inboxKey(botId, userKey), dataKey(botId, userKey)], [base]));
    },
    async acquireHead(botId, userKey, token, ttlMs) {
      const result = await ACQUIRE_HEAD.run(
        redis,
        [lockKey(botId, userKey), inboxKey(botId, userKey), dataKey(botId, userKey)],
        [token, ttlMs, base],
      );
      if (result === 0) return { state: 'locked' };
      const item = toItem(result);
      return item ? { state: 'head', item } : { state: 'empty' };
    },
    async removeAndNext(botId, userKey, messageId, token, pairKey) {
      const result = await REMOVE_NEXT.run(
        redis,
        [lockKey(botId, userKey), inboxKey(botId, userKey), dataKey(botId, userKey), pairKey],
        [token, messageId, base],
      );
      if (result === -1) return { state: 'lost' };
      const item = toItem(result);
      return item ? { state: 'head', item } : { state: 'released' };
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
