import { z } from 'zod';

/**
 * What a caller should do about a failed Graph API call:
 * - `retryable`: the same request later, with backoff (network, 5xx, throughput limits, transient codes);
 * - `pair_rate_limited`: too many messages to this one user; slow down for that user only (131056);
 * - `permanent`: this message will never go through as is; record it and move on;
 * - `credentials`: the bot's token or its permissions are broken; stop sending for the bot until an
 *   operator replaces the token;
 * - `window_closed`: the 24-hour customer-service window is closed; only a template may be sent (131047).
 */
export type GraphErrorCategory = 'retryable' | 'pair_rate_limited' | 'permanent' | 'credentials' | 'window_closed';

export interface GraphApiErrorInit {
  status: number;
  code?: number | null;
  subcode?: number | null;
  title: string;
  details?: string | null;
  fbtraceId?: string | null;
  retryAfterMs?: number | null;
  /** True when no answer came within the client's timeout (status 0). */
  timedOut?: boolean;
  /** Overrides the category derived from status and code (e.g. a bad argument caught before sending). */
  category?: GraphErrorCategory;
  cause?: unknown;
}

/**
 * A failed Graph API call: any non-2xx response, a network error or a timeout (status 0).
 * The message names the status, code and Meta's title; it never contains the access token.
 */
export class GraphApiError extends Error {
  /** HTTP status, 0 for network errors and timeouts. */
  readonly status: number;
  /** Meta's `error.code`. */
  readonly code: number | null;
  /** Meta's `error.error_subcode` (documented as deprecated, still seen). */
  readonly subcode: number | null;
  /** Meta's `error.message` (or a description of the network failure). */
  readonly title: string;
  /** Meta's `error.error_data.details`, the field Meta says to base logic on. */
  readonly details: string | null;
  readonly fbtraceId: string | null;
  /** From `Retry-After`, when the response had one. */
  readonly retryAfterMs: number | null;
  /** Status 0 only: no answer within the timeout (false: the connection failed). */
  readonly timedOut: boolean;
  readonly category: GraphErrorCategory;

