// Distinct, signed ~1.5 KB text webhooks in Meta's wire format (non-ASCII escaped as \uXXXX).
import { randomBytes } from 'node:crypto';
import { signWebhookBody } from '@wabot/whatsapp';

const escapeLikeMeta = (json) => json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** One text-message webhook body for `bot` from `waId` (Buffer, exact bytes). */
export function textWebhookBody(bot, waId, text, timestamp = Math.floor(Date.now() / 1000)) {
  const payload = {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102000000000001',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550001234', phone_number_id: bot.phoneNumberId },
              contacts: [{ profile: { name: `Bench User ${waId.slice(-4)}` }, wa_id: waId, user_id: `US.${waId}` }],
              messages: [
                {
                  from: waId,
                  from_user_id: `US.${waId}`,
                  id: `wamid.HBgL${randomBytes(24).toString('base64')}`,
                  timestamp: String(timestamp),
                  type: 'text',
                  text: { body: text },
                },
              ],
            },
          },
        ],
      },
    ],
  };
  return Buffer.from(escapeLikeMeta(JSON.stringify(payload)));
}

/** `count` distinct signed bodies of about `sizeBytes` each, ready for the load tool. */
export function signedTextBodies(bot, { count = 2000, sizeBytes = 1500 } = {}) {
  const out = [];
  for (let i = 0; i < count; i++) {
    const waId = String(15_550_000_000 + i);
    const base = textWebhookBody(bot, waId, '');
    const filler = 'Hello, I would like to know more about my order status — ¿dónde está? 😀 '.repeat(40);
    const text = filler.slice(0, Math.max(1, sizeBytes - base.length - 60));
    const body = textWebhookBody(bot, waId, `${i} ${text}`);
    out.push({
      body,
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signWebhookBody(bot.appSecret, body) },
    });
  }
  return out;
}
