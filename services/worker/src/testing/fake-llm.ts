import { createServer, type IncomingMessage } from 'node:http';

export interface FakeLlmRequest {
  time: number;
  authorization: string | undefined;
  model: unknown;
  temperature: unknown;
  messages: { role: string; content: string }[];
  /** Text of the last user message. */
  lastUser: string;
  /** HTTP status answered (0 while hanging or when the client gave up). */
  status: number;
}

export interface FakeLlm {
  /** Base URL to use as LLM_BASE_URL (ends in /v1). */
  readonly url: string;
  readonly requests: FakeLlmRequest[];
  /** Answer the next `count` requests with `status` (e.g. 500, 429). */
  failNext(count: number, status?: number, retryAfterSeconds?: number): void;
  /** Delay the next `count` answers by `ms` (longer than the client's timeout = a timeout). */
  delayNext(count: number, ms: number): void;
  /** Every answer takes a random time between `minMs` and `maxMs` (0, 0 = immediate). */
  setLatency(minMs: number, maxMs: number): void;
  close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.from(chunk));
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return null;
  }
}

function toMessages(body: unknown): { role: string; content: string }[] {
  if (!body || typeof body !== 'object' || !('messages' in body) || !Array.isArray(body.messages)) return [];
  return body.messages.map((m: unknown) => ({
    role: m && typeof m === 'object' && 'role' in m && typeof m.role === 'string' ? m.role : '',
    content: m && typeof m === 'object' && 'content' in m && typeof m.content === 'string' ? m.content : '',
  }));
}

/**
 * A fake OpenAI-compatible chat completions server for tests (the LLM is the outside world):
 * answers `ECHO: <last user text>`, with switches for errors and slow answers.
 */
export async function createFakeLlm(): Promise<FakeLlm> {
  const requests: FakeLlmRequest[] = [];
  const failures: { remaining: number; status: number; retryAfterSeconds?: number | undefined }[] = [];
  const delays: { remaining: number; ms: number }[] = [];
  let latency = { minMs: 0, maxMs: 0 };
  const server = createServer(async (req, res) => {
    const body = await readJson(req);
    const messages = toMessages(body);
    const users = messages.filter((m) => m.role === 'user');
    const record: FakeLlmRequest = {
      time: Date.now(),
      authorization: req.headers.authorization,
      model: body && typeof body === 'object' && 'model' in body ? body.model : undefined,
      temperature: body && typeof body === 'object' && 'temperature' in body ? body.temperature : undefined,
      messages,
      lastUser: users.at(-1)?.content ?? '',
      status: 0,
    };
    requests.push(record);
    const delay = delays.find((d) => d.remaining > 0);
    const wait = delay ? delay.ms : latency.minMs + Math.random() * (latency.maxMs - latency.minMs);
    if (delay) delay.remaining--;
    if (wait > 0) {
      await new Promise((resolve) => setTimeout(resolve, wait));
      if (res.destroyed) return;
    }
    const failure = failures.find((f) => f.remaining > 0);
    if (failure) {
      failure.remaining--;
      record.status = failure.status;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (failure.retryAfterSeconds !== undefined) headers['retry-after'] = String(failure.retryAfterSeconds);
      res.writeHead(failure.status, headers).end(JSON.stringify({ error: { message: 'injected failure' } }));
      return;
    }
    record.status = 200;
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        id: `chatcmpl-${requests.length}`,
        object: 'chat.completion',
        model: record.model,
        choices: [
          { index: 0, message: { role: 'assistant', content: `ECHO: ${record.lastUser}` }, finish_reason: 'stop' },
        ],
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('fake LLM: no TCP address');
  const { port } = address;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    failNext(count, status = 500, retryAfterSeconds) {
      failures.push({ remaining: count, status, retryAfterSeconds });
    },
    delayNext(count, ms) {
      delays.push({ remaining: count, ms });
    },
    setLatency(minMs, maxMs) {
      latency = { minMs, maxMs };
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
