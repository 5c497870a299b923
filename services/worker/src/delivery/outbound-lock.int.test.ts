import { useTestRedis } from '@wabot/testing';
import { describe, expect, it } from 'vitest';
import { createOutboundLock, outboundLockKey } from './outbound-lock.js';

const redis = useTestRedis();

describe('outbound lock', () => {
  it('lets one holder in, lets the same token back in, and releases its own lock', async () => {
    const { redis: client, prefix } = redis.current;
    const lock = createOutboundLock(client, prefix);
    expect(await lock.acquire('m1', 'job-a', 5_000)).toBe(true);
    expect(await lock.acquire('m1', 'job-b', 5_000)).toBe(false);
    expect(await lock.acquire('m1', 'job-a', 5_000)).toBe(true);
    expect(await lock.release('m1', 'job-a')).toBe(true);
    expect(await client.exists(outboundLockKey(prefix, 'm1'))).toBe(0);
  });

  it('does not delete a lock another holder took over after ours expired', async () => {
    const { redis: client, prefix } = redis.current;
    const lock = createOutboundLock(client, prefix);
    expect(await lock.acquire('m2', 'job-a', 20)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(await lock.acquire('m2', 'job-b', 5_000)).toBe(true);
    expect(await lock.release('m2', 'job-a')).toBe(false);
    expect(await client.get(outboundLockKey(prefix, 'm2'))).toBe('job-b');
  });
});
