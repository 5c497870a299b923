import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  type ParsedRequest,
  type SimulatedMessage,
  WIRE_FORMATS,
  type WireAnswer,
  type WireFormat,
  WireFormatError,
  type WireFormatName,
} from './wire-formats.js';

/** One request the simulator received, the same for every wire format. */
export interface SimulatedRequest extends ParsedRequest {
  time: number;
  format: WireFormatName;
  /** The credential sent (Authorization bearer, x-api-key or x-goog-api-key). */
  credential: string | undefined;
  /** Text of the last user message. */
  lastUser: string;
  /** HTTP status answered (0 while hanging or when the client gave up). */
  status: number;
}

/**
 * The answer to the next request (FIFO). Without one the simulator answers `ECHO: <last user
 * text>`, or `TOOL RESULT: <result>` right after a tool result.
 */
export interface ScriptedAnswer {
  text?: string;
  /** Tool calls the model makes (a round trip: the next request carries their results). */
  toolCalls?: { name: string; args: Record<string, unknown> }[];
  /** Answer this HTTP status with the provider's error body instead. */
  status?: number;
  /** With `status`: a Retry-After header, in seconds. */
  retryAfterSeconds?: number;
  /** Answer after this long (longer than the client's timeout = a timeout). */
  delayMs?: number;
  /** Usage to report; by default estimated at four characters a token. */
  usage?: { inputTokens: number; outputTokens: number; cachedInputTokens?: number };
}

/** One speech-to-text request (`POST /v1/audio/transcriptions`, OpenAI's multipart shape). */
export interface SimulatedTranscription {
  time: number;
  model: string;
  /** The uploaded file's name, type, size and hex sha256. */
  filename: string;
  mediaType: string;
  bytes: number;
  sha256: string;
  credential: string | undefined;
  /** The transcript answered (null on an error answer). */
  text: string | null;
  status: number;
}

export interface LlmSimulatorOptions {
  /** Keys accepted; others get the provider's 401. Default: any key (or none). */
  apiKeys?: string[];
  /** Models answered with the provider's 404 "model not found". */
  unknownModels?: string[];
  /** Default 0 (a free port). */
  port?: number;
  /**
   * Transcripts by the audio's hex sha256; other audio gets `[simulated transcript: <n> bytes of
   * <type>]`. Deterministic, so tests and the demo know what the engine will read.
   */
  transcripts?: Record<string, string>;
}

export interface LlmSimulator {
  /** OpenAI-compatible base URL (ends in /v1): LLM_BASE_URL, or settings.llm.base_url of openai / openai-compatible. */
  readonly url: string;
  /** Anthropic messages base URL (ends in /v1). */
  readonly anthropicUrl: string;
  /** Gemini base URL (ends in /v1beta). */
  readonly googleUrl: string;
  readonly requests: SimulatedRequest[];
  /** Speech-to-text requests, in order. The STT base URL is {@link url} (STT_BASE_URL). */
  readonly transcriptions: SimulatedTranscription[];
  /** The transcript of audio whose hex sha256 is `sha256`. */
  setTranscript(sha256: string, text: string): void;
  /** Answer the next `count` transcription requests with `status` (default 500). */
  failNextTranscriptions(count: number, status?: number): void;
  /** Queue answers for the next requests, in order. */
  script(...answers: ScriptedAnswer[]): void;
  /** Answer the next `count` requests with `status` (e.g. 500, 429). */
  failNext(count: number, status?: number, retryAfterSeconds?: number): void;
  /** Delay the next `count` answers by `ms`. */
  delayNext(count: number, ms: number): void;
  /** Every answer takes a random time between `minMs` and `maxMs` (0, 0 = immediate). */
  setLatency(minMs: number, maxMs: number): void;
  /** Forget recorded requests and queued answers, failures and delays. */
  reset(): void;
  close(): Promise<void>;
}

const openAiError = (message: string) => ({ error: { message, type: 'invalid_request_error', code: null } });

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.from(chunk));
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return null;
  }
}

