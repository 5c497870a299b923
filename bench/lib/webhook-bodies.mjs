// Signed webhook bodies for the load tools, built with the Meta simulator's payload builders (the
// same bytes the simulator's webhook sender would post: Meta's shape, non-ASCII as \uXXXX).
import {
  buildInboundMessage,
  buildStatus,
  buildWebhookBody,
  createSimUser,
  encodeWebhookBody,
} from '@wabot/meta-simulator';
import { signWebhookBody } from '@wabot/whatsapp';

/** The business side of a bot's webhooks (what `metadata` names). */
function businessOf(bot) {
  return {
    phoneNumberId: bot.phoneNumberId,
    displayPhoneNumber: `1555${bot.phoneNumberId.slice(-7)}`,
    wabaId: '102000000000001',
  };
}

/** A simulated user with a deterministic test number (digits only, in the 555 range). */
export function benchUser(n) {
  return createSimUser({ name: `Bench User ${n}`, waId: String(15_550_000_000 + n) });
}

/**
 * One signed text-message webhook from `user` to `bot`: {body (exact bytes), headers, messageId}.
 * `timestamp` is Meta's Unix-seconds string (default now).
 */
export function signedTextMessage(bot, user, text, { timestamp = String(Math.floor(Date.now() / 1000)) } = {}) {
  const business = businessOf(bot);
  const message = buildInboundMessage(business, user, { type: 'text', body: text }, { timestamp });
  const body = encodeWebhookBody(buildWebhookBody(business, { contacts: [user], messages: [message] }));
  return {
    body,
    messageId: message.id,
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signWebhookBody(bot.appSecret, body) },
  };
}

/**
 * One signed status webhook from Meta to `bot`: `status` (sent, delivered, read, …) of the business
 * message `wamid` to `recipient` (digits): {body, headers}.
 */
export function signedStatus(bot, wamid, recipient, status = 'delivered') {
  const update = buildStatus(wamid, status, recipient, { timestamp: String(Math.floor(Date.now() / 1000)) });
  const body = encodeWebhookBody(buildWebhookBody(businessOf(bot), { statuses: [update] }));
  return {
    body,
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signWebhookBody(bot.appSecret, body) },
  };
}

/** `count` distinct signed text webhooks of about `sizeBytes` each (ingress ceiling), from `count` users. */
export function signedTextBodies(bot, { count = 2000, sizeBytes = 1500 } = {}) {
  const filler = 'Hello, I would like to know more about my order status — ¿dónde está? 😀 '.repeat(40);
  const out = [];
  for (let i = 0; i < count; i++) {
    const user = benchUser(i);
    const base = signedTextMessage(bot, user, '').body.length;
    // Non-ASCII characters grow 6× on the wire (\uXXXX), so trim until the encoded body fits.
    let text = filler.slice(0, Math.max(1, sizeBytes - base));
    let item = signedTextMessage(bot, user, `${i} ${text}`);
    while (item.body.length > sizeBytes && text.length > 1) {
      text = text.slice(0, Math.max(1, text.length - Math.ceil((item.body.length - sizeBytes) / 6) - 1));
      item = signedTextMessage(bot, user, `${i} ${text}`);
    }
    out.push(item);
  }
  return out;
}
