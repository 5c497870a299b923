import { useTestRedis } from '@wabot/testing';
import { describe, expect, it } from 'vitest';
import { createConversationInbox, inboxScore } from './conversation-inbox.js';
import { createOrderingGuard } from './ordering-guard.js';

const redis = useTestRedis();

describe('conversation inbox', () => {
  it('orders by stage-1 job id then position, and ignores a second copy of a message', async () => {
    const inbox = createConversationInbox(redis.current.redis, redis.current.prefix);
    expect(await inbox.push('b1', 'u1', 'wamid.C', inboxScore(7, 0), '{"n":3}')).toBe(true);
    expect(await inbox.push('b1', 'u1', 'wamid.A', inboxScore(5, 1), '{"n":1}')).toBe(true);
    expect(await inbox.push('b1', 'u1', 'wamid.B', inboxScore(6, 0), '{"n":2}')).toBe(true);
    expect(await inbox.push('b1', 'u1', 'wamid.A', inboxScore(9, 0), '{"n":9}')).toBe(false);
    expect(await inbox.head('b1', 'u1')).toEqual({ messageId: 'wamid.A', sourceJobId: 5, data: '{"n":1}' });
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
