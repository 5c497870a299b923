import { createHmac, timingSafeEqual } from 'node:crypto';

const PREFIX = 'sha256=';
const HEX_LENGTH = 64;

/**
 * The `X-Hub-Signature-256` value Meta sends: `sha256=` + lowercase hex HMAC-SHA256 of the exact
 * body bytes, keyed with the app secret.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/create-webhook-endpoint
 */
export function signWebhookBody(appSecret: string, body: Buffer | string): string {
  return PREFIX + createHmac('sha256', appSecret).update(body).digest('hex');
}

/**
 * Verifies a webhook signature over the raw body bytes (never re-serialized JSON: Meta escapes
 * non-ASCII as \uXXXX, so re-serializing breaks every emoji message). Constant-time compare;
 * a missing, malformed or wrong-length header is simply false. Hex case is ignored.
 */
export function verifyWebhookSignature(
  appSecret: string,
  rawBody: Buffer,
  header: string | string[] | undefined,
): boolean {
  if (typeof header !== 'string' || !header.startsWith(PREFIX)) return false;
  const hex =
    header.length === PREFIX.length + HEX_LENGTH ? header.slice(PREFIX.length) : header.slice(PREFIX.length).trim();
  if (hex.length !== HEX_LENGTH) return false;
  // Decoding stops at the first character that is not hex (either case), so a malformed value
  // comes out shorter than 32 bytes: no separate pattern check is needed.
  const given = Buffer.from(hex, 'hex');
  if (given.length !== HEX_LENGTH / 2) return false;
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return timingSafeEqual(expected, given);
}
