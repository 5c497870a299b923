import { LIVE_EVENTS_MAX_LEN, type LiveEvent, liveEventSchema, liveEventsKey, parseLiveEvent } from '@wabot/contracts';
import type { RedisClient } from './redis-connection.js';

/** One entry of a workspace's live event stream: its id and the event (entries that do not parse are skipped). */
export interface LiveEventEntry {
  id: string;
  event: LiveEvent;
}

/** The one field of an entry; its value is the event as JSON. */
const FIELD = 'e';

/**
 * Writes live events (@wabot/contracts live-events) to their workspace's Redis Stream, capped at
 * about {@link LIVE_EVENTS_MAX_LEN} entries. Call it after the PostgreSQL change committed.
 * Never throws: an event that cannot be written (Redis away) is reported to `onError` and lost
 * for the stream only (the change itself is stored; a client refetches on `reset`).
 */
export interface LiveEventPublisher {
  publish(...events: LiveEvent[]): Promise<void>;
}

export function createLiveEventPublisher(
  redis: RedisClient,
  prefix: string,
  options: { maxLen?: number; onError?: (error: unknown, event: LiveEvent) => void } = {},
): LiveEventPublisher {
  const maxLen = options.maxLen ?? LIVE_EVENTS_MAX_LEN;
  const onError = options.onError ?? (() => {});
  return {
    async publish(...events) {
      await Promise.all(
        events.map(async (event) => {
          try {
            const valid = liveEventSchema.parse(event);
            await redis.xadd(
              liveEventsKey(prefix, valid.workspace_id),
              'MAXLEN',
              '~',
              String(maxLen),
              '*',
              FIELD,
              JSON.stringify(valid),
            );
          } catch (error) {
            onError(error, event);
          }
        }),
      );
    },
  };
}

type RawEntry = [id: string, fields: string[]];

function toEntries(raw: RawEntry[] | null | undefined): LiveEventEntry[] {
  const entries: LiveEventEntry[] = [];
  for (const [id, fields] of raw ?? []) {
    const at = fields.indexOf(FIELD);
    const event = at >= 0 && at % 2 === 0 ? parseLiveEvent(fields[at + 1] ?? '') : null;
    if (event) entries.push({ id, event });
  }
  return entries;
}

/** Reads a workspace's live event stream: bounds, ranges, and a blocking tail on a connection of its own. */
export interface LiveEventReader {
  /** The ids of the oldest and newest entries still retained (null when the stream is empty or absent). */
  bounds(workspaceId: string): Promise<{ first: string; last: string } | null>;
  /** Up to `count` entries after `afterId` (exclusive), oldest first. */
  after(workspaceId: string, afterId: string, count: number): Promise<LiveEventEntry[]>;
  /**
   * Waits up to `blockMs` for entries after `afterId` on `blocking` (a connection nothing else
   * uses while it waits); [] on timeout.
   */
  tail(blocking: RedisClient, workspaceId: string, afterId: string, blockMs: number): Promise<LiveEventEntry[]>;
}

export function createLiveEventReader(redis: RedisClient, prefix: string): LiveEventReader {
  const key = (workspaceId: string) => liveEventsKey(prefix, workspaceId);
  return {
    async bounds(workspaceId) {
      const [first, last] = await Promise.all([
        redis.xrange(key(workspaceId), '-', '+', 'COUNT', 1),
        redis.xrevrange(key(workspaceId), '+', '-', 'COUNT', 1),
      ]);
      const firstId = first[0]?.[0];
      const lastId = last[0]?.[0];
      return firstId && lastId ? { first: firstId, last: lastId } : null;
    },
    async after(workspaceId, afterId, count) {
      return toEntries(await redis.xrange(key(workspaceId), `(${afterId}`, '+', 'COUNT', count));
    },
    async tail(blocking, workspaceId, afterId, blockMs) {
      const result = (await blocking.xread('COUNT', 500, 'BLOCK', blockMs, 'STREAMS', key(workspaceId), afterId)) as
        | [key: string, entries: RawEntry[]][]
        | null;
      return toEntries(result?.[0]?.[1]);
    },
  };
}
