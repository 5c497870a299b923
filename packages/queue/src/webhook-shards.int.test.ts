import { useTestRedis } from '@wabot/testing';
import { describe, expect, it } from 'vitest';
import { verifyWebhookShards, WebhookShardsMismatchError } from './webhook-shards.js';

const redis = useTestRedis();

describe('verifyWebhookShards', () => {
  it('records the first value (SET NX), accepts the same value, refuses another naming WEBHOOK_SHARDS', async () => {
    const { redis: client, prefix } = redis.current;
    expect(await verifyWebhookShards(client, prefix, 16)).toEqual({ recorded: true });
    expect(await client.get(`${prefix}:{meta}:webhook-shards`)).toBe('16');
    expect(await verifyWebhookShards(client, prefix, 16)).toEqual({ recorded: false });
    const mismatch = verifyWebhookShards(client, prefix, 8);
    await expect(mismatch).rejects.toBeInstanceOf(WebhookShardsMismatchError);
    await expect(mismatch).rejects.toThrow(/WEBHOOK_SHARDS is 8 here but 16 for this deployment/);
    expect(await client.get(`${prefix}:{meta}:webhook-shards`)).toBe('16');
    // Another deployment (prefix) records its own.
    expect(await verifyWebhookShards(client, `${prefix}:other`, 8)).toEqual({ recorded: true });
  });
});
