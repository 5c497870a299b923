import { setTimeout as sleep } from 'node:timers/promises';
import { type BotRuntime, publishBotChanged } from '@wabot/bot-registry';
import type { DeliveryFailure, OutboundRow, PartClaim } from '@wabot/db';
import { GraphApiError, type GraphAuth, pairRateLimitDelayMs, type SendResult } from '@wabot/whatsapp';
import { ConversationHeld } from '../handlers/conversation-held.js';
import { conversationKeys } from '../inbox/conversation-keys.js';
import { publishStatuses } from '../takeover/live-events.js';
import type { WorkerDeps } from '../worker-deps.js';
import { toStoredAction } from './action-parts.js';
import { describeGraphFailure } from './bot-health.js';
import type { GraphOperation } from './graph-delivery.js';
import { toMediaSend } from './media-send.js';

/**
 * 'cancelled': the conversation was handed to a person before this reply part went out (it and
 * the reply's later parts are recorded `cancelled_by_handoff`); 'skipped': no longer pending.
 */
export type SendOutcome = 'sent' | 'failed' | 'cancelled' | 'skipped';

/** The wording stored and logged for a message refused because the 24-hour window is closed. */
export const WINDOW_CLOSED = 'window_closed';

/** error_title of a stored part whose payload cannot be sent (e.g. metadata that no longer parses). */
const NOT_SENDABLE = 'not_sendable';

/** Hits of Meta's pair rate limit (131056) for one conversation; reset when its turn is done. */
export const pairKey = (prefix: string, botId: string, userKey: string) =>
  conversationKeys(prefix, botId, userKey).pairRate;

/**
 * Meta's wamid of a part whose send Meta accepted but whose `markSent` failed: a retried job
 * records it instead of sending the part again.
 */
export const acceptedKey = (prefix: string, outboundId: string) => `${prefix}:accepted:${outboundId}`;
const ACCEPTED_TTL_S = 7 * 24 * 3600;

export interface SendOptions {
  /** The conversation's user key (pair rate limit bookkeeping). */
  pairKeyId: string;
  /** Mark these inbound messages (a turn) handled in the same statement that records the part sent. */
  handledInboundIds?: string[];
  /** Look for a wamid Meta returned to an earlier attempt that the database never recorded. */
  checkUnrecorded?: boolean;
  /** The job's last attempt: a retryable failure now is final, whatever is left of the retry budget. */
  lastAttempt?: boolean;
}

/**
 * Records an accepted part in PostgreSQL, retrying in process with doubling back-off: a failed
 * job would be retried and send the part a second time (Meta has no idempotency key). After the
 * first failure the wamid is also parked in Redis, so a retry of the job (or another worker after
 * a crash) records it instead of re-sending.
 */
async function recordSent(
  deps: WorkerDeps,
  bot: BotRuntime,
  row: Pick<OutboundRow, 'id'>,
  wamid: string,
  handledInboundIds: string[],
  alreadyParked = false,
): Promise<void> {
  const { store, redis, prefix, logger, config } = deps;
  let parked = alreadyParked;
  for (let attempt = 0; ; attempt++) {
    let conversationId: string | null;
    try {
      conversationId = await store.markSent(row.id, wamid, handledInboundIds);
      if (parked) await redis.del(acceptedKey(prefix, row.id)).catch(() => {});
    } catch (error) {
      if (!parked) {
        parked = await redis.set(acceptedKey(prefix, row.id), wamid, 'EX', ACCEPTED_TTL_S).then(
          () => true,
          () => false,
        );
      }
      if (attempt >= config.RECORD_SENT_RETRIES) {
        logger.error(
          { messageId: row.id, wamid, parked, err: error },
          'Meta accepted the part but recording it failed; the job is retried and will record it without re-sending',
        );
        throw error;
      }
      logger.warn({ messageId: row.id, attempt, err: error }, 'recording a sent part failed; retrying');
      await sleep(Math.min(config.RECORD_SENT_RETRY_BASE_MS * 2 ** attempt, 2_000));
      continue;
    }
    if (conversationId)
      await publishStatuses(deps, bot, conversationId, [{ messageId: row.id, wamid, status: 'sent' }]);
    return;
  }
}

/** Records a pending outbound message `failed` (see MessageRepository.markFailed) and reports it on the live stream. */
export async function markFailed(
  deps: WorkerDeps,
  bot: BotRuntime,
  messageId: string,
  failure: DeliveryFailure,
  countAttempt = true,
): Promise<void> {
  const conversationId = await deps.store.markFailed(messageId, failure, countAttempt);
  if (conversationId) {
    await publishStatuses(deps, bot, conversationId, [
      { messageId, wamid: null, status: 'failed', errorCode: failure.code, errorTitle: failure.title },
    ]);
  }
}

