import { randomUUID } from 'node:crypto';
import { liveEventsKey } from '@wabot/contracts';
import { useTestRedisCluster } from '@wabot/testing';
import { describe, expect, it } from 'vitest';
import { createLiveEventPublisher, createLiveEventReader } from './live-events.js';
import { createRedisConnection } from './redis-connection.js';

// The live event streams on a real Redis Cluster: each workspace's stream is one hash-tagged key,
// so XADD, XRANGE and a blocking XREAD run on its node (no CROSSSLOT, no MOVED left unfollowed).
const cluster = useTestRedisCluster();

describe('live event streams on a Redis Cluster', () => {
  it('publishes, reads back and tails the streams of several workspaces', async () => {
    const { prefix, seeds } = cluster.current;
    const target = { url: 'redis://127.0.0.1:6379', clusterNodes: seeds.split(',') };
    const redis = createRedisConnection(target, 'client');
    const blocking = createRedisConnection(target, 'worker');
    const errors: unknown[] = [];
    const publisher = createLiveEventPublisher(redis, prefix, { onError: (err) => errors.push(err) });
    const reader = createLiveEventReader(redis, prefix);
    const workspaces = Array.from({ length: 6 }, () => randomUUID());
    const event = (workspaceId: string, n: number) => ({
      type: 'message.created' as const,
      workspace_id: workspaceId,
      bot_id: 'bt_cluster',
      conversation_id: randomUUID(),
      message_id: `m${n}`,
    });
    try {
      // The keys land in more than one slot: the streams really are spread over the nodes.
      const slots = new Set(
        await Promise.all(
          workspaces.map(async (w) => (await redis.call('CLUSTER', 'KEYSLOT', liveEventsKey(prefix, w))) as number),
        ),
      );
      expect(slots.size).toBeGreaterThan(1);
      for (const [i, workspaceId] of workspaces.entries()) {
        await publisher.publish(event(workspaceId, i * 2), event(workspaceId, i * 2 + 1));
      }
      expect(errors).toEqual([]);
      for (const [i, workspaceId] of workspaces.entries()) {
        const bounds = await reader.bounds(workspaceId);
        if (!bounds) throw new Error('empty stream');
        const all = await reader.after(workspaceId, '0-0', 10);
        expect(all.map((e) => e.event.type === 'message.created' && e.event.message_id)).toEqual([
          `m${i * 2}`,
          `m${i * 2 + 1}`,
        ]);
        expect(all[0]?.id).toBe(bounds.first);
        expect(all[1]?.id).toBe(bounds.last);
      }
      const [first] = workspaces;
      if (!first) throw new Error('no workspace');
      const position = (await reader.bounds(first))?.last ?? '0-0';
      const tailed = reader.tail(blocking, first, position, 5_000);
      await new Promise((resolve) => setTimeout(resolve, 100));
      await publisher.publish(event(first, 99));
      expect((await tailed).map((e) => e.event.type === 'message.created' && e.event.message_id)).toEqual(['m99']);
    } finally {
      redis.disconnect();
      blocking.disconnect();
    }
  });
});
