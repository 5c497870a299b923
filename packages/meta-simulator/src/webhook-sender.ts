import { setTimeout as delay } from 'node:timers/promises';
import { signWebhookBody } from '@wabot/whatsapp';
import { request } from 'undici';
import { z } from 'zod';
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
  /**
   * A new connection for every try (default false: keep-alive). Without reuse a try cannot race the
   * server closing an idle kept-alive connection, so a cut connection means a request it took.
   */
  freshConnections?: boolean;
  /** Called after every try (redeliveries included): its HTTP status, or 0 and the error's code. */
  onAttempt?: (attempt: WebhookAttempt) => void;
}

/** One try of a webhook POST. */
export interface WebhookAttempt {
  /** HTTP status; 0 when it got no answer. */
  status: number;
  /** Without an answer: the error's code (`ECONNREFUSED`, `UND_ERR_SOCKET` for a cut connection, …). */
  error?: string;
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
    options?: { errors?: StatusError[]; bizOpaqueCallbackData?: string },
  ): Promise<WebhookDelivery>;
  /**
   * The statuses Meta would send for a send the Graph simulator accepted (pass it as `onAccepted`).
   * Resolves once every step is delivered. A reaction gets `sent` only (never delivered or read);
   * a reaction to a message this sender never delivered (unknown, as far as Meta is concerned)
   * gets a `failed` status with error 131009 instead — Meta accepts such a send and reports the
   * failure asynchronously (§9.3).
   */
  emitStatuses(request: RecordedGraphRequest, options?: StatusSequenceOptions): Promise<WebhookDelivery[]>;
  /**
   * The user taps a reply button or picks a list row of an interactive message the Graph
   * simulator accepted: a `button_reply` / `list_reply` inbound message with the title the
   * message showed and a context naming it. Throws when the message has no choice `choiceId`.
   */
  tap(user: SimUser, request: RecordedGraphRequest, choiceId: string): Promise<InboundDelivery>;
}

/** The choices of a recorded interactive send (buttons or list rows) as Meta shows them. */
const interactiveSendSchema = z.object({
  interactive: z.object({
    type: z.string(),
    action: z.object({
      buttons: z.array(z.object({ reply: z.object({ id: z.string(), title: z.string() }) })).optional(),
      sections: z
        .array(
          z.object({
            rows: z.array(z.object({ id: z.string(), title: z.string(), description: z.string().optional() })),
          }),
        )
        .optional(),
    }),
  }),
});
const reactionSendSchema = z.object({ reaction: z.object({ message_id: z.string() }) });
const callbackDataSchema = z.object({ biz_opaque_callback_data: z.string() });

/** Message ids a sender remembers as delivered (for reactions); older ones are forgotten first. */
const REMEMBERED_MESSAGES = 100_000;

/** What Meta reports for a reaction whose target it cannot find (simulator wording for the details). */
const REACTION_TARGET_UNKNOWN: StatusError = {
  code: 131009,
  title: 'Parameter value is not valid',
  message: 'Parameter value is not valid',
  error_data: {
    details: 'The message to react to does not exist, was deleted, is a reaction or is older than 30 days.',
  },
  href: '/documentation/business-messaging/whatsapp/support/error-codes',
};

function defaultDisplayNumber(phoneNumberId: string): string {
  return `1555${phoneNumberId.replace(/\D/g, '').slice(-7).padStart(7, '0')}`;
}

async function postOnce(
  url: string,
  body: Buffer,
  signature: string,
  timeoutMs: number,
  fresh: boolean,
): Promise<WebhookAttempt> {
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
      reset: fresh,
    });
    await response.body.dump();
    return { status: response.statusCode };
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    return { status: 0, error: typeof code === 'string' ? code : String(err) };
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
      const attempt = await postOnce(
        options.webhookUrl,
        body,
        signature,
        retry.timeoutMs,
        options.freshConnections ?? false,
      );
      options.onAttempt?.(attempt);
      status = attempt.status;
      if (status === 200) break;
    }
    return { status, attempts, body, signature };
  }

  const delivered = new Set<string>();
  const remember = (messageId: string) => {
    delivered.add(messageId);
    if (delivered.size > REMEMBERED_MESSAGES) {
      const oldest = delivered.values().next().value;
      if (oldest !== undefined) delivered.delete(oldest);
    }
  };

  async function sendMessage(
    user: SimUser,
    content: InboundContent,
    messageOptions: SendMessageOptions = {},
  ): Promise<InboundDelivery> {
    const message = buildInboundMessage(business, user, content, {
      ...messageOptions,
      timestamp: messageOptions.timestamp ?? clock.timestamp(),
    });
    remember(message.id);
    const delivery = await deliver(buildWebhookBody(business, { contacts: [user], messages: [message] }));
    return { ...delivery, messageId: message.id, message };
  }

  function sendStatus(
    messageId: string,
    status: StatusValue,
    recipient: string | SimUser,
    statusOptions: { errors?: StatusError[]; bizOpaqueCallbackData?: string } = {},
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
    tap(user, graphRequest, choiceId) {
      const parsed = interactiveSendSchema.safeParse(graphRequest.body);
      const interactive = parsed.data?.interactive;
      const messageId = graphRequest.messageId;
      if (!interactive || messageId === null) {
        throw new Error(`request #${graphRequest.seq} is not an accepted interactive message`);
      }
      const button = interactive.action.buttons?.find((b) => b.reply.id === choiceId)?.reply;
      if (interactive.type === 'button' && button) {
        return sendMessage(user, { type: 'button_reply', id: button.id, title: button.title }, { replyTo: messageId });
      }
      const row = interactive.action.sections?.flatMap((section) => section.rows).find((r) => r.id === choiceId);
      if (interactive.type === 'list' && row) {
        const description = row.description === undefined ? {} : { description: row.description };
        return sendMessage(
          user,
          { type: 'list_reply', id: row.id, title: row.title, ...description },
          { replyTo: messageId },
        );
      }
      throw new Error(`interactive message #${graphRequest.seq} has no choice ${choiceId}`);
    },
    async emitStatuses(graphRequest, sequence = {}) {
      const deliveries: WebhookDelivery[] = [];
      if (graphRequest.messageId === null || graphRequest.to === null) return deliveries;
      // Meta echoes the send's biz_opaque_callback_data in every status of that message.
      const callback = callbackDataSchema.safeParse(graphRequest.body).data?.biz_opaque_callback_data;
      const echo = callback === undefined ? {} : { bizOpaqueCallbackData: callback };
      if (graphRequest.kind === 'reaction') {
        const target = reactionSendSchema.safeParse(graphRequest.body).data?.reaction.message_id;
        const known = target !== undefined && delivered.has(target);
        deliveries.push(
          await sendStatus(graphRequest.messageId, known ? 'sent' : 'failed', graphRequest.to, {
            ...echo,
            ...(known ? {} : { errors: [REACTION_TARGET_UNKNOWN] }),
          }),
        );
        return deliveries;
      }
      for (const [index, step] of (sequence.steps ?? ['sent', 'delivered', 'read']).entries()) {
        if (index > 0 && (sequence.stepDelayMs ?? 0) > 0) await delay(sequence.stepDelayMs ?? 0);
        deliveries.push(await sendStatus(graphRequest.messageId, step, graphRequest.to, echo));
      }
      return deliveries;
    },
  };
}
