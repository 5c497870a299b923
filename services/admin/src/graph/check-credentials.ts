import { request } from 'undici';

export interface CheckCredentialsOptions {
  baseUrl: string;
  version: string;
  phoneNumberId: string;
  accessToken: string;
  timeoutMs: number;
}

/** What activation learned about a bot's credentials: a status to store and sentences for the user. */
export interface CredentialCheck {
  /** `invalid` only when Meta rejected the token itself (error 190); `unknown` when it could not tell. */
  status: 'ok' | 'invalid' | 'unknown';
  warnings: string[];
  /** Meta's reason when something is wrong, fit to store and show (never contains the token). */
  error: string | null;
  errorCode: number | null;
  /** False when the Graph API could not be asked (unreachable, timeout). */
  reached: boolean;
}

interface GraphAnswer {
  status: number;
  body: unknown;
}

interface GraphErrorInfo {
  code: number | null;
  subcode: number | null;
  message: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

function graphErrorOf(body: unknown, secret: string): GraphErrorInfo {
  const error = isRecord(body) && isRecord(body.error) ? body.error : {};
  const raw = typeof error.message === 'string' ? error.message : 'no error message';
  return {
    code: typeof error.code === 'number' ? error.code : null,
    subcode: typeof error.error_subcode === 'number' ? error.error_subcode : null,
    message: raw.split(secret).join('[redacted]').slice(0, 300),
  };
}

async function graphGet(url: URL, accessToken: string, timeoutMs: number): Promise<GraphAnswer> {
  const response = await request(url, {
    method: 'GET',
    headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.body.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  return { status: response.statusCode, body };
}

const DAY_MS = 24 * 3600 * 1000;

/** `data.expires_at` of Meta's debug_token answer, in ms; null when the token never expires or it cannot tell. */
function expiryOf(answer: GraphAnswer | null): number | null {
  if (answer?.status !== 200 || !isRecord(answer.body) || !isRecord(answer.body.data)) return null;
  const expiresAt = answer.body.data.expires_at;
  return typeof expiresAt === 'number' && expiresAt > 0 ? expiresAt * 1000 : null;
}

/**
 * Asks the Graph API whether the access token can read the phone number
 * (`GET /{version}/{phone-number-id}`, https://developers.facebook.com/docs/graph-api/reference/whats-app-business-account-to-number-current-status/)
 * and, in parallel, when the token expires (`GET /debug_token`,
 * https://developers.facebook.com/docs/graph-api/reference/debug_token/). Never throws: an
 * unreachable API is a warning, not a failure.
 */
export async function checkCredentials(options: CheckCredentialsOptions): Promise<CredentialCheck> {
  const { baseUrl, version, phoneNumberId, accessToken, timeoutMs } = options;
  const base = baseUrl.replace(/\/+$/, '');
  const phoneUrl = new URL(`${base}/${version}/${encodeURIComponent(phoneNumberId)}`);
  phoneUrl.searchParams.set('fields', 'id,display_phone_number,verified_name');
  const debugUrl = new URL(`${base}/${version}/debug_token`);
  debugUrl.searchParams.set('input_token', accessToken);

  const [phone, debug] = await Promise.allSettled([
    graphGet(phoneUrl, accessToken, timeoutMs),
    graphGet(debugUrl, accessToken, timeoutMs),
  ]);

  if (phone.status === 'rejected') {
    const reason = phone.reason instanceof Error && /abort|timeout/i.test(phone.reason.name + phone.reason.message);
    return {
      status: 'unknown',
      warnings: [
        `The WhatsApp Graph API could not be reached to check the credentials (${reason ? `no answer within ${timeoutMs} ms` : 'connection failed'}); they will be checked on the first send.`,
      ],
      error: null,
      errorCode: null,
      reached: false,
    };
  }

  const answer = phone.value;
  if (answer.status >= 200 && answer.status < 300) {
    const warnings: string[] = [];
    const expiresAt = expiryOf(debug.status === 'fulfilled' ? debug.value : null);
    if (expiresAt !== null) {
      const when = new Date(expiresAt).toISOString();
      warnings.push(
        expiresAt - Date.now() < 2 * DAY_MS
          ? `The access token is a short-lived one and expires at ${when}; replace it with a permanent System User token before then.`
          : `The access token expires at ${when}; replace it before then (System User tokens can be made to never expire).`,
      );
    }
    return { status: 'ok', warnings, error: null, errorCode: null, reached: true };
  }

  const error = graphErrorOf(answer.body, accessToken);
  if (error.code === 190 || error.code === 0) {
    const expired = error.subcode === 463 || /expired/i.test(error.message);
    return {
      status: 'invalid',
      warnings: [
        expired
          ? 'Meta rejects the access token: it has expired. Generate a new one (a permanent System User token is best) and update the bot; replies cannot be sent until then.'
          : `Meta rejects the access token (error ${error.code}: ${error.message}). Update the bot with a valid token; replies cannot be sent until then.`,
      ],
      error: error.message,
      errorCode: error.code,
      reached: true,
    };
  }
  if (error.code === 100 || error.code === 803) {
    return {
      status: 'unknown',
      warnings: [
        `Meta does not know phone number id ${phoneNumberId}, or this access token cannot see it (error ${error.code}: ${error.message}). Check the Phone Number ID under WhatsApp › API Setup.`,
      ],
      error: error.message,
      errorCode: error.code,
      reached: true,
    };
  }
  if (error.code === 10 || (error.code !== null && error.code >= 200 && error.code <= 299)) {
    return {
      status: 'unknown',
      warnings: [
        `The access token lacks permission for phone number id ${phoneNumberId} (error ${error.code}: ${error.message}). Give the System User the whatsapp_business_messaging permission and access to the WhatsApp Business Account.`,
      ],
      error: error.message,
      errorCode: error.code,
      reached: true,
    };
  }
  return {
    status: 'unknown',
    warnings: [
      `The Graph API answered HTTP ${answer.status} while checking the credentials${error.code === null ? '' : ` (error ${error.code}: ${error.message})`}; they will be checked on the first send.`,
    ],
    error: error.code === null ? null : error.message,
    errorCode: error.code,
    reached: true,
  };
}