/**
 * Sends one pending outbound message (text part, action part or template) and records the result on its row.
 * A reply part is claimed first, atomically with its conversation's control: once a person took
 * the conversation over, it is recorded cancelled instead (returns 'cancelled').
 * Permanent refusals and a closed window are recorded as `failed` (returns 'failed'); broken
 * credentials flag the bot and hold the conversation, the pair rate limit holds it for 4^n
 * units ({@link ConversationHeld}); retryable errors that outlasted the in-process retries are
 * recorded on the row (`attempts`, `last_error`) and thrown so BullMQ retries the job, until the
 * row has been failing for DELIVERY_RETRY_BUDGET_MS (or the job is on its last attempt): then it
 * is recorded `failed` with the last error and 'failed' is returned.
 */
export async function sendOutbound(
  deps: WorkerDeps,
  bot: BotRuntime,
  row: Pick<OutboundRow, 'id' | 'type' | 'text' | 'metadata'>,
  recipient: string,
  options: SendOptions,
): Promise<SendOutcome> {
  const { store, delivery, logger, redis, prefix } = deps;
  const handledInboundIds = options.handledInboundIds ?? [];
  if (options.checkUnrecorded) {
    const wamid = await redis.get(acceptedKey(prefix, row.id));
    if (wamid) {
      logger.warn(
        { botId: bot.id, messageId: row.id, wamid },
        'part was accepted by Meta earlier: recorded, not re-sent',
      );
      await recordSent(deps, bot, row, wamid, handledInboundIds, true);
      return 'sent';
    }
  }
  const send = await toGraphSend(deps, row, recipient);
  if (send === null) {
    await markFailed(deps, bot, row.id, {
      code: null,
      title: NOT_SENDABLE,
      details: `no sendable ${row.type} payload: an action outside Meta's limits, a reaction without its target, or an uploaded file no longer stored`,
    });
    logger.error({ botId: bot.id, messageId: row.id, type: row.type }, 'stored part has no sendable payload: failed');
    return 'failed';
  }
  // The takeover guarantee: checked atomically with the conversation's control, right before the send.
  const claim = await store.claimForSend(row.id);
  if (claim.outcome !== 'send') return notClaimed(deps, bot, row, claim);
  // A part found in flight at a crash first waits for a status webhook naming it.
  if (claim.inFlightSince) {
    const learnt = await awaitInFlightSend(deps, bot, row, claim.inFlightSince);
    if (learnt === 'done') return 'skipped';
    if (learnt !== null) {
      await recordSent(deps, bot, row, learnt, handledInboundIds);
      return 'sent';
    }
  }
  let result: { messageId: string };
  try {
    result = await delivery.call(bot, send.operation, send.call);
  } catch (error) {
    // Answered without an acceptance (or never connected): the part is not in flight any more.
    if (neverAccepted(error)) await store.releaseClaim(row.id);
    return failedSend(deps, bot, row, error, options);
  }
  await recordSent(deps, bot, row, result.messageId, handledInboundIds);
  return 'sent';
}

/** A part the claim refused: cancelled by a handoff (reported on the live stream), or no longer pending. */
async function notClaimed(
  deps: WorkerDeps,
  bot: BotRuntime,
  row: Pick<OutboundRow, 'id'>,
  claim: PartClaim,
): Promise<SendOutcome> {
  const { logger } = deps;
  if (claim.outcome === 'cancelled') {
    if (claim.conversationId) {
      await publishStatuses(
        deps,
        bot,
        claim.conversationId,
        claim.cancelled.map((messageId) => ({
          messageId,
          wamid: null,
          status: 'cancelled' as const,
          errorTitle: 'cancelled_by_handoff',
        })),
      );
    }
    deps.metrics.handoffCancelledParts.inc();
    logger.info({ botId: bot.id, messageId: row.id }, 'conversation handed to a person: reply part not sent');
    return 'cancelled';
  }
  return 'skipped';
}

/**
 * A send that failed: permanent refusals and a closed window recorded `failed`, broken
 * credentials and the pair rate limit hold the conversation, retryable errors counted and
 * thrown (or, past the retry budget, recorded `failed`).
 */
