import { type BotRuntime, handoffResumeAt } from '@wabot/bot-registry';
import type { MetaWebhookBatchJob, MetaWebhookJob } from '@wabot/contracts';
import type { AppliedStatus } from '@wabot/db';
import {
  type BusinessEcho,
  type HistoryMessage,
  normalizeWebhook,
  type StatusUpdate,
  verifyWebhookSignature,
} from '@wabot/whatsapp';
import { encodeStoredInbound } from '../inbox/stored-inbound.js';
import { publishControl, publishCreated, publishStatuses } from '../takeover/live-events.js';
import { scheduleResume } from '../takeover/schedule-resume.js';
import type { WorkerDeps } from '../worker-deps.js';

/** The part of a BullMQ job stage 1 needs (its data comes parsed, as the second argument). */
export interface WebhookJob {
  id?: string | undefined;
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
export async function handleMetaWebhook(
  deps: WorkerDeps,
  data: MetaWebhookJob,
  job: WebhookJob,
): Promise<WebhookResult> {
  return handleWebhookEvents(deps, job.id, [data]);
}

/**
 * Stage 1 (queue webhook-events, job meta-webhook-batch): several webhook POSTs the ingress
 * stored together (group commit), in arrival order.
 */
export async function handleMetaWebhookBatch(
  deps: WorkerDeps,
  { events }: MetaWebhookBatchJob,
  job: WebhookJob,
): Promise<WebhookResult> {
  return handleWebhookEvents(deps, job.id, events);
}

/**
 * Parses webhook POSTs, applies status updates, and puts each inbound message into its
 * conversation's ordered inbox — one script per conversation with its messages in arrival order;
 * stage 1 runs one job per shard at a time, so push order is arrival order — then enqueues one
 * drain job per conversation touched whose lock was free (a drain holding it sees the messages).
 * Cheap and idempotent, so a retried or redelivered webhook is harmless. The job's writes go out
 * together rather than one round trip each: each conversation's push and each status update is
 * atomic on its own and none depends on another's order (statuses only move forward).
 */
async function handleWebhookEvents(
  deps: WorkerDeps,
  jobId: string | undefined,
  events: MetaWebhookJob[],
): Promise<WebhookResult> {
  const { registry, inbox, conversations, logger, metrics, diagnostics } = deps;
  const result: WebhookResult = { messages: 0, statuses: 0, errors: 0 };
  const statuses: { bot: BotRuntime; update: StatusUpdate; log: Record<string, unknown> }[] = [];
  const echoes: { bot: BotRuntime; echo: BusinessEcho }[] = [];
  // Coexistence history, per chat: imported as an archive, never given to the inbox.
  const history = new Map<string, { bot: BotRuntime; messages: HistoryMessage[] }>();
  // Per conversation, its messages in arrival order (the inbox scores them in push order).
  const conversationsTouched = new Map<
    string,
    { botId: string; userKey: string; messages: { messageId: string; data: string }[] }
  >();
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
    // Events of this POST for other phone numbers, by number: their bot, or null when none takes them.
    const owners = new Map<string, BotRuntime | null>();
    const ownerOf = async (phoneNumberId: string): Promise<BotRuntime | null> => {
      if (phoneNumberId === bot.phoneNumberId) return bot;
      if (!owners.has(phoneNumberId)) owners.set(phoneNumberId, await routedOwner(deps, bot, phoneNumberId, data));
      return owners.get(phoneNumberId) ?? null;
    };
    let unroutable = 0;
    for (const event of normalizeWebhook(payload)) {
      if (event.kind === 'error') {
        result.errors++;
        logger.warn({ ...log, errors: event.errors }, 'Meta reported webhook-level errors');
        continue;
      }
      const owner = await ownerOf(event.phoneNumberId);
      if (owner !== bot) metrics.foreignNumberEvents.inc({ outcome: owner ? 'routed' : 'unroutable' });
      if (!owner) {
        unroutable++;
        logger.warn(
          { ...log, phoneNumberId: event.phoneNumberId },
          'event for a phone number no bot of the workspace takes (or whose app secret does not verify the signature): dropped',
        );
        continue;
      }
      if (event.kind === 'status') {
        result.statuses++;
        statuses.push({ bot: owner, update: event, log: { ...log, botId: owner.id } });
      } else if (event.kind === 'echo') {
        echoes.push({ bot: owner, echo: event });
      } else if (event.kind === 'history') {
        const key = `${owner.id}\u0000${event.userKey}`;
        const chat = history.get(key) ?? { bot: owner, messages: [] };
        chat.messages.push(event);
        history.set(key, chat);
      } else {
        const key = `${owner.id}\u0000${event.userKey}`;
        let touched = conversationsTouched.get(key);
        if (!touched) {
          touched = { botId: owner.id, userKey: event.userKey, messages: [] };
          conversationsTouched.set(key, touched);
        }
        touched.messages.push({
          messageId: event.messageId,
          data: encodeStoredInbound({ message: event, receivedAt: data.receivedAt }),
        });
        result.messages++;
      }
    }
    diagnostics.countForeignPhoneNumberEvents(bot.id, unroutable);
  }
  const touched = [...conversationsTouched.values()];

