import { createGraphClient, GraphApiError, type PhoneNumberInfo, type TokenDebugInfo } from '@wabot/whatsapp';

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

const DAY_MS = 24 * 3600 * 1000;
/** Meta's reason as stored in `bots.credentials_error` and shown to the operator. */
const REASON_MAX_CHARS = 300;

/**
 * Asks the Graph API, through the one `GraphClient` of `@wabot/whatsapp`, whether the access token
 * can read the phone number (`getPhoneNumber`) and, in parallel, when the token expires
 * (`debugToken`). Never throws: an unreachable API is a warning, not a failure. The client redacts
 * the token from every error, so Meta's reasons can be stored and shown as they are.
 */
export async function checkCredentials(options: CheckCredentialsOptions): Promise<CredentialCheck> {
  const { baseUrl, version, phoneNumberId, accessToken, timeoutMs } = options;
  // Activation is rare: a client per check, closed at once, keeps no idle sockets in the admin.
  const client = createGraphClient({ baseUrl, version, timeoutMs });
  try {
    const auth = { phoneNumberId, accessToken };
    const [phone, debug] = await Promise.allSettled([client.getPhoneNumber(auth), client.debugToken(auth)]);
    return toCredentialCheck(phone, debug, phoneNumberId, timeoutMs);
  } finally {
    await client.close();
  }
}

function toCredentialCheck(
  phone: PromiseSettledResult<PhoneNumberInfo>,
  debug: PromiseSettledResult<TokenDebugInfo>,
  phoneNumberId: string,
  timeoutMs: number,
): CredentialCheck {
  if (phone.status === 'fulfilled') {
    const warnings: string[] = [];
    const expiresAt = debug.status === 'fulfilled' ? debug.value.expiresAt : null;
    if (expiresAt !== null) {
      const when = expiresAt.toISOString();
      warnings.push(
        expiresAt.getTime() - Date.now() < 2 * DAY_MS
          ? `The access token is a short-lived one and expires at ${when}; replace it with a permanent System User token before then.`
          : `The access token expires at ${when}; replace it before then (System User tokens can be made to never expire).`,
      );
    }
    return { status: 'ok', warnings, error: null, errorCode: null, reached: true };
  }

  const failure = phone.reason;
  if (!(failure instanceof GraphApiError) || failure.status === 0) {
    const timedOut = failure instanceof GraphApiError && failure.timedOut;
    return {
      status: 'unknown',
      warnings: [
        `The WhatsApp Graph API could not be reached to check the credentials (${timedOut ? `no answer within ${timeoutMs} ms` : 'connection failed'}); they will be checked on the first send.`,
      ],
      error: null,
      errorCode: null,
      reached: false,
    };
  }

  const code = failure.code;
  const message = failure.title.slice(0, REASON_MAX_CHARS);
  if (code === 190 || code === 0) {
    const expired = failure.subcode === 463 || /expired/i.test(message);
    return {
      status: 'invalid',
      warnings: [
        expired
          ? 'Meta rejects the access token: it has expired. Generate a new one (a permanent System User token is best) and update the bot; replies cannot be sent until then.'
          : `Meta rejects the access token (error ${code}: ${message}). Update the bot with a valid token; replies cannot be sent until then.`,
      ],
      error: message,
      errorCode: code,
      reached: true,
    };
  }
  if (code === 100 || code === 803) {
    return {
      status: 'unknown',
      warnings: [
        `Meta does not know phone number id ${phoneNumberId}, or this access token cannot see it (error ${code}: ${message}). Check the Phone Number ID under WhatsApp › API Setup.`,
      ],
      error: message,
      errorCode: code,
      reached: true,
    };
  }
  if (code === 10 || (code !== null && code >= 200 && code <= 299)) {
    return {
      status: 'unknown',
      warnings: [
        `The access token lacks permission for phone number id ${phoneNumberId} (error ${code}: ${message}). Give the System User the whatsapp_business_messaging permission and access to the WhatsApp Business Account.`,
      ],
      error: message,
      errorCode: code,
      reached: true,
    };
  }
  return {
    status: 'unknown',
    warnings: [
      `The Graph API answered HTTP ${failure.status} while checking the credentials${code === null ? '' : ` (error ${code}: ${message})`}; they will be checked on the first send.`,
    ],
    error: code === null ? null : message,
    errorCode: code,
    reached: true,
  };
}
