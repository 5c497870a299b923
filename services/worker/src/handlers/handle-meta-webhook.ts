import { type MetaWebhookJob, parseJobData } from '@wabot/contracts';
import { type InboundMessage, normalizeWebhook, type StatusUpdate } from '@wabot/whatsapp';
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
 * Stage 1 (queue webhook-events, job meta-webhook): one webhook POST. See {@link handleWebhookEvents}.
 */
export async function handleMetaWebhook(deps: WorkerDeps, job: WebhookJob): Promise<WebhookResult> {
  const data = parseJobData('webhook-events', 'meta-webhook', job.data);
  return handleWebhookEvents(deps, job.id, [data]);
}

/**
 * Stage 1 (queue webhook-events, job meta-webhook-batch): several webhook POSTs the ingress
 * stored together (group commit), in arrival order.
 */
export async function handleMetaWebhookBatch(deps: WorkerDeps, job: WebhookJob): Promise<WebhookResult> {
  const { events } = parseJobData('webhook-events', 'meta-webhook-batch', job.data);
  return handleWebhookEvents(deps, job.id, events);
}

/**
 * Parses webhook POSTs, applies status updates, and puts each inbound message into its
 * conversation's ordered inbox (score = job id, then position across the whole job), then enqueues
 * one drain job per conversation touched whose lock was free (a drain holding it sees the message).
 * Cheap and idempotent, so a retried or redelivered webhook is harmless. The job's writes go out
 * together rather than one round trip each: every push and status update is atomic on its own and
 * none depends on another's order (the inbox orders by score; statuses only move forward).
 */
async function handleWebhookEvents(
  deps: WorkerDeps,
  jobId: string | undefined,
  events: MetaWebhookJob[],
): Promise<WebhookResult> {
  const { registry, store, inbox, conversations, logger } = deps;
  const result: WebhookResult = { messages: 0, statuses: 0, errors: 0 };
  const sequence = Number(jobId);
  const base = Number.isSafeInteger(sequence) ? sequence : (events[0]?.receivedAt ?? Date.now());
  const statuses: { botId: string; update: StatusUpdate; log: Record<string, unknown> }[] = [];
  const pushes: { botId: string; message: InboundMessage; score: number }[] = [];
  let index = 0;
  for (const data of events) {
    const log = { botId: data.botId, requestId: data.requestId, jobId };
    const bot = await registry.get(data.botId);
    if (!bot) {
      logger.warn(log, 'webhook for an unknown or deleted bot: dropped');
      result.dropped = 'unknown bot';
      continue;
    }
    let payload: unknown;
    try {
      payload = JSON.parse(data.rawBody);
    } catch {
      logger.warn(log, 'webhook body is not JSON: dropped');
      result.dropped = 'not json';
      continue;
    }
    for (const event of normalizeWebhook(payload)) {
      if (event.kind === 'status') {
        result.statuses++;
        statuses.push({ botId: bot.id, update: event, log });
      } else if (event.kind === 'error') {
        result.errors++;
        logger.warn({ ...log, errors: event.errors }, 'Meta reported webhook-level errors');
      } else if (event.phoneNumberId !== bot.phoneNumberId) {
        logger.warn(
          { ...log, phoneNumberId: event.phoneNumberId },
          "message for another phone number than the bot's: dropped",
        );
      } else pushes.push({ botId: bot.id, message: event, score: inboxScore(base, index++) });
    }
  }

  const [known, pushed] = await Promise.all([
    Promise.all(statuses.map(({ botId, update }) => store.applyStatus(botId, update))),
    Promise.all(
      pushes.map(({ botId, message, score }) =>
        inbox.push(botId, message.userKey, message.messageId, score, JSON.stringify(message)),
      ),
    ),
  ]);
  statuses.forEach(({ update, log }, i) => {
    if (!known[i]) logger.debug({ ...log, wamid: update.messageId }, 'status for an unknown message id: ignored');
  });

  // Conversations needing a drain job: a message pushed while the conversation's lock was held
  // needs none (the holder releases only once the inbox is empty, atomically, so it sees it).
  const touched = new Map<string, { botId: string; userKey: string; drain: boolean }>();
  pushes.forEach(({ botId, message }, i) => {
    const locked = pushed[i]?.locked ?? false;
    result.messages++;
    const key = `${botId}\u0000${message.userKey}`;
    const seen = touched.get(key);
    if (seen) seen.drain ||= !locked;
    else touched.set(key, { botId, userKey: message.userKey, drain: !locked });
  });
  const source = safeIdPart(String(jobId ?? events[0]?.requestId ?? Date.now()));
  await Promise.all(
    [...touched.values()]
      .filter(({ drain }) => drain)
      .map(({ botId, userKey }) =>
        conversations.add(
          'drain-conversation',
          { botId, userKey },
          { jobId: `drain-${safeIdPart(botId)}-${safeIdPart(userKey)}-${source}` },
        ),
      ),
  );
  return result;
}
