import { setTimeout as delay } from 'node:timers/promises';
import { signWebhookBody } from '@wabot/whatsapp';
import { request } from 'undici';
import type { RecordedGraphRequest } from './graph-simulator.js';
import { createSimClock, type SimClock } from './sim-clock.js';
import { addressOf, type SimUser } from './sim-user.js';
import {
  buildInboundMessage,
  buildStatus,
  buildWebhookBody,
  encodeWebhookBody,
  type InboundContent,
  type InboundMessage,
  type StatusError,
  type StatusValue,
  type WebhookBusiness,
} from './webhook-payloads.js';

/** Meta retries a webhook that did not get a 200 "with decreasing frequency"; this is a bounded version. */
export interface WebhookRetryPolicy {
  /** Total tries including the first (default 5). */
  attempts?: number;
  /** Wait before the second try (default 1000 ms); each later wait is multiplied by `factor`. */
  initialDelayMs?: number;
  /** Default 2. */
  factor?: number;
  /** Longest wait between tries (default 30 s). */
  maxDelayMs?: number;
  /** Per-try timeout (default 10 s); a timeout counts as a failed delivery. */
  timeoutMs?: number;
}

export interface WebhookSenderOptions {
  /** The ingress webhook URL, e.g. http://127.0.0.1:3001/webhooks/whatsapp/<bot>. */
  webhookUrl: string;
  appSecret: string;
  phoneNumberId: string;
  /** Digits without `+` (default derived from the phone number id). */
  displayPhoneNumber?: string;
  wabaId?: string;
  retry?: WebhookRetryPolicy;
  /** Source of payload timestamps (default: real time). */
  clock?: SimClock;
}

/** Outcome of delivering one webhook POST. */
export interface WebhookDelivery {
  /** HTTP status of the last try; 0 when it never got an answer (connection error or timeout). */
  status: number;
  /** Tries made. */
  attempts: number;
  /** The exact bytes sent and their signature header. */
  body: Buffer;
  signature: string;
}

/** Delivery of one inbound message, with its wamid. */
export interface InboundDelivery extends WebhookDelivery {
  messageId: string;
  message: InboundMessage;
}

export interface SendMessageOptions {
  id?: string;
  replyTo?: string;
  forwarded?: 'forwarded' | 'frequently_forwarded';
  mediaUrl?: string;
  /** Override the clock for this message (Unix seconds string). */
  timestamp?: string;
}

export interface StatusSequenceOptions {
  /** Default sent → delivered → read. */
  steps?: StatusValue[];
  /** Wait between steps (default 0). */
  stepDelayMs?: number;
}

export interface WebhookSender {
  readonly business: WebhookBusiness;
  readonly clock: SimClock;
  /** Signs and POSTs a body (object, or exact bytes), retrying non-200 per the policy. */
  deliver(body: unknown): Promise<WebhookDelivery>;
  /** One inbound message from `user`, with its contact. */
  sendMessage(user: SimUser, content: InboundContent, options?: SendMessageOptions): Promise<InboundDelivery>;
  sendText(user: SimUser, text: string, options?: SendMessageOptions): Promise<InboundDelivery>;
  /** One status update for a message the business sent to `recipient` (a wa_id, a BSUID or a user). */
  sendStatus(
    messageId: string,
    status: StatusValue,
    recipient: string | SimUser,
    options?: { errors?: StatusError[] },
  ): Promise<WebhookDelivery>;
  /**
   * The statuses Meta would send for a send the Graph simulator accepted (pass it as `onAccepted`).
   * Resolves once every step is delivered.
   */
  emitStatuses(request: RecordedGraphRequest, options?: StatusSequenceOptions): Promise<WebhookDelivery[]>;
}

function defaultDisplayNumber(phoneNumberId: string): string {
  return `1555${phoneNumberId.replace(/\D/g, '').slice(-7).padStart(7, '0')}`;
}

async function postOnce(url: string, body: Buffer, signature: string, timeoutMs: number): Promise<number> {
  try {
    const response = await request(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': signature,
        'user-agent': 'facebookexternalua',
      },
      body,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    await response.body.dump();
    return response.statusCode;
  } catch {
    return 0;
  }
}

/**
 * A Meta-like webhook sender for one business phone number: builds payloads, signs them with the
 * app secret over the exact bytes and POSTs them, retrying until a 200 or the attempts run out.
 */
export function createWebhookSender(options: WebhookSenderOptions): WebhookSender {
  const business: WebhookBusiness = {
    phoneNumberId: options.phoneNumberId,
    displayPhoneNumber: options.displayPhoneNumber ?? defaultDisplayNumber(options.phoneNumberId),
    wabaId: options.wabaId ?? '102000000000001',
  };
  const clock = options.clock ?? createSimClock();
  const retry = {
    attempts: Math.max(1, options.retry?.attempts ?? 5),
    initialDelayMs: options.retry?.initialDelayMs ?? 1_000,
    factor: options.retry?.factor ?? 2,
    maxDelayMs: options.retry?.maxDelayMs ?? 30_000,
    timeoutMs: options.retry?.timeoutMs ?? 10_000,
  };

  async function deliver(payload: unknown): Promise<WebhookDelivery> {
    const body = Buffer.isBuffer(payload)
      ? payload
      : typeof payload === 'string'
        ? Buffer.from(payload)
        : encodeWebhookBody(payload);
    const signature = signWebhookBody(options.appSecret, body);
    let status = 0;
    let attempts = 0;
    let wait = retry.initialDelayMs;
    while (attempts < retry.attempts) {
      if (attempts > 0) {
        await delay(wait);
        wait = Math.min(wait * retry.factor, retry.maxDelayMs);
      }
      attempts++;
      status = await postOnce(options.webhookUrl, body, signature, retry.timeoutMs);
      if (status === 200) break;
    }
    return { status, attempts, body, signature };
  }

  async function sendMessage(
    user: SimUser,
    content: InboundContent,
    messageOptions: SendMessageOptions = {},
  ): Promise<InboundDelivery> {
    const message = buildInboundMessage(business, user, content, {
      ...messageOptions,
      timestamp: messageOptions.timestamp ?? clock.timestamp(),
    });
    const delivery = await deliver(buildWebhookBody(business, { contacts: [user], messages: [message] }));
    return { ...delivery, messageId: message.id, message };
  }

  function sendStatus(
    messageId: string,
    status: StatusValue,
    recipient: string | SimUser,
    statusOptions: { errors?: StatusError[] } = {},
  ): Promise<WebhookDelivery> {
    const address = typeof recipient === 'string' ? recipient : addressOf(recipient);
    const update = buildStatus(messageId, status, address, { ...statusOptions, timestamp: clock.timestamp() });
    return deliver(buildWebhookBody(business, { statuses: [update] }));
  }

  return {
    business,
    clock,
    deliver,
    sendMessage,
    sendText: (user, text, messageOptions) => sendMessage(user, { type: 'text', body: text }, messageOptions),
    sendStatus,
    async emitStatuses(graphRequest, sequence = {}) {
      const deliveries: WebhookDelivery[] = [];
      if (graphRequest.messageId === null || graphRequest.to === null) return deliveries;
      for (const [index, step] of (sequence.steps ?? ['sent', 'delivered', 'read']).entries()) {
        if (index > 0 && (sequence.stepDelayMs ?? 0) > 0) await delay(sequence.stepDelayMs ?? 0);
        deliveries.push(await sendStatus(graphRequest.messageId, step, graphRequest.to));
      }
      return deliveries;
    },
  };
}
