import { Agent, type Dispatcher, request } from 'undici';
import { z } from 'zod';
import { type SendableAction, toActionPayload, toReactionPayload } from './action-payloads.js';
import { GraphApiError, parseGraphErrorResponse, redactSecrets } from './graph-api-error.js';

/** The credentials of one bot's phone number. */
export interface GraphAuth {
  phoneNumberId: string;
  accessToken: string;
}

export interface SendResult {
  /** The wamid Meta assigned; statuses refer to it. */
  messageId: string;
  /** The recipient's phone as Meta resolved it (`contacts[0].wa_id`), null when sent to a user id. */
  waId: string | null;
  /** `contacts[0].user_id` when Meta returned one (sends to a business-scoped user id). */
  userId: string | null;
}

export interface TemplateSpec {
  name: string;
  /** Language code, e.g. `en_US`. */
  language: string;
  /** Body parameters `{{1}}`, `{{2}}`, ... in order. */
  parameters: string[];
}

export interface PhoneNumberInfo {
  id: string;
  displayPhoneNumber: string | null;
  verifiedName: string | null;
  qualityRating: string | null;
}

/** What `GET /debug_token` tells about an access token. */
export interface TokenDebugInfo {
  isValid: boolean;
  appId: string | null;
  /** e.g. `SYSTEM_USER`, `USER`. */
  type: string | null;
  /** Null when the token never expires (Meta's `expires_at: 0`) or Meta did not say. */
  expiresAt: Date | null;
  /** Null when data access never expires or Meta did not say. */
  dataAccessExpiresAt: Date | null;
  scopes: string[];
  /** Per-permission asset ids, e.g. the WABAs `whatsapp_business_messaging` is granted on. */
  granularScopes: { scope: string; targetIds: string[] }[];
  /** Meta's reason when `isValid` is false (redacted); null otherwise. */
  error: { code: number | null; subcode: number | null; message: string } | null;
}

export interface GraphClientOptions {
  /** e.g. `https://graph.facebook.com` (GRAPH_API_BASE_URL); a path prefix is kept. */
  baseUrl: string;
  /** e.g. `v25.0` (GRAPH_API_VERSION). */
  version: string;
  /** Per request, connect to last body byte (default 10 s). */
  timeoutMs?: number;
  /** A caller-owned dispatcher (tests, proxies); `close()` then leaves it open. */
  dispatcher?: Dispatcher;
}

/** Options of every send. */
export interface SendOptions {
  /** Echoed back by Meta in the status webhooks of this message (`biz_opaque_callback_data`, ≤ 512 bytes). */
  bizOpaqueCallbackData?: string;
}

export interface SendTextOptions extends SendOptions {
  /** Quote this inbound message (`context.message_id`). */
  replyToMessageId?: string;
  previewUrl?: boolean;
}

