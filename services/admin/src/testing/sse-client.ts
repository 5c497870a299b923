import { setTimeout as sleep } from 'node:timers/promises';

/** One Server-Sent Event as a client sees it. */
export interface SseEvent {
  id: string | null;
  event: string;
  data: string;
}

export interface SseStream {
  status: number;
  headers: Headers;
  /** Every event received so far, in order. */
  readonly events: SseEvent[];
  /** Every comment line (`: ping`) received so far. */
  readonly comments: string[];
  /** Waits until `predicate` holds for the events received (default 5 s); returns them. */
  waitFor(predicate: (events: SseEvent[]) => boolean, timeoutMs?: number): Promise<SseEvent[]>;
  /** Aborts the request (the client goes away). */
  close(): void;
  /** Resolves when the server ended the stream or it was closed. */
  readonly ended: Promise<void>;
}

/**
 * A minimal EventSource over fetch (real HTTP, like a browser): reads `text/event-stream` as it
 * arrives and parses it per the SSE format (id, event, data, comments). For tests and demos.
 */
export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: controller.signal,
  });
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const ended = (async () => {
    if (!response.body || !response.ok) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body) {
        buffer += decoder.decode(chunk, { stream: true });
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event: SseEvent = { id: null, event: 'message', data: '' };
          const data: string[] = [];
          let isEvent = false;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) {
              comments.push(line.slice(1).trim());
              continue;
            }
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
            isEvent = true;
            if (field === 'id') event.id = value;
            else if (field === 'event') event.event = value;
            else if (field === 'data') data.push(value);
          }
          if (isEvent) events.push({ ...event, data: data.join('\n') });
        }
      }
    } catch {
      // Aborted by close(), or the server went away.
    }
  })();
  return {
    status: response.status,
    headers: response.headers,
    events,
    comments,
    ended,
    async waitFor(predicate, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(events)) {
        if (Date.now() > deadline) {
          throw new Error(`SSE: condition not met within ${timeoutMs} ms; got ${JSON.stringify(events)}`);
        }
        await sleep(10);
      }
      return events;
    },
    close() {
      controller.abort();
    },
  };
}
