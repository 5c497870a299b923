import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import {
  ERROR_FAULT_KINDS,
  faultErrors,
  type GraphErrorAnswer,
  invalidParameter,
  invalidToken,
  missingToken,
  toGraphError,
  unknownPath,
  unsupportedGet,
} from './graph-errors.js';
import { createMediaLibrary, MEDIA_DOWNLOAD_PATH, type MediaLibrary } from './media-library.js';
import {
  createMediaUploads,
  MAX_UPLOAD_BODY_BYTES,
  type MediaUploads,
  type ParsedUpload,
  parseUpload,
} from './media-uploads.js';
import {
  classifySend,
  GRAPH_REQUEST_KINDS,
  type GraphRequestKind,
  isBsuid,
  toRecipient,
  validateSend,
} from './send-validation.js';
import { sentText } from './sent-text.js';

/** One request the simulated Graph API received, with the answer it gave. */
export interface RecordedGraphRequest {
  /** Arrival order (1-based). */
  seq: number;
  /** Date.now() at arrival. */
  time: number;
  method: string;
  path: string;
  version: string | null;
  phoneNumberId: string | null;
  /** Bearer token received. */
  token: string | null;
  /** Parsed JSON body, or null. */
  body: unknown;
  kind: GraphRequestKind;
  /** Digits only for phone numbers; BSUIDs as given. */
  to: string | null;
  /** HTTP status answered; 0 when the connection was dropped. */
  status: number;
  /** JSON answered (null when the connection was dropped). */
  response: unknown;
  /** wamid assigned to an accepted send. */
  messageId: string | null;
  /** Name of the injected fault that produced this answer. */
  fault: string | null;
}

const FAULT_KINDS = [...ERROR_FAULT_KINDS, 'drop_connection', 'latency'] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultSpec {
  kind: FaultKind;
  /** Every given field must match the request. */
  match?:
    | {
        token?: string | undefined;
        phoneNumberId?: string | undefined;
        to?: string | undefined;
        kind?: RecordedGraphRequest['kind'] | undefined;
      }
    | undefined;
  /** How many matching requests it affects (default: every one until cleared). */
  times?: number | undefined;
  /** Delay before answering; for 'latency' the answer is then the normal one. */
  latencyMs?: number | undefined;
  /** Retry-After header (seconds) for 429/503 answers. */
  retryAfterSeconds?: number | undefined;
}

export interface GraphSimulator {
  /** http://127.0.0.1:PORT: use as GRAPH_API_BASE_URL. */
  readonly url: string;
  /** Every answered request, in the order answered (seq gives arrival order). */
  readonly requests: RecordedGraphRequest[];
  /** Accepted (2xx) message sends, not read receipts or typing indicators. */
  sentMessages(filter?: { phoneNumberId?: string | undefined; to?: string | undefined }): RecordedGraphRequest[];
  /** The text of each accepted send (`''` for a non-text one), in the order the sends arrived. */
  sentTexts(filter?: { phoneNumberId?: string | undefined; to?: string | undefined }): string[];
  /** Accepted read receipts (typing indicators included), optionally for one wamid. */
  readReceipts(messageId?: string): RecordedGraphRequest[];
  injectFault(fault: FaultSpec): void;
  clearFaults(): void;
  /** Forgets requests and faults. */
  reset(): void;
  /** Polls predicate until it returns a truthy value; rejects with a description on timeout. */
  waitFor<T>(predicate: () => T | undefined | null | false, timeoutMs?: number): Promise<T>;
  /** Called after each request is answered; returns an unsubscribe function. */
  onRequest(listener: (request: RecordedGraphRequest) => void): () => void;
  /** Files accepted by `POST /{phone-number-id}/media`; a send may name them by id from that number. */
  readonly uploads: MediaUploads;
  /**
   * Users' inbound media: register a file to get the media id a webhook carries; GET /{media-id}
   * then answers its short-lived download URL (docs/meta-simulator.md, Media).
   */
  readonly media: MediaLibrary;
  close(): Promise<void>;
}

/** What GET /{phone_number_id} reports for a number. */
export interface PhoneNumberInfo {
  verified_name: string;
  display_phone_number: string;
  quality_rating: string;
  code_verification_status?: string;
  platform_type?: string;
  throughput?: { level: string };
}