export interface GraphClient {
  /** `to`: a phone number, or a business-scoped user id for a user known only by it (see {@link toRecipientField}). */
  sendText(auth: GraphAuth, to: string, body: string, options?: SendTextOptions): Promise<SendResult>;
  /** An interactive message (buttons, list, cta_url, location request) or media by link. */
  sendAction(auth: GraphAuth, to: string, action: SendableAction, options?: SendOptions): Promise<SendResult>;
  /** A reaction to the message `messageId` (Meta answers with a `sent` status only). */
  sendReaction(
    auth: GraphAuth,
    to: string,
    messageId: string,
    emoji: string,
    options?: SendOptions,
  ): Promise<SendResult>;
  sendTemplate(auth: GraphAuth, to: string, template: TemplateSpec, options?: SendOptions): Promise<SendResult>;
  /** Read receipt (blue ticks); with `typingIndicator` also shows "typing…" for up to 25 s. */
  markRead(auth: GraphAuth, messageId: string, options?: { typingIndicator?: boolean }): Promise<void>;
  /** `GET /{phone-number-id}`: validates the token and the id. */
  getPhoneNumber(auth: GraphAuth): Promise<PhoneNumberInfo>;
  /**
   * `GET /debug_token?input_token=<auth.accessToken>`: validity, expiry and permissions of the token.
   * The request is authorized with `appToken` (an app access token) when given, else with the token
   * itself. An invalid input token is `isValid: false`, not an error; a rejected `appToken` or
   * self-authorizing token throws like any other call (401, code 190).
   */
  debugToken(auth: Pick<GraphAuth, 'accessToken'>, appToken?: string): Promise<TokenDebugInfo>;
  close(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** The message with `biz_opaque_callback_data` when the send has one. */
const withCallbackData = (message: Record<string, unknown>, options: SendOptions): Record<string, unknown> =>
  options.bizOpaqueCallbackData ? { ...message, biz_opaque_callback_data: options.bizOpaqueCallbackData } : message;
const PHONE_FIELDS = 'id,display_phone_number,verified_name,quality_rating';

/**
 * Response of `POST /{phone-number-id}/messages`.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/send-messages
 */
const sendResponseSchema = z.object({
  contacts: z
    .array(z.object({ wa_id: z.string().optional().catch(undefined), user_id: z.string().optional().catch(undefined) }))
    .optional()
    .catch(undefined),
  messages: z.array(z.object({ id: z.string().min(1) })).min(1),
});

/**
 * Response of `GET /{phone-number-id}`.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/business-phone-numbers/phone-numbers
 */
const phoneNumberResponseSchema = z.object({
  id: z.string(),
  display_phone_number: z.string().optional().catch(undefined),
  verified_name: z.string().optional().catch(undefined),
  quality_rating: z.string().optional().catch(undefined),
});

const unixSecondsSchema = z.number().int().nonnegative();

/**
 * Response of `GET /debug_token`. Unix-second times, 0 meaning never.
 * https://developers.facebook.com/docs/graph-api/reference/debug_token/
 */
const debugTokenResponseSchema = z.object({
  data: z.object({
    is_valid: z.boolean(),
    app_id: z.string().optional().catch(undefined),
    type: z.string().optional().catch(undefined),
    expires_at: unixSecondsSchema.optional().catch(undefined),
    data_access_expires_at: unixSecondsSchema.optional().catch(undefined),
    scopes: z.array(z.string()).optional().catch(undefined),
    granular_scopes: z
      .array(z.object({ scope: z.string(), target_ids: z.array(z.string()).optional().catch(undefined) }))
      .optional()
      .catch(undefined),
    /** Why the token is invalid; note `subcode`, not the error body's `error_subcode`. */
    error: z
      .object({
        code: z.number().int().optional().catch(undefined),
        subcode: z.number().int().optional().catch(undefined),
        message: z.string().optional().catch(undefined),
      })
      .optional()
      .catch(undefined),
  }),
});

const toDate = (unixSeconds: number | undefined): Date | null =>
  unixSeconds === undefined || unixSeconds === 0 ? null : new Date(unixSeconds * 1000);

/** A business-scoped user id (`CC.<alnum>`, or a parent id `CC.ENT.<alnum>`). */
const BSUID = /^[A-Z]{2}\.[A-Za-z0-9.]+$/;

/**
 * The recipient field of a send: a business-scoped user id goes in the top-level `recipient`
 * (Meta's BSUID sending; `to` is for phone numbers), anything else is a phone number sent in `to`
 * as `+<digits>` (without `+` Meta would prepend the business number's country code).
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/business-scoped-user-ids
 */
export function toRecipientField(to: string): { to: string } | { recipient: string } {
  const trimmed = to.trim();
  if (BSUID.test(trimmed)) return { recipient: trimmed };
  const digits = trimmed.replace(/\D/g, '');
  if (digits === '') {
    throw new GraphApiError({ status: 0, title: 'Invalid recipient: no phone digits', category: 'permanent' });
  }
  return { to: `+${digits}` };
}

/**
 * The one Graph API client of a process: keep-alive connection pool, per-request timeout, Meta's
 * JSON shapes. Every non-2xx response, network error or timeout throws {@link GraphApiError}.
 * The access token only ever goes into the Authorization header.
 */
export function createGraphClient(options: GraphClientOptions): GraphClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const version = options.version.replace(/^\/+|\/+$/g, '');
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const ownsDispatcher = options.dispatcher === undefined;
  const dispatcher =
    options.dispatcher ?? new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 60_000, connections: 128 });

  function urlFor(phoneNumberId: string, suffix = ''): string {
    return `${baseUrl}/${version}/${encodeURIComponent(phoneNumberId)}${suffix}`;
  }

  /** `secrets`: every token to redact from errors (default the bearer; debugToken adds the input token). */
  async function call(
    method: 'GET' | 'POST',
    url: string,
    accessToken: string,
    body?: Record<string, unknown>,
    secrets: readonly string[] = [accessToken],
  ): Promise<unknown> {
    let response: Dispatcher.ResponseData;
    let text: string;
    try {
      response = await request(url, {
        method,
        dispatcher,
        headers: {
          authorization: `Bearer ${accessToken}`,
          accept: 'application/json',
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(timeoutMs),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      text = await response.body.text();
    } catch (error) {
      throw toNetworkError(error, timeoutMs, secrets);
    }
    if (response.statusCode < 200 || response.statusCode >= 300) {
      throw parseGraphErrorResponse(response.statusCode, text, {
        retryAfterMs: parseRetryAfter(response.headers['retry-after']),
        secrets,
      });
    }
    return parseJson(text);
  }

  async function send(auth: GraphAuth, message: Record<string, unknown>): Promise<SendResult> {
    const json = await call('POST', urlFor(auth.phoneNumberId, '/messages'), auth.accessToken, message);
    const parsed = sendResponseSchema.safeParse(json);
    if (!parsed.success) {
      // Meta accepted (2xx) but we cannot tell the message id: retrying could send it twice.
      throw new GraphApiError({ status: 200, title: 'Send response without a message id', category: 'permanent' });
    }
    const contact = parsed.data.contacts?.[0];
    const first = parsed.data.messages[0];
    return { messageId: first?.id ?? '', waId: contact?.wa_id ?? null, userId: contact?.user_id ?? null };
  }

  /** The envelope every send shares: product, recipient type and recipient field. */
  const envelope = (to: string) => ({
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    ...toRecipientField(to),
  });

  return {
    async sendText(auth, to, body, sendOptions = {}) {
      const message: Record<string, unknown> = {
        ...envelope(to),
        type: 'text',
        text: { preview_url: sendOptions.previewUrl ?? false, body },
      };
      if (sendOptions.replyToMessageId) message.context = { message_id: sendOptions.replyToMessageId };
      return send(auth, withCallbackData(message, sendOptions));
    },

    async sendTemplate(auth, to, template, sendOptions = {}) {
      const components =
        template.parameters.length > 0
          ? [{ type: 'body', parameters: template.parameters.map((text) => ({ type: 'text', text })) }]
          : [];
      const message = {
        ...envelope(to),
        type: 'template',
        template: {
          name: template.name,
          language: { code: template.language },
          ...(components.length > 0 ? { components } : {}),
        },
      };
      return send(auth, withCallbackData(message, sendOptions));
    },

    async sendAction(auth, to, action, sendOptions = {}) {
      return send(auth, withCallbackData({ ...envelope(to), ...toActionPayload(action) }, sendOptions));
    },

    async sendReaction(auth, to, messageId, emoji, sendOptions = {}) {
      return send(auth, withCallbackData({ ...envelope(to), ...toReactionPayload(messageId, emoji) }, sendOptions));
    },

    async markRead(auth, messageId, readOptions = {}) {
      await call('POST', urlFor(auth.phoneNumberId, '/messages'), auth.accessToken, {
        messaging_product: 'whatsapp',
        status: 'read',
        message_id: messageId,
        ...(readOptions.typingIndicator ? { typing_indicator: { type: 'text' } } : {}),
      });
    },

    async getPhoneNumber(auth) {
      const json = await call('GET', `${urlFor(auth.phoneNumberId)}?fields=${PHONE_FIELDS}`, auth.accessToken);
      const parsed = phoneNumberResponseSchema.safeParse(json);
      if (!parsed.success) {
        throw new GraphApiError({ status: 200, title: 'Unexpected phone number response', category: 'permanent' });
      }
      return {
        id: parsed.data.id,
        displayPhoneNumber: parsed.data.display_phone_number ?? null,
        verifiedName: parsed.data.verified_name ?? null,
        qualityRating: parsed.data.quality_rating ?? null,
      };
    },

    async debugToken(auth, appToken) {
      const secrets = appToken === undefined ? [auth.accessToken] : [auth.accessToken, appToken];
      const url = `${baseUrl}/${version}/debug_token?input_token=${encodeURIComponent(auth.accessToken)}`;
      const json = await call('GET', url, appToken ?? auth.accessToken, undefined, secrets);
      const parsed = debugTokenResponseSchema.safeParse(json);
      if (!parsed.success) {
        throw new GraphApiError({ status: 200, title: 'Unexpected debug_token response', category: 'permanent' });
      }
      const data = parsed.data.data;
      const error = data.error;
      return {
        isValid: data.is_valid,
        appId: data.app_id ?? null,
        type: data.type ?? null,
        expiresAt: toDate(data.expires_at),
        dataAccessExpiresAt: toDate(data.data_access_expires_at),
        scopes: data.scopes ?? [],
        granularScopes: (data.granular_scopes ?? []).map((grant) => ({
          scope: grant.scope,
          targetIds: grant.target_ids ?? [],
        })),
        error:
          error === undefined
            ? null
            : {
                code: error.code ?? null,
                subcode: error.subcode ?? null,
                message: redactSecrets(error.message ?? 'no error message', secrets),
              },
      };
    },

    async close() {
      if (ownsDispatcher) await dispatcher.close();
    },
  };
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The `code` undici and Node put on their errors (`ECONNREFUSED`, `UND_ERR_HEADERS_TIMEOUT`, ...). */
const errorCodeSchema = z.object({ code: z.string() });

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

function toNetworkError(error: unknown, timeoutMs: number, secrets: readonly string[]): GraphApiError {
  const name = error instanceof Error ? error.name : '';
  const parsedCode = errorCodeSchema.safeParse(error);
  const code = parsedCode.success ? parsedCode.data.code : '';
  const timedOut = name === 'TimeoutError' || name === 'AbortError' || TIMEOUT_CODES.has(code);
  const title = timedOut
    ? `Request timed out after ${timeoutMs} ms`
    : redactSecrets(`Request failed: ${code || (error instanceof Error ? error.message : String(error))}`, secrets);
  return new GraphApiError({ status: 0, title, timedOut, cause: error });
}

/** `Retry-After`: delay in seconds or an HTTP date. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | null {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || raw.trim() === '') return null;
  const trimmed = raw.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - now);
}
