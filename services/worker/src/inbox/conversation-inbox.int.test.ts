import { useTestRedis } from '@wabot/testing';
import { describe, expect, it } from 'vitest';
import { createConversationInbox, inboxScore } from './conversation-inbox.js';
import { createOrderingGuard } from './ordering-guard.js';

const redis = useTestRedis();

describe('conversation inbox', () => {
  it('orders by stage-1 job id then position, and ignores a second copy of a message', async () => {
    const inbox = createConversationInbox(redis.current.redis, redis.current.prefix);
    const fresh = { added: true, locked: false };
    expect(await inbox.push('b1', 'u1', 'wamid.C', inboxScore(7, 0), '{"n":3}')).toEqual(fresh);
    expect(await inbox.push('b1', 'u1', 'wamid.A', inboxScore(5, 1), '{"n":1}')).toEqual(fresh);
    expect(await inbox.push('b1', 'u1', 'wamid.B', inboxScore(6, 0), '{"n":2}')).toEqual(fresh);
    expect(await inbox.push('b1', 'u1', 'wamid.A', inboxScore(9, 0), '{"n":9}')).toEqual({
      added: false,
      locked: false,
    });
    expect(await inbox.head('b1', 'u1')).toEqual({
      messageId: 'wamid.A',
      sourceJobId: 5,
      data: '{"n":1}',
      olderPending: false,
    });
    await inbox.remove('b1', 'u1', 'wamid.A');
    expect((await inbox.head('b1', 'u1'))?.messageId).toBe('wamid.B');
    expect(await inbox.size('b1', 'u1')).toBe(2);
  });

  it('lets one holder drain; the same token reclaims; release only when empty', async () => {
    const inbox = createConversationInbox(redis.current.redis, redis.current.prefix);
    expect(await inbox.acquire('b2', 'u', 'job-1', 5_000)).toBe(true);
    expect(await inbox.acquire('b2', 'u', 'job-2', 5_000)).toBe(false);
    expect(await inbox.acquire('b2', 'u', 'job-1', 5_000)).toBe(true);
    await inbox.push('b2', 'u', 'wamid.X', inboxScore(1, 0), '{}');
    expect(await inbox.releaseIfEmpty('b2', 'u', 'job-1')).toBe('not_empty');
    expect(await inbox.acquire('b2', 'u', 'job-2', 5_000)).toBe(false);
    await inbox.remove('b2', 'u', 'wamid.X');
    expect(await inbox.releaseIfEmpty('b2', 'u', 'job-2')).toBe('lost');
    expect(await inbox.releaseIfEmpty('b2', 'u', 'job-1')).toBe('released');
    expect(await inbox.acquire('b2', 'u', 'job-2', 5_000)).toBe(true);
    expect(await inbox.renew('b2', 'u', 'job-1', 5_000)).toBe(false);
    expect(await inbox.renew('b2', 'u', 'job-2', 5_000)).toBe(true);
  });
});

describe('combined drain steps', () => {
  it('takes lock + head in one step, removes and reads the next, releases atomically when empty', async () => {
    const { redis: client, prefix } = redis.current;
    const inbox = createConversationInbox(client, prefix);
    const lock = `${prefix}:conv-lock:b3:u`;
    const pair = `${prefix}:pair-rate:b3:u`;
    expect(await inbox.acquireHead('b3', 'u', 'job-1', 5_000)).toEqual({ state: 'empty' });
    expect(await client.exists(lock)).toBe(0);
    await inbox.push('b3', 'u', 'wamid.1', inboxScore(30, 0), '{"n":1}');
    await inbox.push('b3', 'u', 'wamid.2', inboxScore(31, 0), '{"n":2}');
    // An older stage-1 job (id 29) still waiting: the head says the drain must wait for it.
    await client.lpush(`${prefix}:webhook-events:wait`, '29');
    const first = await inbox.acquireHead('b3', 'u', 'job-1', 5_000);
    expect(first).toEqual({
      state: 'head',
      item: { messageId: 'wamid.1', sourceJobId: 30, data: '{"n":1}', olderPending: true },
    });
    expect(await client.get(lock)).toBe('job-1');
    expect(await inbox.acquireHead('b3', 'u', 'job-2', 5_000)).toEqual({ state: 'locked' });
    // A message pushed while the lock is held is reported as such (stage 1 adds no drain job).
    expect(await inbox.push('b3', 'u', 'wamid.3', inboxScore(32, 0), '{"n":3}')).toEqual({
      added: true,
      locked: true,
    });
    await client.lrem(`${prefix}:webhook-events:wait`, 1, '29');
    await client.set(pair, '2');
    const second = await inbox.removeAndNext('b3', 'u', 'wamid.1', 'job-1', pair);
    expect(second).toMatchObject({ state: 'head', item: { messageId: 'wamid.2', olderPending: false } });
    expect(await client.exists(pair)).toBe(0);
    expect((await inbox.removeAndNext('b3', 'u', 'wamid.2', 'job-1', pair)).state).toBe('head');
    // Someone else's token: the item is removed, but the step reports the lock lost.
    expect(await inbox.removeAndNext('b3', 'u', 'wamid.3', 'job-9', pair)).toEqual({ state: 'lost' });
    expect(await client.get(lock)).toBe('job-1');
    await inbox.push('b3', 'u', 'wamid.4', inboxScore(33, 0), '{"n":4}');
    expect((await inbox.acquireHead('b3', 'u', 'job-1', 5_000)).state).toBe('head');
    expect(await inbox.removeAndNext('b3', 'u', 'wamid.4', 'job-1', pair)).toEqual({ state: 'released' });
    expect(await client.exists(lock)).toBe(0);
    expect(await inbox.size('b3', 'u')).toBe(0);
  });
});

describe('ordering guard', () => {
  it('waits while an older webhook job is active or waiting, not for newer ones', async () => {
    const { redis: client, prefix } = redis.current;
    const guard = createOrderingGuard(client, prefix);
    const base = `${prefix}:webhook-events:`;
    await client.lpush(`${base}active`, '12', '15');
    await client.lpush(`${base}wait`, '20', '21');
    // Only newer jobs pending: no wait.
    const immediate = await guard.waitForOlderJobs(12, 1_000);
    expect(immediate.timedOut).toBe(false);
    expect(immediate.waitedMs).toBeLessThan(50);
    // Job 14 sees the older job 12 still active: waits until it finishes.
    setTimeout(() => void client.lrem(`${base}active`, 1, '12'), 150);
    const waited = await guard.waitForOlderJobs(14, 2_000);
    expect(waited.timedOut).toBe(false);
    expect(waited.waitedMs).toBeGreaterThanOrEqual(100);
    // A stalled job pushed back to the tail of the wait list, and a delayed retry, count too.
    await client.rpush(`${base}wait`, '3');
    expect((await guard.waitForOlderJobs(15, 100)).timedOut).toBe(true);
    await client.lrem(`${base}wait`, 1, '3');
    await client.zadd(`${base}delayed`, Date.now() + 60_000, '4');
    expect((await guard.waitForOlderJobs(15, 100)).timedOut).toBe(true);
    await client.zrem(`${base}delayed`, '4');
    expect((await guard.waitForOlderJobs(15, 100)).timedOut).toBe(false);
  });
});
