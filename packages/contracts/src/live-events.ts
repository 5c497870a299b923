import { z } from 'zod';

/**
 * The workspace's live event stream (docs/contract.md, Live events; /api/events): what the worker
 * and the admin write to a Redis Stream per workspace once a PostgreSQL change committed, and what
 * the admin's Server-Sent Events endpoint reads. An entry holds one {@link LiveEvent} as JSON; the
 * SSE `data` is the entry without `type`, a `message.created` entry's `message_id` replaced by the
 * message as the API shows it.
 */

/** The SSE event names, in the order the contract lists them. */
export const LIVE_EVENT_TYPES = [
  'message.created',
  'message.status',
  'conversation.control',
  'handoff.waiting',
  'message.updated',
] as const;
export type LiveEventType = (typeof LIVE_EVENT_TYPES)[number];

/** Entries kept per workspace stream (XADD MAXLEN ~): a reconnect further behind gets `reset`. */
export const LIVE_EVENTS_MAX_LEN = 10_000;

const scope = {
  workspace_id: z.string().min(1),
  bot_id: z.string().min(1),
  conversation_id: z.string().min(1),
};
const isoTime = z.iso.datetime({ offset: true });

/** Delivery states a `message.status` event reports; `cancelled` is a reply part a handoff stopped (stored `failed`, `error_title` `cancelled_by_handoff`). */
export const LIVE_MESSAGE_STATUSES = ['sent', 'delivered', 'read', 'failed', 'cancelled'] as const;

export const liveEventSchema = z.discriminatedUnion('type', [
  /** An inbound message stored, a bot reply part stored, an operator's (or the Business app's) message stored. */
  z.object({ type: z.literal('message.created'), ...scope, message_id: z.string().min(1) }),
  z.object({
    type: z.literal('message.status'),
    ...scope,
    message_id: z.string().min(1),
    wamid: z.string().nullable(),
    status: z.enum(LIVE_MESSAGE_STATUSES),
    error_code: z.number().int().nullable().optional(),
    error_title: z.string().nullable().optional(),
  }),
  z.object({
    type: z.literal('conversation.control'),
    ...scope,
    control: z.enum(['bot', 'human']),
    assignee: z.string().nullable(),
    handoff_reason: z.string().nullable(),
    resume_at: isoTime.nullable(),
    /** Who changed it: the caller's user id (API), or `bot` (the engine's handoff action), `keyword`, `business_app`, `auto_resume`. */
    by: z.string().min(1),
  }),
  /** A stored message changed other than by its delivery status (a Business-app edit or deletion). */
  z.object({ type: z.literal('message.updated'), ...scope, message_id: z.string().min(1) }),
  z.object({
    type: z.literal('handoff.waiting'),
    ...scope,
    since: isoTime,
    age_s: z.number().nonnegative(),
    threshold_s: z.number().int().positive(),
  }),
]);
export type LiveEvent = z.infer<typeof liveEventSchema>;

/** A stream entry id (`<ms>-<seq>`), the SSE `id` and `Last-Event-ID`. */
export const LIVE_EVENT_ID = /^\d{1,20}-\d{1,20}$/;

/** Orders two stream entry ids (negative when `a` comes first). */
export function compareLiveEventIds(a: string, b: string): number {
  const [aMs = 0n, aSeq = 0n] = a.split('-').map((part) => BigInt(part));
  const [bMs = 0n, bSeq = 0n] = b.split('-').map((part) => BigInt(part));
  if (aMs !== bMs) return aMs < bMs ? -1 : 1;
  if (aSeq !== bSeq) return aSeq < bSeq ? -1 : 1;
  return 0;
}

/**
 * The workspace's stream key. The hash tag keeps every command on one key of one Redis Cluster
 * slot, and spreads workspaces over the slots.
 */
export const liveEventsKey = (prefix: string, workspaceId: string) => `${prefix}:{events:${workspaceId}}`;

/** Parses a stored entry's JSON: the event, or null when it is not one (a reader skips it). */
export function parseLiveEvent(payload: string): LiveEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return null;
  }
  const parsed = liveEventSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