async function failedSend(
  deps: WorkerDeps,
  bot: BotRuntime,
  row: Pick<OutboundRow, 'id'>,
  error: unknown,
  options: SendOptions,
): Promise<SendOutcome> {
  const { store, logger, redis, prefix, config } = deps;
  if (!(error instanceof GraphApiError)) return retryOrGiveUp(deps, bot, row, error, options.lastAttempt ?? false);
  const log = { botId: bot.id, messageId: row.id, code: error.code, status: error.status };
  switch (error.category) {
    case 'permanent':
      await markFailed(deps, bot, row.id, { code: error.code, title: error.title, details: error.details });
      logger.warn(log, `send refused by Meta (permanent): ${error.title}`);
      return 'failed';
    case 'window_closed':
      await markFailed(deps, bot, row.id, {
        code: error.code ?? 131047,
        title: WINDOW_CLOSED,
        details: error.details,
      });
      await store.markWindowClosed(row.id);
      logger.warn(log, 'send refused by Meta: the 24-hour customer-service window is closed (131047)');
      return 'failed';
    case 'credentials': {
      const version = await deps.bots.flagCredentialsInvalid(bot.id, bot.version, {
        code: error.code ?? error.status,
        message: `${error.title}${error.details ? `: ${error.details}` : ''}`,
      });
      deps.registry.invalidate(bot.id);
      if (version !== null) {
        // Logged as soon as the flag is stored (whoever sees the flag finds the log line too).
        logger.error(
          log,
          `bot ${bot.id}: access token rejected by Meta (${error.code}: ${error.title}); the bot is flagged credentials_invalid and its sends are held until the token is replaced`,
        );
        await publishBotChanged(redis, prefix, { botId: bot.id, version });
      }
      throw new ConversationHeld(config.CREDENTIALS_RECHECK_MS, 'credentials_invalid');
    }
    case 'pair_rate_limited': {
      const key = pairKey(prefix, bot.id, options.pairKeyId);
      const hits = await redis.incr(key);
      await redis.pexpire(key, 3_600_000);
      const delayMs = pairRateLimitDelayMs(hits, { baseMs: config.PAIR_RATE_BASE_MS });
      logger.warn({ ...log, delayMs }, 'pair rate limit (131056): holding this conversation');
      throw new ConversationHeld(delayMs, 'pair_rate_limited');
    }
    default:
      return retryOrGiveUp(deps, bot, row, error, options.lastAttempt ?? false);
  }
}

/**
 * A retryable failure of `row`'s send: counted on the row with its `last_error`, then thrown (the
 * job is retried) while the row's retry budget lasts; past it, the row is `failed` with the reason.
 */
async function retryOrGiveUp(
  deps: WorkerDeps,
  bot: BotRuntime,
  row: Pick<OutboundRow, 'id'>,
  error: unknown,
  lastAttempt: boolean,
): Promise<SendOutcome> {
  const { store, logger, config } = deps;
  const { failure } = describeGraphFailure(error);
  const state = await store.recordRetry([row.id], failure);
  const failingMs = Date.now() - state.retryingSince.getTime();
  if (failingMs < config.DELIVERY_RETRY_BUDGET_MS && !lastAttempt) throw error;
  const details = `gave up after ${state.attempts} attempt(s) over ${Math.round(failingMs / 1000)} s (retry budget ${Math.round(config.DELIVERY_RETRY_BUDGET_MS / 1000)} s)`;
  await markFailed(deps, bot, row.id, { code: failure.code, title: failure.title, details }, false);
  logger.error(
    { botId: bot.id, messageId: row.id, attempts: state.attempts, failingMs },
    `send failed for good: ${failure.title}; ${details}`,
  );
  return 'failed';
}

/** Connection-level codes that mean the request never reached the Graph API. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/** True when a failed send certainly did not go out: Meta answered with an error, or no connection was made. */
function neverAccepted(error: unknown): boolean {
  if (error instanceof GraphApiError && error.status !== 0) return true;
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const code = 'code' in e ? e.code : undefined;
    if (typeof code === 'string' && NOT_CONNECTED.has(code)) return true;
    e = 'cause' in e ? e.cause : undefined;
  }
  return false;
}

/** How often a recovered send polls its row for the wamid a status webhook taught it. */
const IN_FLIGHT_POLL_MS = 100;

/**
 * The part was claimed for its Graph send before and never settled: the process died (or the
 * call went unanswered) while the send was in flight, so Meta may have accepted it. Meta echoes
 * our part id (biz_opaque_callback_data) in the status webhooks, and stage 1 records the wamid
 * such a status names ({@link MessageRepository.applyStatus}). Waits up to
 * SEND_IN_FLIGHT_WAIT_MS from the earlier claim (at least half of it from now) for that wamid: the wamid when one came, 'done'
 * when the row stopped being pending, null when the part should be sent (again).
 */
