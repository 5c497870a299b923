import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { physicalQueueName, webhookQueueNames, webhookShardOf, webhookShardsKey } from './queue-names.js';

describe('physicalQueueName', () => {
  it('hash-tags every physical queue so each lives in one Redis Cluster slot', () => {
    expect(physicalQueueName('webhook-events', 0)).toBe('{webhooks-0}');
    expect(physicalQueueName('webhook-events', 255)).toBe('{webhooks-255}');
    expect(physicalQueueName('conversations')).toBe('{conversations}');
    expect(physicalQueueName('outbound')).toBe('{outbound}');
    expect(webhookQueueNames(3)).toEqual(['{webhooks-0}', '{webhooks-1}', '{webhooks-2}']);
    expect(webhookShardsKey('wabot')).toBe('wabot:{meta}:webhook-shards');
  });

  it('refuses shards out of range, and a shard for a queue that has none', () => {
    expect(() => physicalQueueName('webhook-events', -1)).toThrow(RangeError);
    expect(() => physicalQueueName('webhook-events', 256)).toThrow(RangeError);
    expect(() => physicalQueueName('webhook-events', 1.5)).toThrow(RangeError);
    // @ts-expect-error: the sharded queue needs its shard
    expect(() => physicalQueueName('webhook-events')).toThrow(/sharded/);
    // @ts-expect-error: conversations has no shards
    expect(() => physicalQueueName('conversations', 0)).toThrow(/not sharded/);
    expect(() => webhookQueueNames(0)).toThrow(RangeError);
    expect(() => webhookQueueNames(257)).toThrow(RangeError);
  });
});

describe('webhookShardOf', () => {
  it('is stable: the same bot lands on the same shard in every process and version', () => {
    // Pinned values: changing the hash would re-route live bots (and break ordering across a
    // rolling deploy), so a change here must be deliberate.
    expect(webhookShardOf('bt_0000000000000001', 16)).toBe(webhookShardOf('bt_0000000000000001', 16));
    const ids = ['bt_0000000000000001', 'bt_demo', 'bt_x', 'a', ''];
    expect(ids.map((id) => [webhookShardOf(id, 16), webhookShardOf(id, 256)])).toEqual([
      [0, 208],
      [3, 227],
      [11, 139],
      [3, 179],
      [11, 11],
    ]);
    expect(webhookShardOf('bt_anything', 1)).toBe(0);
  });

  it('spreads bot ids evenly over the shards', () => {
    for (const shards of [2, 16, 256]) {
      const counts = new Array<number>(shards).fill(0);
      const n = shards * 400;
      for (let i = 0; i < n; i++) {
        const shard = webhookShardOf(`bt_${randomBytes(8).toString('hex')}`, shards);
        counts[shard] = (counts[shard] ?? 0) + 1;
      }
      // Any shard outside [0, shards) would have grown the array.
      expect(counts).toHaveLength(shards);
      // 400 expected per shard: ±25 % is > 5 standard deviations (σ = 20).
      expect(Math.min(...counts)).toBeGreaterThan(300);
      expect(Math.max(...counts)).toBeLessThan(500);
    }
  });

  it('spreads sequential ids too (ids minted by one clock differ in few characters)', () => {
    const counts = new Array<number>(16).fill(0);
    for (let i = 0; i < 6400; i++) {
      const shard = webhookShardOf(`bt_${String(1_700_000_000_000 + i)}`, 16);
      counts[shard] = (counts[shard] ?? 0) + 1;
    }
    expect(Math.min(...counts)).toBeGreaterThan(300);
    expect(Math.max(...counts)).toBeLessThan(500);
  });
});
