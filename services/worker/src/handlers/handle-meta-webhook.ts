import { parseJobData } from '@wabot/contracts';
import { type InboundMessage, normalizeWebhook } from '@wabot/whatsapp';
import { inboxScore } from '../inbox/conversation-inbox.js';
import type { WorkerDeps } from '../worker-deps.js';

export interface WebhookJob {
  id?: string | undefined;
  data: unknown;
}

export interface WebhookResult {
  messages: number;
  statuses: number;
  errors: number;
  dropped?: string;
}

/** BullMQ custom job ids may not contain ':' (nor be plain integers). */
const safeIdPart = (value: string) => value.replace(/[^A-Za-z0-9_.-]/g, '_');

/**
 * Stage 1 (queue webhook-events): parse one webhook POST, apply status updates, and put each
 * inbound message into its conversation's ordered inbox, then enqueue one drain job per
 * conversation touched. Cheap and idempotent, so a retried or redelivered webhook is harmless.
 */
export async function handleMetaWebhook(deps: WorkerDeps, job: WebhookJob): Promise<WebhookResult> {
  const data = parseJobData('webhook-events', 'meta-webhook', job.data);
  const { registry, store, inbox, conversations, logger } = deps;
  const log = { botId: data.botId, requestId: data.requestId, jobId: job.id };
  const bot = await registry.get(data.botId);
  if (!bot) {
    logger.warn(log, 'webhook for an unknown or deleted bot: dropped');
    return { messages: 0, statuses: 0, errors: 0, dropped: 'unknown bot' };
  }
  let payload: unknown;
  try {
    payload = JSON.parse(data.rawBody);
  } catch {
    logger.warn(log, 'webhook body is not JSON: dropped');
    return { messages: 0, statuses: 0, errors: 0, dropped: 'not json' };
  }
  const events = normalizeWebhook(payload);
  const result: WebhookResult = { messages: 0, statuses: 0, errors: 0 };
  const byConversation = new Map<string, InboundMessage[]>();
  for (const event of events) {
    if (event.kind === 'status') {
      result.statuses++;
      const known = await store.applyStatus(bot.id, event);
      if (!known) logger.debug({ ...log, wamid: event.messageId }, 'status for an unknown message id: ignored');
    } else if (event.kind === 'error') {
      result.errors++;
      logger.warn({ ...log, errors: event.errors }, 'Meta reported webhook-level errors');
    } else if (event.phoneNumberId !== bot.phoneNumberId) {
      logger.warn(
        { ...log, phoneNumberId: event.phoneNumberId },
        "message for another phone number than the bot's: dropped",
      );
    } else {
      const list = byConversation.get(event.userKey) ?? [];
      list.push(event);
      byConversation.set(event.userKey, list);
    }
  }
  const sequence = Number(job.id);
  const base = Number.isSafeInteger(sequence) ? sequence : data.receivedAt;
  let index = 0;
  for (const [userKey, messages] of byConversation) {
    for (const message of messages) {
      await inbox.push(bot.id, userKey, message.messageId, inboxScore(base, index++), JSON.stringify(message));
      result.messages++;
    }
    await conversations.add(
      'drain-conversation',
      { botId: bot.id, userKey },
      { jobId: `drain-${safeIdPart(bot.id)}-${safeIdPart(userKey)}-${safeIdPart(String(job.id ?? data.requestId))}` },
    );
  }
  return result;
}