async function awaitInFlightSend(
  deps: WorkerDeps,
  bot: BotRuntime,
  row: Pick<OutboundRow, 'id'>,
  since: Date,
): Promise<string | 'done' | null> {
  const { store, logger, config, metrics } = deps;
  // From the earlier claim; but a job recovered late (every process was down, the status is still
  // being redelivered and stage 1 has a backlog) still gives the status half the wait.
  const wait = config.SEND_IN_FLIGHT_WAIT_MS;
  const deadline = wait > 0 ? Math.max(since.getTime() + wait, Date.now() + wait / 2) : 0;
  const started = Date.now();
  logger.info(
    { botId: bot.id, messageId: row.id, claimedAt: since.toISOString() },
    'part was in flight at a crash: waiting for a status webhook naming it',
  );
  for (;;) {
    const state = await store.findSendState(row.id);
    if (state?.wamid) {
      metrics.inFlightSends.inc({ outcome: 'status_seen' });
      logger.warn(
        { botId: bot.id, messageId: row.id, wamid: state.wamid, waitedMs: Date.now() - started },
        'part sent before a crash: Meta reported it (biz_opaque_callback_data); recorded, not re-sent',
      );
      return state.wamid;
    }
    if (!state || state.status !== 'pending') return 'done';
    if (Date.now() >= deadline) break;
    await sleep(Math.min(IN_FLIGHT_POLL_MS, Math.max(1, deadline - Date.now())));
  }
  metrics.inFlightSends.inc({ outcome: 'resent' });
  logger.warn(
    { botId: bot.id, messageId: row.id, waitedMs: Date.now() - started },
    'part was in flight at a crash and no status named it in time: sending it again',
  );
  return null;
}

/**
 * The Graph call of one outbound part: a template, a WhatsApp action (interactive, media or a
 * reaction, from its metadata), an operator's media message (by link or uploaded file), or text.
 * Null for a part that cannot be sent (a handoff is no send; a reaction without its target;
 * metadata that no longer parses; an uploaded file that is gone).
 */
async function toGraphSend(
  deps: Pick<WorkerDeps, 'graph' | 'outboundMedia'>,
  row: Pick<OutboundRow, 'id' | 'type' | 'text' | 'metadata'>,
  recipient: string,
): Promise<{ operation: GraphOperation; call: (auth: GraphAuth) => Promise<SendResult> } | null> {
  const { graph } = deps;
  // Our part id rides along: Meta echoes it in the status webhooks, which name the part even when
  // a crash kept its wamid from being recorded (see awaitInFlightSend).
  const echo = { bizOpaqueCallbackData: row.id };
  const template = row.type === 'template' ? templateOf(row) : null;
  if (template) return { operation: 'template', call: (auth) => graph.sendTemplate(auth, recipient, template, echo) };
  if (row.type === 'text')
    return { operation: 'text', call: (auth) => graph.sendText(auth, recipient, row.text, echo) };
  const media = await toMediaSend(deps, row, recipient, echo);
  if (media !== undefined) return media === null ? null : { operation: 'media', call: media.call };
  const stored = toStoredAction(row.metadata);
  switch (stored?.kind) {
    case 'send': {
      const { action } = stored;
      return {
        operation: action.kind === 'media' ? 'media' : 'interactive',
        call: (auth) => graph.sendAction(auth, recipient, action, echo),
      };
    }
    case 'reaction':
      return {
        operation: 'reaction',
        call: (auth) => graph.sendReaction(auth, recipient, stored.messageId, stored.emoji, echo),
      };
    default:
      return null;
  }
}

function templateOf(
  row: Pick<OutboundRow, 'metadata'>,
): { name: string; language: string; parameters: string[] } | null {
  const metadata = row.metadata;
  if (!metadata || typeof metadata !== 'object' || !('template' in metadata)) return null;
  const template = metadata.template;
  if (!template || typeof template !== 'object' || !('name' in template) || !('language' in template)) return null;
  const { name, language } = template;
  const parameters = 'parameters' in template ? template.parameters : undefined;
  if (typeof name !== 'string' || typeof language !== 'string') return null;
  const list = Array.isArray(parameters) ? parameters.filter((p): p is string => typeof p === 'string') : [];
  return { name, language, parameters: list };
}
