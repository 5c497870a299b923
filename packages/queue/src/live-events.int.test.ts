import { randomUUID } from 'node:crypto';
import { type LiveEvent, liveEventsKey } from '@wabot/contracts';
import { useTestRedis } from '@wabot/testing';
import { describe, expect, it } from 'vitest';
import { createLiveEventPublisher, createLiveEventReader } from './live-events.js';

const redis = useTestRedis();

describe('live event publisher and reader', () => {
  it('never throws: an event that is not one is reported and not written; foreign entries are skipped on read', async () => {
    const { prefix } = redis.current;
    const errors: unknown[] = [];
    const publisher = createLiveEventPublisher(redis.current.redis, prefix, { onError: (err) => errors.push(err) });
    const reader = createLiveEventReader(redis.current.redis, prefix);
    const workspaceId = randomUUID();
    const bad = { type: 'message.status', workspace_id: workspaceId, status: 'teleported' } as unknown as LiveEvent;
    await expect(publisher.publish(bad)).resolves.toBeUndefined();
    expect(errors).toHaveLength(1);
    expect(await reader.bounds(workspaceId)).toBeNull();
    // An entry another writer left that is not an event.
    await redis.current.redis.xadd(liveEventsKey(prefix, workspaceId), '*', 'e', '{"type":"nope"}');
    await publisher.publish({
      type: 'handoff.waiting',
      workspace_id: workspaceId,
      bot_id: 'bt_1',
      conversation_id: randomUUID(),
      since: new Date().toISOString(),
      age_s: 61.5,
      threshold_s: 60,
    });
    const entries = await reader.after(workspaceId, '0-0', 10);
    expect(entries.map((e) => e.event.type)).toEqual(['handoff.waiting']);
  });
});
