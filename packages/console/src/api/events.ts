import { EventSource } from 'eventsource';
import type { Message } from './client';
import { storedApiKey } from './http';

// The workspace's live events (GET /api/events, Server-Sent Events): EventSource with the
// session cookie, or with the API key in the Authorization header (the `eventsource` package
// sends headers through its fetch; it reconnects with Last-Event-ID itself).

interface Base {
  workspace_id: string;
  bot_id: string;
  conversation_id: string;
}

export type WorkspaceEvent =
  | ({ type: 'message.created'; message: Message } & Base)
  /** A Business-app edit or revoke echo changed a stored message. */
  | ({ type: 'message.updated'; message: Message } & Base)
  | ({
      type: 'message.status';
      message_id: string;
      wamid: string | null;
      status: Message['status'] | 'cancelled';
      error_code?: number | null;
      error_title?: string | null;
    } & Base)
  | ({
      type: 'conversation.control';
      control: 'bot' | 'human';
      assignee: string | null;
      handoff_reason: string | null;
      resume_at: string | null;
      by: string | null;
    } & Base)
  | ({ type: 'handoff.waiting'; since: string; age_s: number; threshold_s: number } & Base)
  | { type: 'reset' };

const TYPES = [
  'message.created',
  'message.updated',
  'message.status',
  'conversation.control',
  'handoff.waiting',
  'reset',
] as const;

export type StreamState = 'connecting' | 'open' | 'down';

/** Subscribes to the workspace's events until the returned function is called. */
export function subscribeToEvents(
  workspaceId: string,
  onEvent: (event: WorkspaceEvent) => void,
  onState: (state: StreamState) => void,
): () => void {
  const key = storedApiKey();
  const url = `/api/events?workspace_id=${encodeURIComponent(workspaceId)}`;
  const source = new EventSource(url, {
    withCredentials: true,
    ...(key
      ? {
          fetch: (input, init) =>
            fetch(input, { ...init, headers: { ...init.headers, authorization: `Bearer ${key}` } }),
        }
      : {}),
  });
  onState('connecting');
  source.onopen = () => onState('open');
  source.onerror = () => onState(source.readyState === source.CLOSED ? 'down' : 'connecting');
  for (const type of TYPES) {
    source.addEventListener(type, (message) => {
      try {
        const data: unknown = JSON.parse(message.data || '{}');
        if (typeof data === 'object' && data !== null) onEvent({ ...data, type } as WorkspaceEvent);
      } catch {
        // Not JSON: nothing to show.
      }
    });
  }
  return () => source.close();
}
