import type { RedisClient } from '@wabot/queue';
import { conversationKeys } from './conversation-keys.js';
import { createRedisScript } from './redis-script.js';

/**
 * Per-conversation ordered inbox in Redis (docs/adr/0004-pipeline-v2.md). Stage 1 applies the
 * webhooks of a bot one job at a time, in arrival order, so the order in which it pushes a
 * conversation's messages IS their arrival order: the inbox scores each new message with the
 * conversation's own counter. A drain holding the conversation's lock reads the oldest messages,
 * handles them and removes them; it releases the lock only when the inbox is empty, in the same
 * atomic step, so a message pushed meanwhile is never stranded (either the push saw the lock free
 * and stage 1 added a drain job, or the holder sees the message). Every key of a conversation
 * shares one hash tag (conversation-keys.ts), and every script declares the keys it touches.
 */

// Adds each message once, in the order given (pairs of id and entry), and says whether the
// conversation's lock is held at this moment: the holder will then see the messages, so stage 1
// need not add a drain job for them.
const PUSH_ALL = createRedisScript(`
local added = 0
for i = 1, #ARGV, 2 do
  if not redis.call('ZSCORE', KEYS[1], ARGV[i]) then
    local seq = redis.call('INCR', KEYS[3])
    redis.call('ZADD', KEYS[1], seq, ARGV[i])
    redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
    added = added + 1
  end
end
return {added, redis.call('EXISTS', KEYS[4])}
`);

// read(inbox, data, seen, limit): the oldest `limit` messages as a flat list of id, entry (false
// when the entry went missing), fresh (1 the first time a drain reads the message, so its read
// receipt goes out once).
const READ_LUA = `
local function read(inbox, data, seen, limit)
  local ids = redis.call('ZRANGE', inbox, 0, limit - 1)
  local out = {}
  for _, id in ipairs(ids) do
    out[#out + 1] = id
    out[#out + 1] = redis.call('HGET', data, id) or false
    out[#out + 1] = redis.call('SADD', seen, id)
  end
  return out
end
`;

// Lock + oldest messages in one round trip: 0 = held by another drain; 1 = inbox empty (nothing
// taken; a lock held under this token is released); else the messages, with the lock taken.
// KEYS: lock, inbox, data, seq, seen. ARGV: token, ttl, limit.
const ACQUIRE = createRedisScript(`${READ_LUA}
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
local items = read(KEYS[2], KEYS[3], KEYS[5], tonumber(ARGV[3]))
if #items == 0 then
  if holder then redis.call('DEL', KEYS[1]) end
  redis.call('DEL', KEYS[4], KEYS[5])
  return 1
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return items
`);

// Done with some messages: remove them, reset the conversation's pair-rate hits, and return the
// next oldest — or, when the inbox is empty, release the lock in the same atomic step.
// -1 = the lock is no longer ours; 1 = released. KEYS: lock, inbox, data, seq, seen, pair-rate.
// ARGV: token, limit, ids...
const REMOVE_NEXT = createRedisScript(`${READ_LUA}
for i = 3, #ARGV do
  redis.call('ZREM', KEYS[2], ARGV[i])
  redis.call('HDEL', KEYS[3], ARGV[i])
  redis.call('SREM', KEYS[5], ARGV[i])
end
redis.call('DEL', KEYS[6])
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
local items = read(KEYS[2], KEYS[3], KEYS[5], tonumber(ARGV[2]))
if #items == 0 then
  redis.call('DEL', KEYS[1], KEYS[4], KEYS[5])
  return 1
end
return items
`);

const RENEW = createRedisScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
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
  /** The entry as stage 1 stored it (null if it went missing). */
  data: string | null;
  /** First time a drain read it: its read receipt is due. */
  fresh: boolean;
}

/** What {@link ConversationInbox.acquire} found. */
type AcquireResult = { state: 'locked' } | { state: 'empty' } | { state: 'items'; items: InboxItem[] };
/** What {@link ConversationInbox.removeAndNext} found after removing the messages. */
type NextResult = { state: 'released' } | { state: 'lost' } | { state: 'items'; items: InboxItem[] };

export interface ConversationInbox {
  /**
   * Adds messages (in arrival order) that are not in the inbox yet; `locked`: a drain held the
   * conversation at that moment and will see them.
   */
  pushAll(
    botId: string,
    userKey: string,
    entries: { messageId: string; data: string }[],
  ): Promise<{ added: number; locked: boolean }>;
  /** Takes (or reclaims, same token) the lock and reads the `limit` oldest messages, in one step. */
  acquire(botId: string, userKey: string, token: string, ttlMs: number, limit: number): Promise<AcquireResult>;
  /** Removes handled messages and reads the next `limit`, releasing the lock when none is left. */
  removeAndNext(
    botId: string,
    userKey: string,
    messageIds: string[],
    token: string,
    limit: number,
  ): Promise<NextResult>;
  /** Extends the lock held under `token` to `ttlMs` from now; false when it is not ours anymore. */
  renew(botId: string, userKey: string, token: string, ttlMs: number): Promise<boolean>;
  release(botId: string, userKey: string, token: string): Promise<void>;
  /** Messages waiting in the conversation's inbox. */
  size(botId: string, userKey: string): Promise<number>;
}

function toItems(result: unknown): InboxItem[] | null {
  if (!Array.isArray(result)) return null;
  const items: InboxItem[] = [];
  for (let i = 0; i + 2 < result.length; i += 3) {
    const messageId: unknown = result[i];
    const data: unknown = result[i + 1];
    if (typeof messageId === 'string') {
      items.push({ messageId, data: typeof data === 'string' ? data : null, fresh: result[i + 2] === 1 });
    }
  }
  return items.length > 0 ? items : null;
}

/** The inbox of every conversation under one Redis key prefix. */
export function createConversationInbox(redis: RedisClient, prefix: string): ConversationInbox {
  const keysOf = (botId: string, userKey: string) => conversationKeys(prefix, botId, userKey);
  return {
    async pushAll(botId, userKey, entries) {
      const k = keysOf(botId, userKey);
      const result = await PUSH_ALL.run(
        redis,
        [k.inbox, k.data, k.seq, k.lock],
        entries.flatMap((entry) => [entry.messageId, entry.data]),
      );
      const [added, locked] = Array.isArray(result) ? result : [];
      return { added: Number(added ?? 0), locked: locked === 1 };
    },
    async acquire(botId, userKey, token, ttlMs, limit) {
      const k = keysOf(botId, userKey);
      const result = await ACQUIRE.run(redis, [k.lock, k.inbox, k.data, k.seq, k.seen], [token, ttlMs, limit]);
      if (result === 0) return { state: 'locked' };
      const items = toItems(result);
      return items ? { state: 'items', items } : { state: 'empty' };
    },
    async removeAndNext(botId, userKey, messageIds, token, limit) {
      const k = keysOf(botId, userKey);
      const result = await REMOVE_NEXT.run(
        redis,
        [k.lock, k.inbox, k.data, k.seq, k.seen, k.pairRate],
        [token, limit, ...messageIds],
      );
      if (result === -1) return { state: 'lost' };
      const items = toItems(result);
      return items ? { state: 'items', items } : { state: 'released' };
    },
    async renew(botId, userKey, token, ttlMs) {
      return (await RENEW.run(redis, [keysOf(botId, userKey).lock], [token, ttlMs])) === 1;
    },
    async release(botId, userKey, token) {
      await RELEASE.run(redis, [keysOf(botId, userKey).lock], [token]);
    },
    size: (botId, userKey) => redis.zcard(keysOf(botId, userKey).inbox),
  };
}