const tokens = (chars: number) => Math.max(1, Math.ceil(chars / 4));
const charsOf = (messages: SimulatedMessage[]) =>
  messages.reduce((sum, m) => sum + m.content.length + JSON.stringify(m.toolCalls ?? []).length, 0);

/** `ECHO: <last user text>`, naming the files it carried (`[saw image/png, 68 bytes]`) so tests see the model got them. */
function defaultText(messages: SimulatedMessage[]): string {
  const last = messages.at(-1);
  if (last?.role === 'tool') return `TOOL RESULT: ${last.content}`;
  const user = messages.filter((m) => m.role === 'user').at(-1);
  const saw = (user?.attachments ?? []).map((a) => ` [saw ${a.mediaType}, ${a.data.length} bytes]`).join('');
  return `ECHO: ${user?.content ?? ''}${saw}`;
}

/**
 * A fake LLM provider for tests, the demo and benchmarks (the LLM is the outside world): one
 * server speaking the OpenAI chat completions, Anthropic messages and Gemini generateContent wire
 * formats (non-streaming), with their usage reports and error bodies, scriptable answers (text,
 * tool calls), and switches for errors, rate limits and slow answers.
 */
export async function startLlmSimulator(options: LlmSimulatorOptions = {}): Promise<LlmSimulator> {
  const requests: SimulatedRequest[] = [];
  let answers: ScriptedAnswer[] = [];
  let failures: { remaining: number; status: number; retryAfterSeconds?: number | undefined }[] = [];
  let delays: { remaining: number; ms: number }[] = [];
  let latency = { minMs: 0, maxMs: 0 };
  const unknownModels = new Set(options.unknownModels ?? []);
  let callIds = 0;
  const transcriptions: SimulatedTranscription[] = [];
  const transcripts = new Map(Object.entries(options.transcripts ?? {}));
  let transcriptionFailures: { remaining: number; status: number }[] = [];

  /** OpenAI's POST /v1/audio/transcriptions: multipart `file` and `model`, answering `{text}`. */
  const transcribe = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(Buffer.from(chunk));
    const credential = (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '') || undefined;
    const reply = (status: number, body: unknown, record?: SimulatedTranscription) => {
      if (record) transcriptions.push({ ...record, status });
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    let form: FormData;
    try {
      form = await new Request('http://stt.local/', {
        method: 'POST',
        headers: { 'content-type': req.headers['content-type'] ?? '' },
        body: Buffer.concat(chunks),
      }).formData();
    } catch {
      reply(400, openAiError('Could not parse multipart form'));
      return;
    }
    const file = form.get('file');
    const model = form.get('model');
    if (!(file instanceof Blob) || typeof model !== 'string' || model === '') {
      reply(400, openAiError("'file' and 'model' are required"));
      return;
    }
    const data = Buffer.from(await file.arrayBuffer());
    const sha256 = createHash('sha256').update(data).digest('hex');
    const record: SimulatedTranscription = {
      time: Date.now(),
      model,
      filename: file instanceof File ? file.name : 'blob',
      mediaType: file.type,
      bytes: data.length,
      sha256,
      credential,
      text: null,
      status: 0,
    };
    if (options.apiKeys && !options.apiKeys.includes(credential ?? '')) {
      reply(401, openAiError('Incorrect API key provided.'), record);
      return;
    }
    const failure = transcriptionFailures.find((f) => f.remaining > 0);
    if (failure) {
      failure.remaining--;
      reply(failure.status, openAiError('injected failure'), record);
      return;
    }
    const text = transcripts.get(sha256) ?? `[simulated transcript: ${data.length} bytes of ${file.type || 'audio'}]`;
    reply(200, { text }, { ...record, text });
  };

  const send = (
    res: ServerResponse,
    record: SimulatedRequest,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) => {
    record.status = status;
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  };

  const handle = async (format: WireFormat, pathModel: string | null, req: IncomingMessage, res: ServerResponse) => {
    let parsed: ParsedRequest;
    try {
      parsed = format.read(await readJson(req), pathModel);
    } catch (error) {
      if (!(error instanceof WireFormatError)) throw error;
      // What the provider answers for a content part not in its format (nothing is recorded).
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify(format.error(400, error.message)));
      return;
    }
    const record: SimulatedRequest = {
      ...parsed,
      time: Date.now(),
      format: format.name,
      credential: format.credential(req.headers),
      lastUser: parsed.messages.filter((m) => m.role === 'user').at(-1)?.content ?? '',
      status: 0,
    };
    requests.push(record);
    const scripted = answers.shift();
    const delay = delays.find((d) => d.remaining > 0);
    if (delay) delay.remaining--;
    const wait = scripted?.delayMs ?? delay?.ms ?? latency.minMs + Math.random() * (latency.maxMs - latency.minMs);
    if (wait > 0) {
      await new Promise((resolve) => setTimeout(resolve, wait));
      if (res.destroyed) return;
    }
    if (options.apiKeys && !options.apiKeys.includes(record.credential ?? '')) {
      send(res, record, 401, format.error(401, 'Incorrect API key provided.'));
      return;
    }
    if (unknownModels.has(record.model)) {
      send(res, record, 404, format.error(404, `The model \`${record.model}\` does not exist.`));
      return;
    }
    const failure = failures.find((f) => f.remaining > 0);
    const error = scripted?.status !== undefined ? scripted : failure;
    if (failure && error === failure) failure.remaining--;
    if (error?.status !== undefined) {
      const headers: Record<string, string> =
        error.retryAfterSeconds !== undefined ? { 'retry-after': String(error.retryAfterSeconds) } : {};
      send(res, record, error.status, format.error(error.status, 'injected failure'), headers);
      return;
    }
    const text = scripted?.text ?? (scripted?.toolCalls ? '' : defaultText(record.messages));
    const toolCalls = (scripted?.toolCalls ?? []).map((call) => ({ id: `call_${++callIds}`, ...call }));
    const answer: WireAnswer = {
      model: record.model,
      text,
      toolCalls,
      usage: {
        inputTokens: scripted?.usage?.inputTokens ?? tokens(charsOf(record.messages)),
        outputTokens: scripted?.usage?.outputTokens ?? tokens(text.length + JSON.stringify(toolCalls).length),
        cachedInputTokens: scripted?.usage?.cachedInputTokens ?? 0,
      },
    };
    send(res, record, 200, format.answer(answer));
  };

  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (req.method === 'POST' && path.endsWith('/audio/transcriptions')) {
      transcribe(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500).end(JSON.stringify({ error: { message: `simulator: ${error}` } }));
      });
      return;
    }
    for (const format of WIRE_FORMATS) {
      const route = req.method === 'POST' ? format.route(path) : null;
      if (!route) continue;
      handle(format, route.model, req, res).catch((error: unknown) => {
        // A bug in the simulator, not an injected failure: say so in the answer.
        if (!res.headersSent) res.writeHead(500).end(JSON.stringify({ error: { message: `simulator: ${error}` } }));
      });
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'no such route' }));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('LLM simulator: no TCP address');
  const base = `http://127.0.0.1:${address.port}`;
  return {
    url: `${base}/v1`,
    anthropicUrl: `${base}/v1`,
    googleUrl: `${base}/v1beta`,
    requests,
    transcriptions,
    setTranscript(sha256, text) {
      transcripts.set(sha256, text);
    },
    failNextTranscriptions(count, status = 500) {
      transcriptionFailures.push({ remaining: count, status });
    },
    script(...scripted) {
      answers.push(...scripted);
    },
    failNext(count, status = 500, retryAfterSeconds) {
      failures.push({ remaining: count, status, retryAfterSeconds });
    },
    delayNext(count, ms) {
      delays.push({ remaining: count, ms });
    },
    setLatency(minMs, maxMs) {
      latency = { minMs, maxMs };
    },
    reset() {
      requests.length = 0;
      transcriptions.length = 0;
      transcriptionFailures = [];
      answers = [];
      failures = [];
      delays = [];
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
