import { compareLiveEventIds, LIVE_EVENT_ID } from '@wabot/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AdminDeps } from '../deps.js';
import { requireMembership } from '../domain/tenancy.js';
import type { LiveSubscription, RenderedEvent } from '../live/live-event-hub.js';
import { callerOf } from '../plugins/caller.js';
import { authErrorResponses } from '../schemas/common.js';

/** A client this far behind (bytes buffered, unsent) is dropped; it reconnects with Last-Event-ID. */
const MAX_BUFFERED_BYTES = 1_048_576;

const eventsQuerySchema = z.object({
  workspace_id: z.uuid('must be a workspace id (uuid)'),
  last_event_id: z
    .string()
    .regex(LIVE_EVENT_ID, 'must be an event id (<ms>-<seq>) from this stream')
    .optional()
    .describe('for EventSource reconnects that cannot set the Last-Event-ID header'),
});

const sse = (event: RenderedEvent) => `id: ${event.id}\nevent: ${event.type}\ndata: ${event.data}\n\n`;

/**
 * GET /api/events: the workspace's live events as Server-Sent Events (docs/contract.md, Live
 * events). Each event is written once per connection, in stream order; `Last-Event-ID` (or
 * `?last_event_id=`) replays the retained events after it first, or sends `reset` when some may
 * be gone. A `: ping` comment every EVENTS_HEARTBEAT_MS; a closed connection frees its subscription.
 */
export function registerEventRoutes(root: FastifyInstance, deps: AdminDeps): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { repositories: repos, liveEvents, config } = deps;

  app.get(
    '/events',
    {
      schema: {
        tags: ['events'],
        summary:
          'Live events of a workspace (Server-Sent Events): message.created, message.status, message.updated, conversation.control, handoff.waiting',
        description:
          'text/event-stream. Each event has `id` (the stream entry id), `event` (its type) and `data` (JSON with workspace_id, bot_id, conversation_id and the event fields). Reconnect with the `Last-Event-ID` header (or `?last_event_id=`) to get the events missed meanwhile; an `event: reset` (`data: {}`) means some are gone: refetch. A `: ping` comment every 15 s.',
        produces: ['text/event-stream'],
        querystring: eventsQuerySchema,
        headers: z.looseObject({ 'last-event-id': z.string().max(64).optional() }),
        response: {
          200: z.string().describe('text/event-stream'),
          ...authErrorResponses,
        },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const { workspace_id: workspaceId } = request.query;
      await requireMembership(repos, caller.userId, workspaceId);
      const header = request.headers['last-event-id'];
      const lastEventId =
        typeof header === 'string' && header.trim() !== '' ? header.trim() : request.query.last_event_id;

      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        'x-request-id': request.id,
      });
      res.write(': connected\n\n');

      let closed = false;
      let subscription: LiveSubscription | undefined;
      let heartbeat: NodeJS.Timeout | undefined;
      const close = () => {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        subscription?.close();
        if (!res.writableEnded) res.end();
      };
      request.raw.on('close', close);
      res.on('close', close);
      res.on('error', close);

      // The newest id written to this client: replayed and live events overlap, each goes out once.
      let sentUpTo: string | null = lastEventId ?? null;
      let replaying = true;
      const held: RenderedEvent[] = [];
      const write = (event: RenderedEvent) => {
        if (closed) return;
        if (sentUpTo !== null && compareLiveEventIds(event.id, sentUpTo) <= 0) return;
        sentUpTo = event.id;
        res.write(sse(event));
        if (res.writableLength > MAX_BUFFERED_BYTES) {
          request.log.warn(
            { workspaceId },
            'live events: client too slow, stream closed (it reconnects with Last-Event-ID)',
          );
          close();
        }
      };
      try {
        subscription = await liveEvents.subscribe(
          workspaceId,
          (event) => {
            if (replaying) held.push(event);
            else write(event);
          },
          close,
        );
        if (closed) {
          subscription.close();
          return;
        }
        if (lastEventId !== undefined) {
          const missed = LIVE_EVENT_ID.test(lastEventId) ? await liveEvents.replay(workspaceId, lastEventId) : 'reset';
          if (missed === 'reset') {
            // The client refetches; what follows is live.
            sentUpTo = null;
            if (!closed) res.write('event: reset\ndata: {}\n\n');
          } else {
            for (const event of missed) write(event);
          }
        }
        replaying = false;
        for (const event of held.splice(0)) write(event);
      } catch (err) {
        request.log.error({ err, workspaceId }, 'live events: could not start the stream');
        close();
        return;
      }
      heartbeat = setInterval(() => {
        if (!closed) res.write(': ping\n\n');
      }, config.EVENTS_HEARTBEAT_MS);
      heartbeat.unref();
    },
  );
}
