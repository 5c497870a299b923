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
  const given = header.slice(PREFIX.length).trim().toLowerCase();
  if (given.length !== HEX_LENGTH || !/^[0-9a-f]+$/.test(given)) return false;
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(given, 'hex'));
}