/**
 * What GET /debug_token reports for a token (Meta's shape, Unix seconds, 0 = never).
 * https://developers.facebook.com/docs/graph-api/reference/debug_token/
 */
export interface TokenInfo {
  app_id: string;
  type: string;
  application: string;
  data_access_expires_at: number;
  expires_at: number;
  is_valid: boolean;
  issued_at?: number;
  scopes: string[];
  granular_scopes: { scope: string; target_ids?: string[] }[];
  user_id?: string;
}

export interface GraphSimulatorOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Tokens failing this get 401 code 190; by default any non-empty token is valid. */
  validTokens?: (token: string) => boolean;
  /** Called for each accepted message send (not read receipts), e.g. to emit status webhooks. */
  onAccepted?: (request: RecordedGraphRequest) => void;
  /** Phone number details for GET /{phone_number_id}; a default is derived from the id. */
  phoneNumberInfo?: (phoneNumberId: string) => PhoneNumberInfo | undefined;
  /**
   * What GET /debug_token reports for a valid token, over a never-expiring System User token with
   * the WhatsApp permissions (e.g. `{ expires_at: now + 3600 }` for a short-lived one).
   */
  tokenInfo?: (token: string) => Partial<TokenInfo> | undefined;
  /** Keep only the newest this many records (default: all); long benchmarks should set it. */
  maxRecorded?: number;
  /** Largest request body accepted (default 1 MiB). */
  maxBodyBytes?: number;
  /** Lifetime of the download URLs GET /{media-id} answers (default Meta's 5 minutes). */
  mediaUrlTtlMs?: number;
  /**
   * Serve `/_simulator/*` for out-of-process control (CLI server): GET requests?since=<seq>,
   * POST faults (a FaultSpec), DELETE faults, POST reset. Off by default.
   */
  controlApi?: boolean;
}

interface ActiveFault {
  spec: FaultSpec;
  remaining: number;
  matchTo: string | null;
}

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** A binary answer (a media download) instead of the JSON `body`. */
  raw?: { data: Uint8Array; contentType: string };
}

const VERSION = /^v\d+(\.\d+)?$/;
/** Requests that are not message sends: receipts, typing indicators and lookups. */
const NOT_SENDS = new Set<GraphRequestKind>([
  'read',
  'typing',
  'get_phone_number',
  'debug_token',
  'get_media',
  'media_download',
  'media_upload',
]);
/** Kinds that are message sends (everything a per-recipient fault such as 131047 can hit). */
const SEND_KINDS = new Set(GRAPH_REQUEST_KINDS.filter((kind) => !NOT_SENDS.has(kind)));
/** Faults that only make sense for a message send. */
const SEND_ONLY_FAULTS = new Set<FaultKind>([
  'throughput_130429',
  'pair_rate_131056',
  'window_closed_131047',
  'undeliverable_131026',
]);

/** Faults that need a phone number id in the path (not GET /debug_token). */
const PHONE_NUMBER_FAULTS = new Set<FaultKind>(['unknown_phone_number_100']);

const countSchema = z.number().nonnegative().optional().catch(undefined);
const optionalStringSchema = z.string().optional().catch(undefined);

/** A FaultSpec as the control API receives it; unknown fields are dropped, wrong-typed optional ones ignored. */
const faultSpecSchema = z.object({
  kind: z.enum(FAULT_KINDS),
  match: z
    .object({
      token: optionalStringSchema,
      phoneNumberId: optionalStringSchema,
      to: optionalStringSchema,
      kind: z.enum(GRAPH_REQUEST_KINDS).optional().catch(undefined),
    })
    .optional()
    .catch(undefined),
  times: countSchema,
  latencyMs: countSchema,
  retryAfterSeconds: countSchema,
});

/** The fields of a recorded POST .../messages body the simulator echoes (`to`, `recipient`) or looks up (`message_id`). */
const sendBodyFieldsSchema = z.object({
  to: z.unknown().optional(),
  recipient: z.unknown().optional(),
  message_id: z.string().optional().catch(undefined),
});