  const [known, pushed] = await Promise.all([
    Promise.all(statuses.map(({ bot, update }) => applyStatus(deps, bot, update))),
    Promise.all(touched.map(({ botId, userKey, messages }) => inbox.pushAll(botId, userKey, messages))),
    Promise.all(echoes.map(({ bot, echo }) => recordEcho(deps, bot, echo))),
    Promise.all([...history.values()].map(({ bot, messages }) => importHistory(deps, bot, messages))),
  ]);
  statuses.forEach(({ update, log }, i) => {
    if (!known[i]) logger.debug({ ...log, wamid: update.messageId }, 'status for an unknown message id: ignored');
  });

  // A conversation whose lock was held when its messages were pushed needs no drain job: the
  // holder releases only once the inbox is empty, atomically, so it sees them.
  const source = safeIdPart(String(jobId ?? events[0]?.requestId ?? Date.now()));
  await Promise.all(
    touched
      .filter((_, i) => !pushed[i]?.locked)
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

/**
 * A coexistence echo (the business answered from the WhatsApp Business app): stored once as the
 * business's outbound message and the conversation handed to a person (reason
 * business_app_reply), its auto-resume counted from this message. Never answered.
 */
async function recordEcho(deps: WorkerDeps, bot: BotRuntime, echo: BusinessEcho): Promise<void> {
  if (echo.type === 'edit' || echo.type === 'revoke') return applyEchoChange(deps, bot, echo);
  const resumeAt = handoffResumeAt(bot.settings, new Date());
  const recorded = await deps.store.recordEcho(bot.id, echo, resumeAt);
  if (!recorded) return;
  const { conversationId } = recorded.control;
  await publishCreated(deps, bot, conversationId, [recorded.messageId]);
  if (recorded.handedOff) {
    await publishControl(deps, bot, recorded.control, 'business_app');
    deps.metrics.controlChanges.inc({ trigger: 'business_app_reply' });
    deps.logger.info(
      { botId: bot.id, conversationId, wamid: echo.messageId },
      'the business answered from the WhatsApp Business app: the conversation is handed to a person',
    );
  }
  await scheduleResume(deps, bot.id, conversationId, resumeAt);
}

/**
 * A Business-app `edit` or `revoke` echo (shared/reference/meta-cloud-api.md §11.1): the change is
 * stored on the business's message it names (an unknown one is only logged); no new message, no
 * handoff.
 */
async function applyEchoChange(deps: WorkerDeps, bot: BotRuntime, echo: BusinessEcho): Promise<void> {
  const kind = echo.type === 'edit' ? 'edit' : 'revoke';
  const original = kind === 'edit' ? echo.metadata.editedMessageId : echo.metadata.revokedMessageId;
  if (typeof original !== 'string') {
    deps.logger.warn(
      { botId: bot.id, wamid: echo.messageId, kind },
      'Business-app echo without its original message id: ignored',
    );
    return;
  }
  const edit =
    kind === 'edit' && typeof echo.metadata.edit === 'object' && echo.metadata.edit !== null
      ? echo.metadata.edit
      : null;
  const text = edit && 'text' in edit && typeof edit.text === 'string' ? edit.text : null;
  const changed = await deps.store.applyEchoChange(bot.id, {
    kind,
    originalMessageId: original,
    messageId: echo.messageId,
    timestamp: echo.timestamp,
    text,
    edit: edit ? { ...edit } : null,
  });
  if (!changed) {
    deps.logger.info(
      { botId: bot.id, wamid: echo.messageId, original, kind },
      'Business-app edit or revoke of an unknown message: ignored',
    );
    return;
  }
  await deps.events.publish({
    type: 'message.updated',
    workspace_id: bot.workspaceId,
    bot_id: bot.id,
    conversation_id: changed.conversationId,
    message_id: changed.id,
  });
}

/** A status webhook applied; a status that moved its message is reported on the live stream. */
async function applyStatus(deps: WorkerDeps, bot: BotRuntime, update: StatusUpdate): Promise<AppliedStatus | null> {
  const applied = await deps.store.applyStatus(bot.id, update);
  if (
    applied?.moved &&
    (applied.status === 'sent' ||
      applied.status === 'delivered' ||
      applied.status === 'read' ||
      applied.status === 'failed')
  ) {
    await publishStatuses(deps, bot, applied.conversationId, [
      {
        messageId: applied.id,
        wamid: update.messageId,
        status: applied.status,
        ...(applied.status === 'failed' ? { errorCode: applied.errorCode, errorTitle: applied.errorTitle } : {}),
      },
    ]);
  }
  return applied;
}

/**
 * One chat's coexistence history (shared/reference/meta-cloud-api.md §11.2), imported as an
 * archive: stored once by wamid, never answered, no read receipt, the 24-hour window untouched.
 */
async function importHistory(deps: WorkerDeps, bot: BotRuntime, messages: HistoryMessage[]): Promise<void> {
  const [first] = messages;
  if (!first) return;
  const imported = await deps.store.importHistory(
    bot.id,
    {
      userKey: first.userKey,
      waId: messages.find((m) => m.waId)?.waId ?? null,
      userId: messages.find((m) => m.userId)?.userId ?? null,
    },
    messages,
  );
  deps.metrics.historyImported.inc(imported.stored.length);
  deps.logger.info(
    {
      botId: bot.id,
      conversationId: imported.conversationId,
      messages: messages.length,
      stored: imported.stored.length,
    },
    'coexistence history imported',
  );
}

/**
 * The bot an event for `phoneNumberId` belongs to when it was posted to `urlBot`'s URL: one Meta
 * app has one callback URL for all its numbers, so Meta posts every number's events to whichever
 * bot's URL the app was given. It is the active bot of the same workspace with that number, if
 * the POST's signature verifies with that bot's app secret (both bots belong to the app); else
 * null (nobody's event, or a forgery).
 */
async function routedOwner(
  deps: Pick<WorkerDeps, 'registry'>,
  urlBot: BotRuntime,
  phoneNumberId: string,
  job: MetaWebhookJob,
): Promise<BotRuntime | null> {
  const owner = await deps.registry.findByPhoneNumber(urlBot.workspaceId, phoneNumberId);
  if (!owner || owner.appSecret === null || job.signature === undefined) return null;
  return verifyWebhookSignature(owner.appSecret, Buffer.from(job.rawBody, 'utf8'), job.signature) ? owner : null;
}
