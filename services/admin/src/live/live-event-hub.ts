import { setTimeout as sleep } from 'node:timers/promises';
import { compareLiveEventIds } from '@wabot/contracts';
import type { Repositories } from '@wabot/db';
import type { Logger } from '@wabot/logger';
import type { LiveEventEntry, LiveEventReader, RedisClient } from '@wabot/queue';
import { toMessageResponse } from '../domain/to-api.js';

/** One event as the SSE endpoint writes it: the stream entry id, the event name and its JSON data. */
export interface RenderedEvent {
  id: string;
  type: string;
  data: string;
}

export interface LiveSubscription {
  /** Stops delivering; the workspace's tail stops (and frees its connection) with its last subscriber. */
  close(): void;
}

/**
 * The admin process's reader of the workspaces' live event streams (docs/contract.md, Live events):
 * one blocking tail per workspace with subscribers, its events rendered once and handed to each
 * subscriber of that workspace in stream order.
 */
export interface LiveEventHub {
  /**
   * Delivers every event of the workspace's stream written after this call resolves to `onEvent`,
   * in order (the tail's position is fixed before it resolves, so a replay read afterwards overlaps
   * rather than misses).
   */
  subscribe(
    workspaceId: string,
    onEvent: (event: RenderedEvent) => void,
    onEnd?: () => void,
  ): Promise<LiveSubscription>;
  /** The retained events after `afterId`, oldest first; 'reset' when events after it may be gone (trimmed, or not this stream's id). */
  replay(workspaceId: string, afterId: string): Promise<RenderedEvent[] | 'reset'>;
  /** Tails running and subscribers, for tests and logs. */
  stats(): { tails: number; subscribers: number };
  /** Stops every tail and ends every subscription (their `onEnd`), so the server can close. */
  close(): Promise<void>;
}

export interface LiveEventHubOptions {
  reader: LiveEventReader;
  /** A fresh connection for one workspace's blocking tail (closed when the tail stops). */
  openBlocking: () => RedisClient;
  repositories: Pick<Repositories, 'conversations'>;
  logger: Logger;
  /** Longest XREAD BLOCK wait (the tail re-issues it). */
  blockMs?: number;
}

const PAGE = 500;

/** Stream entries as SSE events: `type` becomes the event name; a message event carries the message as the API shows it. */
async function render(
  repositories: Pick<Repositories, 'conversations'>,
  entries: LiveEventEntry[],
): Promise<RenderedEvent[]> {
  const ids = entries.flatMap(({ event }) =>
    event.type === 'message.created' || event.type === 'message.updated' ? [event.message_id] : [],
  );
  const messages = await repositories.conversations.findMessagesByIds(ids);
  return entries.flatMap(({ id, event }): RenderedEvent[] => {
    if (event.type === 'message.created' || event.type === 'message.updated') {
      const { type, message_id: messageId, ...scope } = event;
      const message = messages.get(messageId);
      // A message gone since (its bot's data deleted) has nothing left to show.
      if (!message) return [];
      return [{ id, type, data: JSON.stringify({ ...scope, message: toMessageResponse(message) }) }];
    }
    const { type, ...data } = event;
    return [{ id, type, data: JSON.stringify(data) }];
  });
}

export function createLiveEventHub(options: LiveEventHubOptions): LiveEventHub {
  const { reader, repositories, logger } = options;
  const blockMs = options.blockMs ?? 5_000;

  interface Tail {
    listeners: Map<(event: RenderedEvent) => void, () => void>;
    ready: Promise<void>;
    stop(): void;
  }
  const tails = new Map<string, Tail>();

  const startTail = (workspaceId: string): Tail => {
    const listeners = new Map<(event: RenderedEvent) => void, () => void>();
    const connection = options.openBlocking();
    let stopped = false;
    let position = '0-0';
    let markReady: () => void = () => {};
    const ready = new Promise<void>((resolve) => {
      markReady = resolve;
    });
    const run = async () => {
      // The position first (the newest entry now): subscribers get what is written after it.
      for (;;) {
        if (stopped) return;
        try {
          position = (await reader.bounds(workspaceId))?.last ?? '0-0';
          break;
        } catch (err) {
          logger.warn({ err, workspaceId }, 'live events: cannot read the stream; retrying');
          await sleep(1_000);
        }
      }
      markReady();
      while (!stopped) {
        let rendered: RenderedEvent[];
        let last: string | undefined;
        try {
          const entries = await reader.tail(connection, workspaceId, position, blockMs);
          if (stopped) return;
          last = entries.at(-1)?.id;
          rendered = await render(repositories, entries);
        } catch (err) {
          if (stopped) return;
          logger.warn({ err, workspaceId }, 'live events: tail failed; retrying');
          await sleep(1_000);
          continue;
        }
        if (last) position = last;
        for (const event of rendered) {
          for (const listener of listeners.keys()) listener(event);
        }
      }
    };
    run().then(
      () => {},
      (err: unknown) => logger.error({ err, workspaceId }, 'live events: tail stopped'),
    );
    return {
      listeners,
      ready,
      stop() {
        stopped = true;
        markReady();
        connection.disconnect();
      },
    };
  };

  return {
    async subscribe(workspaceId, onEvent, onEnd = () => {}) {
      let tail = tails.get(workspaceId);
      if (!tail) {
        tail = startTail(workspaceId);
        tails.set(workspaceId, tail);
      }
      const listener = (event: RenderedEvent) => onEvent(event);
      tail.listeners.set(listener, onEnd);
      const subscribed = tail;
      await subscribed.ready;
      return {
        close() {
          subscribed.listeners.delete(listener);
          if (subscribed.listeners.size === 0 && tails.get(workspaceId) === subscribed) {
            tails.delete(workspaceId);
            subscribed.stop();
          }
        },
      };
    },

    async replay(workspaceId, afterId) {
      const bounds = await reader.bounds(workspaceId);
      if (!bounds || compareLiveEventIds(afterId, bounds.first) < 0 || compareLiveEventIds(afterId, bounds.last) > 0) {
        return 'reset';
      }
      const events: RenderedEvent[] = [];
      let cursor = afterId;
      for (;;) {
        const entries = await reader.after(workspaceId, cursor, PAGE);
        events.push(...(await render(repositories, entries)));
        const last = entries.at(-1)?.id;
        if (!last || entries.length < PAGE) return events;
        cursor = last;
      }
    },

    stats() {
      let subscribers = 0;
      for (const tail of tails.values()) subscribers += tail.listeners.size;
      return { tails: tails.size, subscribers };
    },

    async close() {
      for (const tail of tails.values()) {
        tail.stop();
        for (const end of tail.listeners.values()) end();
        tail.listeners.clear();
      }
      tails.clear();
    },
  };
}