  constructor(init: GraphApiErrorInit) {
    const code = init.code ?? null;
    const label = init.status === 0 ? 'network error' : `HTTP ${init.status}`;
    super(`Graph API ${label}${code === null ? '' : ` (#${code})`}: ${init.title}`, { cause: init.cause });
    this.name = 'GraphApiError';
    this.status = init.status;
    this.code = code;
    this.subcode = init.subcode ?? null;
    this.title = init.title;
    this.details = init.details ?? null;
    this.fbtraceId = init.fbtraceId ?? null;
    this.retryAfterMs = init.retryAfterMs ?? null;
    this.timedOut = init.timedOut ?? false;
    this.category = init.category ?? classifyGraphError(init.status, code);
  }
}

/**
 * Error body of the Graph API. Every field is optional and a wrong-typed one is dropped, so a
 * half-broken body still yields what it does carry.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes
 */
export const graphErrorBodySchema = z.object({
  error: z.object({
    message: z.string().optional().catch(undefined),
    code: z.number().int().optional().catch(undefined),
    error_subcode: z.number().int().optional().catch(undefined),
    error_user_title: z.string().optional().catch(undefined),
    error_data: z
      .object({ details: z.string().optional().catch(undefined) })
      .optional()
      .catch(undefined),
    fbtrace_id: z.string().optional().catch(undefined),
  }),
});

export type GraphErrorBody = z.infer<typeof graphErrorBodySchema>;

export interface GraphErrorResponseOptions {
  /** From the `Retry-After` header. */
  retryAfterMs?: number | null;
  /** Replaced by `[REDACTED]` wherever the body echoes them (the access token, an app token). */
  secrets?: readonly string[];
}

/** Replaces every secret (4 characters or longer) in `text` by `[REDACTED]`. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) if (secret.length >= 4) result = result.split(secret).join('[REDACTED]');
  return result;
}

function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The {@link GraphApiError} for a non-2xx answer with body `text`. Never throws: a body that is not
 * Meta's error shape (HTML, truncated JSON, `{"error":"x"}`) gives `HTTP <status>` with a redacted
 * excerpt as `details`; wrong-typed fields are left out.
 */
export function parseGraphErrorResponse(
  status: number,
  text: string,
  options: GraphErrorResponseOptions = {},
): GraphApiError {
  const secrets = options.secrets ?? [];
  const retryAfterMs = options.retryAfterMs ?? null;
  const parsed = graphErrorBodySchema.safeParse(parseJsonText(text));
  if (!parsed.success) {
    const excerpt = redactSecrets(text, secrets).slice(0, 200).trim();
    return new GraphApiError({ status, title: `HTTP ${status}`, details: excerpt || null, retryAfterMs });
  }
  const error = parsed.data.error;
  return new GraphApiError({
    status,
    code: error.code ?? null,
    subcode: error.error_subcode ?? null,
    title: redactSecrets(error.message ?? error.error_user_title ?? `HTTP ${status}`, secrets),
    details: error.error_data?.details === undefined ? null : redactSecrets(error.error_data.details, secrets),
    fbtraceId: error.fbtrace_id ?? null,
    retryAfterMs,
  });
}

/**
 * Meta error codes with a known meaning, from the error-code table
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes).
 * The code decides over the HTTP status: Meta answers 131000/131016/131045 with 500, 131047 with 400.
 */
const CODE_CATEGORIES: ReadonlyMap<number, GraphErrorCategory> = new Map<number, GraphErrorCategory>([
  // Authentication: the token expired or was invalidated (401).
  [0, 'credentials'],
  [190, 'credentials'],
  // "API Unknown": Meta says it may be a server error; retried, the worker's attempt limit bounds it.
  [1, 'retryable'],
  // Temporary downtime or overload.
  [2, 'retryable'],
  // "API Method": the token lacks a capability; only an operator can fix it.
  [3, 'credentials'],
  // App-level rate limit.
  [4, 'retryable'],
  // Permission denied / not granted (10, 200-299 are added below) and 131005 access denied.
  [10, 'credentials'],
  [131005, 'credentials'],
  // Invalid parameter: a bug in the request.
  [100, 'permanent'],
  // Temporarily blocked for policy violations: retrying does not help and a new token does not either.
  [368, 'permanent'],
  // WABA rate limit and per-number throughput.
  [80007, 'retryable'],
  [130429, 'retryable'],
  // User is part of a marketing experiment.
  [130472, 'permanent'],
  // Something went wrong (temporary), service unavailable, maintenance mode, server unavailable.
  [131000, 'retryable'],
  [131016, 'retryable'],
  [131057, 'retryable'],
  [133004, 'retryable'],
  // Required parameter missing, parameter value invalid, recipient cannot be sender.
  [131008, 'permanent'],
  [131009, 'permanent'],
  [131021, 'permanent'],
  // Undeliverable to this recipient.
  [131026, 'permanent'],
  // Account locked, billing problem, certificate problem, number not registered: operator work, but the
  // token is fine, so they stay per-message failures (visible by code) rather than a credentials stop.
  [131031, 'permanent'],
  [131042, 'permanent'],
  [131045, 'permanent'],
  [133010, 'permanent'],
  // 24-hour customer-service window closed.
  [131047, 'window_closed'],
  // Spam rate limit (quality), marketing per-user limit, marketing opt-out: retrying makes things worse.
  [131048, 'permanent'],
  [131049, 'permanent'],
  [131050, 'permanent'],
  // Unsupported message type, media download/upload errors.
  [131051, 'permanent'],
  [131052, 'permanent'],
  [131053, 'permanent'],
  // Pair rate limit: too many messages to this user.
  [131056, 'pair_rate_limited'],
  // Generic user error.
  [135000, 'permanent'],
]);

/**
 * Maps an HTTP status and Meta `error.code` to what to do about it. Order: status 0 (network error or
 * timeout) → retryable; a known code → its category (see the table above; 200–299 → credentials,
 * 132xxx template errors → permanent); otherwise 5xx and 429 → retryable, 401 → credentials, anything
 * else → permanent.
 */
export function classifyGraphError(status: number, code: number | null): GraphErrorCategory {
  if (status === 0) return 'retryable';
  if (code !== null) {
    const known = CODE_CATEGORIES.get(code);
    if (known) return known;
    if (code >= 200 && code <= 299) return 'credentials';
    if (code >= 132000 && code <= 132999) return 'permanent';
  }
  if (status >= 500 || status === 429) return 'retryable';
  if (status === 401) return 'credentials';
  return 'permanent';
}

export interface BackoffOptions {
  /** Delay scale of the first retry (default 500 ms). */
  baseMs?: number;
  /** Upper bound of the exponential part (default 30 s); a longer Retry-After still wins. */
  capMs?: number;
  /** From {@link GraphApiError.retryAfterMs}: the result is never shorter. */
  retryAfterMs?: number | null;
  /** Source of jitter in [0, 1) (default Math.random); injectable for tests. */
  random?: () => number;
}

/**
 * Delay before retry number `attempt` (1 for the first retry): exponential `min(cap, base·2^(attempt-1))`
 * with equal jitter (half fixed, half random, so a retry never fires immediately yet a fleet of workers
 * spreads out), and never less than `retryAfterMs` when given.
 */
export function backoffDelayMs(attempt: number, options: BackoffOptions = {}): number {
  const baseMs = options.baseMs ?? 500;
  const capMs = options.capMs ?? 30_000;
  const random = options.random ?? Math.random;
  const exponent = Math.max(0, Math.floor(Number.isFinite(attempt) ? attempt : 1) - 1);
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(exponent, 52));
  const jitter = Math.min(Math.max(random(), 0), 1);
  const delay = Math.round(ceiling / 2 + (ceiling / 2) * jitter);
  const retryAfter = options.retryAfterMs ?? 0;
  return Math.max(delay, Number.isFinite(retryAfter) ? Math.ceil(retryAfter) : 0);
}