/** Parses a FaultSpec sent as JSON to the control API; null when it is not one. */
export function parseFaultSpec(json: string | null): FaultSpec | null {
  let value: unknown;
  try {
    value = JSON.parse(json ?? 'null');
  } catch {
    return null;
  }
  const parsed = faultSpecSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

function defaultTokenInfo(): TokenInfo {
  const now = Math.floor(Date.now() / 1000);
  return {
    app_id: '100000000000001',
    type: 'SYSTEM_USER',
    application: 'Simulated App',
    data_access_expires_at: 0,
    expires_at: 0,
    is_valid: true,
    issued_at: now - 86_400,
    scopes: ['whatsapp_business_management', 'whatsapp_business_messaging', 'business_management'],
    granular_scopes: [{ scope: 'whatsapp_business_management' }, { scope: 'whatsapp_business_messaging' }],
    user_id: '100000000000002',
  };
}

function defaultPhoneNumberInfo(phoneNumberId: string): PhoneNumberInfo {
  const digits = phoneNumberId.replace(/\D/g, '').slice(-7).padStart(7, '0');
  return {
    verified_name: 'Simulated Business',
    code_verification_status: 'VERIFIED',
    display_phone_number: `1555${digits}`,
    quality_rating: 'GREEN',
    platform_type: 'CLOUD_API',
    throughput: { level: 'STANDARD' },
  };
}

function parsePath(pathname: string): { version: string | null; segments: string[] } {
  const segments = pathname.split('/').filter((segment) => segment !== '');
  const first = segments[0];
  if (first !== undefined && VERSION.test(first)) return { version: first, segments: segments.slice(1) };
  return { version: null, segments };
}

function readBearer(header: string | undefined): string | null {
  if (header === undefined) return null;
  const match = /^Bearer\s+(.+)$/i.exec(header);
  const token = match?.[1]?.trim();
  return token === undefined || token === '' ? null : token;
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function newWamid(to: string | null, seq: number): string {
  const inner = `${to ?? ''}${seq.toString(16).padStart(8, '0')}${randomBytes(9).toString('hex').toUpperCase()}`;
  return `wamid.HBgL${Buffer.from(inner).toString('base64')}`;
}

function fromErrorAnswer(answer: GraphErrorAnswer): Answer {
  return { status: answer.status, body: answer.body };
}

/**
 * Starts a stand-in for Meta's Graph API (WhatsApp Cloud API subset) on node:http with keep-alive.
 * It validates sends as Meta does, answers Meta's success and error shapes, records every request
 * and applies injected faults (matched by token, phone number id, recipient and kind).
 */
export async function startGraphSimulator(options: GraphSimulatorOptions = {}): Promise<GraphSimulator> {
  const requests: RecordedGraphRequest[] = [];
  const listeners = new Set<(request: RecordedGraphRequest) => void>();
  let faults: ActiveFault[] = [];
  let seq = 0;
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const maxRecorded = options.maxRecorded ?? Number.POSITIVE_INFINITY;
  const phoneInfo = (id: string) => options.phoneNumberInfo?.(id) ?? defaultPhoneNumberInfo(id);
  const tokenInfo = (token: string): TokenInfo => ({ ...defaultTokenInfo(), ...options.tokenInfo?.(token) });
  const uploads = createMediaUploads();
  const media = createMediaLibrary({ ttlMs: options.mediaUrlTtlMs });

  function takeFault(record: RecordedGraphRequest): ActiveFault | null {
    for (const fault of faults) {
      const { match } = fault.spec;
      if (fault.remaining <= 0) continue;
      if (SEND_ONLY_FAULTS.has(fault.spec.kind) && !SEND_KINDS.has(record.kind)) continue;
      if (PHONE_NUMBER_FAULTS.has(fault.spec.kind) && record.phoneNumberId === null) continue;
      if (match?.token !== undefined && match.token !== record.token) continue;
      if (match?.phoneNumberId !== undefined && match.phoneNumberId !== record.phoneNumberId) continue;
      if (match?.kind !== undefined && match.kind !== record.kind) continue;
      if (fault.matchTo !== null && fault.matchTo !== record.to) continue;
      fault.remaining--;
      if (fault.remaining <= 0) faults = faults.filter((candidate) => candidate !== fault);
      return fault;
    }
    return null;
  }

  function finish(record: RecordedGraphRequest): void {
    requests.push(record);
    if (requests.length > maxRecorded) requests.splice(0, requests.length - maxRecorded);
    for (const listener of listeners) listener(record);
    if (record.messageId !== null && SEND_KINDS.has(record.kind)) options.onAccepted?.(record);
  }

  function answerNormally(
    record: RecordedGraphRequest,
    segments: string[],
    query: URLSearchParams,
    upload: ParsedUpload | null,
  ): Answer {
    const [id, edge, ...rest] = segments;
    if (upload !== null && id !== undefined) {
      const accepted = uploads.accept(id, upload);
      return 'id' in accepted ? { status: 200, body: accepted } : fromErrorAnswer(accepted);
    }
    if (record.method === 'POST' && id !== undefined && edge === 'messages' && rest.length === 0) {
      const error = validateSend(record.body, {
        isKnownMediaId: (mediaId) => uploads.get(mediaId)?.phoneNumberId === id,
      });
      if (error !== null) return fromErrorAnswer(error);
      if (record.kind === 'read' || record.kind === 'typing') return { status: 200, body: { success: true } };
      const fields = sendBodyFieldsSchema.safeParse(record.body).data;
      const input = fields?.to ?? fields?.recipient ?? null;
      const recipient = record.to ?? '';
      record.messageId = newWamid(recipient, record.seq);
      const contact = isBsuid(recipient) ? { input, user_id: recipient } : { input, wa_id: recipient };
      const message =
        record.kind === 'template' ? { id: record.messageId, message_status: 'accepted' } : { id: record.messageId };
      return { status: 200, body: { messaging_product: 'whatsapp', contacts: [contact], messages: [message] } };
    }
    if (id !== undefined && edge === 'subscribed_apps' && rest.length === 0) {
      return { status: 200, body: record.method === 'GET' ? { data: [] } : { success: true } };
    }
    if (record.kind === 'debug_token') return debugToken(query);
    if (record.kind === 'get_media' && id !== undefined) return describeMedia(record, id);
    if (record.kind === 'media_download') return downloadMedia(record, query);
    if (record.method === 'GET' && id !== undefined && edge === undefined) {
      const info: Record<string, unknown> = { ...phoneInfo(id), id };
      const fields = query.get('fields');
      if (fields === null) return { status: 200, body: info };
      const picked: Record<string, unknown> = {};
      for (const field of fields.split(',').map((name) => name.trim())) {
        if (field in info) picked[field] = info[field];
      }
      return { status: 200, body: { ...picked, id } };
    }
    return fromErrorAnswer(unknownPath(record.path));
  }

  /**
   * GET /{media-id}: Meta's answer with a fresh short-lived URL. A file registered for another
   * token is, as on Meta, an object that "does not exist, cannot be loaded due to missing permissions".
   */
  function describeMedia(record: RecordedGraphRequest, id: string): Answer {
    const owner = media.get(id)?.file.token;
    const described = owner === undefined || owner === record.token ? media.describe(id, simulator.url) : undefined;
    if (described === undefined) return fromErrorAnswer(unsupportedGet(id));
    return { status: 200, body: described };
  }

  /** A lookaside download: the bytes with the token that owns them; 404 once the URL expired; 403 for another token. */
  function downloadMedia(record: RecordedGraphRequest, query: URLSearchParams): Answer {
    const file = media.download(query, record.token);
    if (file === 'forbidden') return { status: 403, body: { error: 'Forbidden' } };
    if (file === 'not_found' || file === 'expired') return { status: 404, body: { error: 'Not Found' } };
    return { status: 200, body: null, raw: { data: file.data, contentType: file.mimeType } };
  }

  /**
   * GET /debug_token?input_token=: the bearer token (already accepted) may inspect any token. An
   * input token that validTokens refuses is answered as Meta does: 200 with `is_valid: false`.
   */
  function debugToken(query: URLSearchParams): Answer {
    const input = query.get('input_token');
    if (input === null || input === '') {
      return fromErrorAnswer(
        invalidParameter('input_token is required', '(#100) The parameter input_token is required'),
      );
    }
    if (options.validTokens !== undefined && !options.validTokens(input)) {
      return {
        status: 200,
        body: {
          data: {
            error: { code: 190, message: 'Invalid OAuth access token - Cannot parse access token' },
            is_valid: false,
            scopes: [],
          },
        },
      };
    }
    return { status: 200, body: { data: tokenInfo(input) } };
  }

  async function handleControl(req: IncomingMessage, url: URL): Promise<Answer> {
    const raw = await readBody(req, maxBodyBytes);
    const route = `${req.method ?? 'GET'} ${url.pathname.replace(/\/+$/, '')}`;
    if (route === 'GET /_simulator/requests') {
      const since = Number(url.searchParams.get('since') ?? '0');
      return { status: 200, body: { requests: requests.filter((record) => record.seq > since) } };
    }
    if (route === 'POST /_simulator/faults') {
      const spec = parseFaultSpec(raw === null ? null : raw.toString('utf8'));
      if (spec === null)
        return { status: 400, body: { error: { message: `Not a FaultSpec; kinds: ${FAULT_KINDS.join(', ')}` } } };
      simulator.injectFault(spec);
      return { status: 200, body: { ok: true } };
    }
    if (route === 'DELETE /_simulator/faults') {
      simulator.clearFaults();
      return { status: 200, body: { ok: true } };
    }
    if (route === 'POST /_simulator/reset') {
      simulator.reset();
      return { status: 200, body: { ok: true } };
    }
    return { status: 404, body: { error: { message: `No control route ${route}` } } };
  }

  function writeAnswer(res: ServerResponse, answer: Answer): void {
    if (answer.raw) {
      res.writeHead(answer.status, {
        'content-type': answer.raw.contentType,
        'content-length': answer.raw.data.byteLength,
      });
      res.end(answer.raw.data);
      return;
    }
    const payload = JSON.stringify(answer.body);
    res.writeHead(answer.status, {
      'content-type': 'application/json; charset=UTF-8',
      'content-length': Buffer.byteLength(payload),
      ...answer.headers,
    });
    res.end(payload);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const time = Date.now();
    const url = new URL(req.url ?? '/', 'http://graph.local');
    if (options.controlApi === true && url.pathname.startsWith('/_simulator/')) {
      writeAnswer(res, await handleControl(req, url));
      return;
    }
    const recordSeq = ++seq;
    const { version, segments } = parsePath(url.pathname);
    // POST /{phone-number-id}/media: a multipart upload, read up to the 100 MB document limit.
    const isUpload = req.method === 'POST' && segments.length === 2 && segments[1] === 'media';
    const bodyLimit = isUpload ? MAX_UPLOAD_BODY_BYTES : maxBodyBytes;
    const raw = await readBody(req, bodyLimit);
    let body: unknown = null;
    let bodyError: GraphErrorAnswer | null = null;
    let upload: ParsedUpload | null = null;
    if (raw === null) bodyError = invalidParameter(`Request body larger than ${bodyLimit} bytes`);
    else if (isUpload) {
      upload = await parseUpload(req.headers['content-type'], raw);
      body = upload.summary;
    } else if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        bodyError = invalidParameter('Request body is not valid JSON');
      }
    }
    const isMessages = req.method === 'POST' && segments.length === 2 && segments[1] === 'messages';
    const isDebugToken = req.method === 'GET' && segments.length === 1 && segments[0] === 'debug_token';
    const isDownload = req.method === 'GET' && `${url.pathname.replace(/\/+$/, '')}/` === MEDIA_DOWNLOAD_PATH;
    const isMedia = req.method === 'GET' && segments.length === 1 && media.get(segments[0] ?? '') !== undefined;
    const isPhone = req.method === 'GET' && segments.length === 1 && !isDebugToken && !isMedia;
    const classified: { kind: GraphRequestKind; to: string | null } = isMessages
      ? classifySend(body)
      : {
          kind: isDebugToken
            ? 'debug_token'
            : isDownload
              ? 'media_download'
              : isMedia
                ? 'get_media'
                : isPhone
                  ? 'get_phone_number'
                  : isUpload
                    ? 'media_upload'
                    : 'other',
          to: null,
        };
    const record: RecordedGraphRequest = {
      seq: recordSeq,
      time,
      method: req.method ?? 'GET',
      path: url.pathname,
      version,
      phoneNumberId: isDebugToken || isDownload || isMedia ? null : (segments[0] ?? null),
      token: readBearer(req.headers.authorization),
      body,
      kind: classified.kind,
      to: classified.to,
      status: 0,
      response: null,
      messageId: null,
      fault: null,
    };

    let answer: Answer;
    // The lookaside host answers plain HTTP errors, not Graph error bodies.
    if (isDownload && record.token === null) answer = { status: 401, body: { error: 'Unauthorized' } };
    else if (record.token === null) answer = fromErrorAnswer(missingToken());
    else if (options.validTokens !== undefined && !options.validTokens(record.token)) {
      answer = fromErrorAnswer(invalidToken());
    } else {
      const fault = takeFault(record);
      const faultKind = fault?.spec.kind ?? null;
      if (fault?.spec.latencyMs !== undefined && fault.spec.latencyMs > 0) await delay(fault.spec.latencyMs);
      record.fault = faultKind;
      if (faultKind === 'drop_connection') {
        req.socket.destroy();
        finish(record);
        return;
      }
      if (fault !== null && faultKind !== null && faultKind !== 'latency') {
        answer = fromErrorAnswer(faultErrors[faultKind](record));
        const retryAfter = fault.spec.retryAfterSeconds;
        if (retryAfter !== undefined && (answer.status === 429 || answer.status === 503)) {
          answer.headers = { 'retry-after': String(retryAfter) };
        }
      } else {
        answer =
          bodyError === null ? answerNormally(record, segments, url.searchParams, upload) : fromErrorAnswer(bodyError);
      }
    }

    record.status = answer.status;
    record.response = answer.body;
    writeAnswer(res, answer);
    finish(record);
  }

  const server = createServer({ keepAlive: true }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      const answer = toGraphError(500, 1, `Simulator failure: ${String(error)}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.body));
    });
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 0;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const host = options.host ?? '127.0.0.1';
  const urlHost = host.includes(':') ? `[${host}]` : host;

  const simulator: GraphSimulator = {
    url: `http://${urlHost}:${port}`,
    requests,
    sentMessages(filter = {}) {
      const to = filter.to === undefined ? undefined : toRecipient(filter.to);
      return requests.filter(
        (record) =>
          record.messageId !== null &&
          record.status >= 200 &&
          record.status < 300 &&
          (filter.phoneNumberId === undefined || record.phoneNumberId === filter.phoneNumberId) &&
          (to === undefined || record.to === to),
      );
    },
    sentTexts(filter = {}) {
      return simulator
        .sentMessages(filter)
        .sort((a, b) => a.seq - b.seq)
        .map((record) => sentText(record) ?? '');
    },
    readReceipts(messageId) {
      return requests.filter((record) => {
        if ((record.kind !== 'read' && record.kind !== 'typing') || record.status !== 200) return false;
        if (messageId === undefined) return true;
        return sendBodyFieldsSchema.safeParse(record.body).data?.message_id === messageId;
      });
    },
    injectFault(spec) {
      const matchTo = spec.match?.to === undefined ? null : toRecipient(spec.match.to);
      faults.push({ spec, remaining: spec.times ?? Number.POSITIVE_INFINITY, matchTo });
    },
    clearFaults() {
      faults = [];
    },
    reset() {
      faults = [];
      requests.length = 0;
      uploads.clear();
      media.clear();
    },
    async waitFor(predicate, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = predicate();
        if (value !== undefined && value !== null && value !== false) return value;
        if (Date.now() >= deadline) {
          const recent = requests
            .slice(-5)
            .map((record) => `#${record.seq} ${record.method} ${record.path} ${record.kind} → ${record.status}`)
            .join('; ');
          throw new Error(
            `Graph simulator waitFor timed out after ${timeoutMs} ms (${requests.length} requests recorded${recent ? `; last: ${recent}` : ''})`,
          );
        }
        await delay(10);
      }
    },
    uploads,
    media,
    onRequest(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
  return simulator;
}
