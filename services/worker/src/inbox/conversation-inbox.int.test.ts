import { useTestRedis } from '@wabot/testing';
import { describe, expect, it } from 'vitest';
import { createConversationInbox } from './conversation-inbox.js';
import { conversationKeys } from './conversation-keys.js';

const redis = useTestRedis();
const entry = (messageId: string, n: number) => ({ messageId, data: JSON.stringify({ n }) });

describe('conversation inbox', () => {
  it('keeps push order, stores each message once, and says whether a drain holds the conversation', async () => {
    const inbox = createConversationInbox(redis.current.redis, redis.current.prefix);
    expect(await inbox.pushAll('b1', 'u1', [entry('wamid.C', 1), entry('wamid.A', 2)])).toEqual({
      added: 2,
      locked: false,
    });
    // A redelivery of A (and a new B) later: A keeps its place and its first entry.
    expect(await inbox.pushAll('b1', 'u1', [entry('wamid.A', 9), entry('wamid.B', 3)])).toEqual({
      added: 1,
      locked: false,
    });
    const acquired = await inbox.acquire('b1', 'u1', 'job-1', 5_000, 10);
    expect(acquired).toEqual({
      state: 'items',
      items: [
        { messageId: 'wamid.C', data: '{"n":1}', fresh: true },
        { messageId: 'wamid.A', data: '{"n":2}', fresh: true },
        { messageId: 'wamid.B', data: '{"n":3}', fresh: true },
      ],
    });
    expect(await inbox.pushAll('b1', 'u1', [entry('wamid.D', 4)])).toEqual({ added: 1, locked: true });
    expect(await inbox.size('b1', 'u1')).toBe(4);
  });

  it('every key of a conversation shares one hash tag (one Redis Cluster slot)', () => {
    const keys = Object.values(conversationKeys('wabot', 'bot_1', '15550001111'));
    expect(keys).toHaveLength(6);
    for (const key of keys) expect(key).toMatch(/^wabot:conv:\{bot_1:15550001111\}:/);
  });

  it('lets one holder drain; the same token reclaims; a lost lock is reported', async () => {
    const inbox = createConversationInbox(redis.current.redis, redis.current.prefix);
    await inbox.pushAll('b2', 'u', [entry('wamid.X', 1)]);
    expect((await inbox.acquire('b2', 'u', 'job-1', 5_000, 1)).state).toBe('items');
    expect(await inbox.acquire('b2', 'u', 'job-2', 5_000, 1)).toEqual({ state: 'locked' });
    expect((await inbox.acquire('b2', 'u', 'job-1', 5_000, 1)).state).toBe('items');
    expect(await inbox.renew('b2', 'u', 'job-2', 5_000)).toBe(false);
    expect(await inbox.renew('b2', 'u', 'job-1', 5_000)).toBe(true);
    await inbox.release('b2', 'u', 'job-1');
    expect((await inbox.acquire('b2', 'u', 'job-2', 5_000, 1)).state).toBe('items');
    expect(await inbox.removeAndNext('b2', 'u', ['wamid.X'], 'job-1', 1)).toEqual({ state: 'lost' });
    // The message was removed all the same (it was handled); the holder's lock stays.
    expect(await inbox.size('b2', 'u')).toBe(0);
    expect(await inbox.acquire('b2', 'u', 'job-1', 5_000, 1)).toEqual({ state: 'locked' });
  });

  it('removes handled messages, reads the next ones, and releases atomically when empty', async () => {
    const { redis: client, prefix } = redis.current;
    const inbox = createConversationInbox(client, prefix);
    const keys = conversationKeys(prefix, 'b3', 'u');
    expect(await inbox.acquire('b3', 'u', 'job-1', 5_000, 2)).toEqual({ state: 'empty' });
    expect(await client.exists(keys.lock)).toBe(0);
    await inbox.pushAll('b3', 'u', [entry('wamid.1', 1), entry('wamid.2', 2), entry('wamid.3', 3)]);
    const first = await inbox.acquire('b3', 'u', 'job-1', 5_000, 3);
    expect(first.state === 'items' && first.items.map((i) => i.messageId)).toEqual(['wamid.1', 'wamid.2', 'wamid.3']);
    await client.set(keys.pairRate, '2');
    const next = await inbox.removeAndNext('b3', 'u', ['wamid.1', 'wamid.2'], 'job-1', 2);
    // wamid.3 was read by the first acquire already: its receipt is not due again.
    expect(next).toEqual({ state: 'items', items: [{ messageId: 'wamid.3', data: '{"n":3}', fresh: false }] });
    // The pair-rate hits of the conversation are reset once its messages are done.
    expect(await client.exists(keys.pairRate)).toBe(0);
    expect(await inbox.removeAndNext('b3', 'u', ['wamid.3'], 'job-1', 2)).toEqual({ state: 'released' });
    // Nothing of the conversation is left behind, the sequence counter included.
    expect(await client.exists(keys.lock, keys.inbox, keys.data, keys.seq, keys.seen)).toBe(0);
    // A message pushed after the release is seen by the next drain (the push saw the lock free).
    expect(await inbox.pushAll('b3', 'u', [entry('wamid.4', 4)])).toEqual({ added: 1, locked: false });
  });

  it('a message whose entry went missing comes back with data null (the drain drops it)', async () => {
    const { redis: client, prefix } = redis.current;
    const inbox = createConversationInbox(client, prefix);
    await inbox.pushAll('b4', 'u', [entry('wamid.1', 1), entry('wamid.2', 2)]);
    await client.hdel(conversationKeys(prefix, 'b4', 'u').data, 'wamid.1');
    const acquired = await inbox.acquire('b4', 'u', 'job-1', 5_000, 5);
    expect(acquired).toEqual({
      state: 'items',
      items: [
        { messageId: 'wamid.1', data: null, fresh: true },
        { messageId: 'wamid.2', data: '{"n":2}', fresh: true },
      ],
    });
  });
});
