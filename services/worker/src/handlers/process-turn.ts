import { setTimeout as sleep } from 'node:timers/promises';
import { type BotRuntime, handoffResumeAt, isHandoffKeyword } from '@wabot/bot-registry';
import type { DeliveryFailure, PlannedPart, RecordedInbound } from '@wabot/db';
import { chunkText, isCustomerServiceWindowOpen } from '@wabot/whatsapp';
import { toActionPart, toStoredAction } from '../delivery/action-parts.js';
import { describeEngineFailure, LLM_UNREACHABLE } from '../delivery/bot-health.js';
import { sendOutbound, WINDOW_CLOSED } from '../delivery/send-outbound.js';
import { EngineAborted, EngineError, type EngineReply, type EngineUsage } from '../engine/bot-engine.js';
import type { StoredInbound } from '../inbox/stored-inbound.js';
import { scheduleResume } from '../takeover/schedule-resume.js';
import type { WorkerDeps } from '../worker-deps.js';

/** error_title of a reply the engine could not produce and retrying would not fix. */
const ENGINE_FAILED = 'engine_failed';

/** `human`: the conversation is a person's (handed over before, or by this very message's keyword): stored, not answered. */
type InboundOutcome = 'replied' | 'reply_failed' | 'duplicate' | 'not_replyable' | 'bot_inactive' | 'human';

/** One message of a turn as the drain read it from the inbox. */
export interface TurnMessage extends StoredInbound {
  /** First time a drain read it: its read receipt is due. */
  fresh: boolean;
}

/** What became of the messages given to {@link processTurn}. */
export type TurnResult =
  /** These messages are done (handled, or duplicates) and leave the inbox; the rest stay for the next turn. */
  | { state: 'done'; messageIds: string[]; outcome: InboundOutcome }
  /** The turn is still collecting messages (settings.turn): come back in `delayMs`. */
  | { state: 'wait'; delayMs: number }
  /** A newer message arrived while the reply was generated and before any part was sent. */
  | { state: 'superseded' };

export interface TurnContext {
  /** Messages in the conversation's inbox now (supersede: a larger count means a newer message). */
  inboxSize: () => Promise<number>;
  /** How often the inbox is checked for a newer message while the engine works. */
  supersedePollMs: number;
  /** The job's last attempt: a retryable failure now is final (the messages are recorded `failed`). */
  lastAttempt: boolean;
}

const settleWithin = (promise: Promise<unknown>, ms: number) =>
  Promise.race([promise, sleep(ms, undefined, { ref: false })]);

/**
 * Handles the next turn of a conversation exactly once (the caller holds the conversation lock;
 * `messages` are the oldest of its inbox, in arrival order). Every message is stored first (a
 * redelivery finds it handled). Then, in order of precedence:
 * - the first message was handled already (a redelivery): it alone is done;
 * - it belongs to a turn whose reply plan was stored (an earlier attempt crashed): that turn's
 *   remaining parts are sent and its messages are done — the engine is never asked twice;
 * - otherwise the messages form a new turn: with `settings.turn.debounce_ms` 0 just the first
 *   message (exactly one reply per message); else all of them, once the newest is `debounce_ms`
 *   old or the first `max_wait_ms` (until then: 'wait'). The engine sees the turn's messages in
 *   order and its reply plan is stored keyed on the turn's last message, every message of the turn
 *   tagged with it; a message arriving while the engine works and before the plan is stored
 *   supersedes the generation (the call is aborted, 'superseded'). The parts are sent in order;
 *   the last one marks every message of the turn handled in the same statement.
 * Read receipts go out once per message (the first time a drain reads it, `fresh`), with the
 * typing indicator on the newest when the bot has it, refreshed while the turn waits or generates.
 */
export async function processTurn(
  deps: WorkerDeps,
  bot: BotRuntime,
  messages: TurnMessage[],
  context: TurnContext,
): Promise<TurnResult> {
  const { store, logger } = deps;
  const [first] = messages;
  if (!first) return { state: 'done', messageIds: [], outcome: 'duplicate' };
  const { debounce_ms: debounceMs, max_wait_ms: maxWaitMs } = bot.settings.turn;
  const candidates = debounceMs > 0 ? messages : [first];
  const replies = bot.active;

  // Stored in order; the history comes with the first message (before the turn).
  const recorded: RecordedInbound[] = [];
  for (const [i, turnMessage] of candidates.entries()) {
    const history = i === 0 && replies && turnMessage.message.replyable ? bot.settings.history : undefined;
    recorded.push(await store.recordInbound(bot.id, turnMessage.message, history));
  }
  const [head] = recorded;
  if (!head) return { state: 'done', messageIds: [], outcome: 'duplicate' };
  const log = { botId: bot.id, conversationId: head.conversationId, messageId: first.message.messageId };

  if (head.message.status === 'handled') {
    logger.info(log, 'duplicate delivery of a handled message: skipped');
    return { state: 'done', messageIds: [first.message.messageId], outcome: 'duplicate' };
  }

  const entries = candidates.flatMap((m, i) => {
    const r = recorded[i];
    return r ? [{ m, r }] : [];
  });
  // A stored plan: resume that turn (its messages are at the head of the inbox, in order; a plan
  // stored before turns existed answers the head message alone).
  if (head.plan.length > 0) {
    const turnId = head.message.turnId ?? head.message.id;
    const turn = entries.filter(({ r }, i) => i === 0 || r.message.turnId === turnId);
    const outcome = await sendPlan(deps, bot, turn, head.plan, {
      replyToId: turnId,
      resumed: true,
      receipts: Promise.resolve(),
      lastAttempt: context.lastAttempt,
    });
    return { state: 'done', messageIds: turn.map(({ m }) => m.message.messageId), outcome };
  }

  // A new turn: every candidate not handled yet and not part of a stored turn. Redeliveries of
  // handled messages leave the inbox with it.
  const skipped = entries.filter(({ r }) => r.message.status === 'handled').map(({ m }) => m.message.messageId);
  const turn = entries.filter(({ r }) => r.message.status !== 'handled' && r.message.turnId === null);
  const turnIds = turn.map(({ m }) => m.message.messageId);
  const rows = turn.map(({ r }) => r.message.id);
  const replyable = turn.filter(({ m }) => m.message.replyable);
  if (!replies || replyable.length === 0) {
    await store.markHandled(rows);
    if (!replies) logger.info(log, 'bot is inactive: message stored, no reply');
    return {
      state: 'done',
      messageIds: [...skipped, ...turnIds],
      outcome: replyable.length > 0 ? 'bot_inactive' : 'not_replyable',
    };
  }

  // Human takeover: a conversation a person holds is stored and receipted (no typing indicator:
  // the bot will not answer), never answered; a handoff keyword hands it over right here.
  const keyword = replyable.some(
    ({ m }) => m.message.type === 'text' && isHandoffKeyword(bot.settings, m.message.text),
  );
  const byPerson = head.control === 'human' || keyword;
  const receipts = sendReceipts(
    deps,
    bot,
    turn.map(({ m }) => m),
    log,
    !byPerson && bot.settings.typing_indicator,
  );
  if (byPerson) {
    if (head.control === 'bot') {
      const resumeAt = handoffResumeAt(bot.settings, new Date());
      if (await store.handOff(head.conversationId, 'keyword', resumeAt)) {
        deps.metrics.controlChanges.inc({ trigger: 'keyword' });
        logger.info(log, 'handoff keyword: the conversation is handed to a person');
        await scheduleResume(deps, bot.id, head.conversationId, resumeAt);
      }
    }
    await settleWithin(receipts, deps.config.READ_RECEIPT_WAIT_MS);
    await store.markHandled(rows);
    return { state: 'done', messageIds: [...skipped, ...turnIds], outcome: 'human' };
  }
  if (debounceMs > 0) {
    const arrivals = turn.map(({ m }) => m.receivedAt);
    const readyAt = Math.min(Math.max(...arrivals) + debounceMs, Math.min(...arrivals) + maxWaitMs);
    const waitMs = readyAt - Date.now();
    if (waitMs > 0) {
      await settleWithin(receipts, deps.config.READ_RECEIPT_WAIT_MS);
      // With the typing indicator on, wake at least every TYPING_REFRESH_MS to refresh it.
      const delayMs = bot.settings.typing_indicator ? Math.min(waitMs, deps.config.TYPING_REFRESH_MS) : waitMs;
      return { state: 'wait', delayMs };
    }
  }

  const last = replyable.at(-1);
  if (!last) throw new Error('a turn without a replyable message reached the engine');
  const lastInboundAt = new Date(Math.max(...recorded.map((r) => r.lastInboundAt.getTime())));
  const startSize = debounceMs > 0 ? await context.inboxSize() : 0;
  let generated: Generated;
  try {
    generated = await generate(
      deps,
      bot,
      head,
      replyable.map(({ m }) => m.message.text),
      lastInboundAt,
      {
        superseded: debounceMs > 0 ? async () => (await context.inboxSize()) > startSize : null,
        pollMs: context.supersedePollMs,
        typingFor: bot.settings.typing_indicator ? turn.at(-1)?.m.message.messageId : undefined,
        reactionTo: last.m.message.messageId,
        turnId: last.r.message.id,
        log,
        rows,
        lastAttempt: context.lastAttempt,
      },
    );
  } catch (error) {
    if (error instanceof EngineAborted) {
      deps.metrics.turns.inc({ outcome: 'superseded' });
      logger.info({ ...log, messages: turn.length }, 'a newer message superseded the reply being generated');
      return { state: 'superseded' };
    }
    await settleWithin(receipts, deps.config.READ_RECEIPT_WAIT_MS);
    throw error;
  }
  // The last moment a newer message may supersede the turn: once the plan is stored, it is sent.
  if (debounceMs > 0 && (await context.inboxSize()) > startSize) {
    deps.metrics.turns.inc({ outcome: 'superseded' });
    logger.info({ ...log, messages: turn.length }, 'a newer message superseded the reply just generated');
    return { state: 'superseded' };
  }
  const plan = await store.createReplyPlan(last.r.message, generated.parts, rows, generated.usage);
  if (generated.failure) await store.markInboundFailed(rows, generated.failure);
  deps.metrics.turns.inc({ outcome: 'answered' });
  deps.metrics.turnMessages.observe(turn.length);
  const outcome = await sendPlan(deps, bot, turn, plan, {
    replyToId: last.r.message.id,
    resumed: false,
    receipts,
    lastAttempt: context.lastAttempt,
  });
  return { state: 'done', messageIds: [...skipped, ...turnIds], outcome };
}

/**
 * Read receipts of the turn's messages not receipted yet (best effort; failures are only logged),
 * with the typing indicator on the newest when `typing`.
 */
function sendReceipts(
  deps: WorkerDeps,
  bot: BotRuntime,
  messages: TurnMessage[],
  log: Record<string, unknown>,
  typing: boolean,
): Promise<unknown> {
  const newest = messages.at(-1)?.message.messageId;
  const due = messages.filter((m) => m.fresh || (typing && m.message.messageId === newest));
  return Promise.all(
    due.map((m) =>
      markRead(deps, bot, m.message.messageId, typing && m.message.messageId === newest).catch((error: unknown) =>
        deps.logger.warn({ ...log, err: error }, 'read receipt failed (reply continues)'),
      ),
    ),
  );
}

/** One read receipt through the rate-limited delivery path, with the typing indicator when asked. */
const markRead = (deps: WorkerDeps, bot: BotRuntime, messageId: string, typingIndicator: boolean) =>
  deps.delivery.call(
    bot,
    'read',
    (auth) => deps.graph.markRead(auth, messageId, typingIndicator ? { typingIndicator: true } : {}),
    { retries: 0 },
  );

interface GenerateOptions {
  /** Resolves true when a newer message arrived (null: the turn cannot be superseded). */
  superseded: (() => Promise<boolean>) | null;
  pollMs: number;
  /** Message id to refresh the typing indicator on while the engine works. */
  typingFor: string | undefined;
  /** The wamid a `reaction` part reacts to: the turn's last inbound message. */
  reactionTo: string;
  /** The turn's id (its last inbound message's): the bot's HTTP tool calls are recorded under it. */
  turnId: string;
  log: Record<string, unknown>;
  /** The turn's inbound rows: a retryable engine failure is recorded on them (attempts, last_error). */
  rows: string[];
  lastAttempt: boolean;
}

interface Generated {
  parts: PlannedPart[];
  /** The engine failed for good: the turn's inbound messages are recorded `failed` with this. */
  failure: DeliveryFailure | null;
  /** The engine's token usage (null when no model answered). */
  usage: EngineUsage | null;
}

/**
 * The engine's parts in order as reply-plan parts: texts split into WhatsApp-sized messages
 * (empty ones dropped), actions as they are (already fitted to Meta's limits), a reaction aimed
 * at `reactionTo`.
 */
function toPlannedParts(parts: EngineReply['parts'], reactionTo: string): PlannedPart[] {
  return parts.flatMap((part): PlannedPart[] => {
    if (part.type === 'text') return chunkText(part.text).map((text) => ({ type: 'text', text }));
    return [toActionPart(part.action, reactionTo)];
  });
}

/**
 * The turn's reply as planned parts: the engine's answer split into WhatsApp-sized texts; inside
 * a closed 24-hour window the fallback template or a part recorded as failed; a failure retrying
 * cannot fix recorded as a failed part (and as the turn's `failure`). Rejects with EngineAborted
 * when superseded, and with the engine's retryable error (the job is retried) after recording it
 * on the turn's messages; once they have been failing for DELIVERY_RETRY_BUDGET_MS (or on the
 * job's last attempt) the failure is final instead. The bot's LLM health follows every call.
 */
async function generate(
  deps: WorkerDeps,
  bot: BotRuntime,
  head: RecordedInbound,
  texts: string[],
  lastInboundAt: Date,
  options: GenerateOptions,
): Promise<Generated> {
  const { engine, metrics, logger } = deps;
  const { log } = options;
  if (!isCustomerServiceWindowOpen(lastInboundAt)) {
    if (bot.settings.fallback_template) {
      logger.info(log, '24-hour window closed: sending the fallback template instead of a free-form reply');
      return { parts: [{ type: 'template', template: bot.settings.fallback_template }], failure: null, usage: null };
    }
    logger.warn(log, '24-hour window closed and no fallback template configured: reply recorded as failed');
    const parts: PlannedPart[] = [
      {
        type: 'text',
        text: '',
        failed: {
          code: null,
          title: WINDOW_CLOSED,
          details: `last inbound message at ${lastInboundAt.toISOString()} is more than 24 hours old and the bot has no settings.fallback_template`,
        },
      },
    ];
    return { parts, failure: null, usage: null };
  }
  const controller = new AbortController();
  const timers: NodeJS.Timeout[] = [];
  const { superseded, typingFor } = options;
  if (superseded) {
    let checking = false;
    const poll = setInterval(() => {
      if (checking) return;
      checking = true;
      superseded().then(
        (newer) => {
          checking = false;
          if (newer) controller.abort();
        },
        () => {
          checking = false;
        },
      );
    }, options.pollMs);
    timers.push(poll);
  }
  if (typingFor) {
    const typing = setInterval(() => {
      markRead(deps, bot, typingFor, true).catch(() => {});
    }, deps.config.TYPING_REFRESH_MS);
    timers.push(typing);
  }
  // The bot's HTTP tools for this turn; every call made is recorded on the turn, whatever the outcome.
  const toolset = await deps.tools.loadBotTools(bot.id);
  // The whole turn (every model call of the tool loop, every tool call) has a budget too.
  let overBudget = false;
  const budgetMs = deps.config.ENGINE_TURN_TIMEOUT_MS;
  timers.push(
    setTimeout(() => {
      overBudget = true;
      controller.abort();
    }, budgetMs),
  );
  const stop = metrics.engineLatency.startTimer({ engine: engine.name });
  try {
    const reply = await engine.reply({
      systemPrompt: bot.systemPrompt,
      history: head.history,
      messages: texts,
      settings: bot.settings,
      llmApiKey: bot.llmApiKey,
      tools: toolset.definitions,
      signal: controller.signal,
    });
    if (controller.signal.aborted) throw new EngineAborted();
    stop({ outcome: 'ok' });
    await deps.health.llm(bot, { ok: true });
    const { usage } = reply;
    if (usage) {
      metrics.llmTokens.inc({ bot: bot.id, model: usage.model, kind: 'input' }, usage.inputTokens);
      metrics.llmTokens.inc({ bot: bot.id, model: usage.model, kind: 'output' }, usage.outputTokens);
    }
    const planned = toPlannedParts(reply.parts, options.reactionTo);
    const parts: PlannedPart[] = planned.length > 0 ? planned : [{ type: 'text', text: '…' }];
    return { parts, failure: null, usage };
  } catch (caught) {
    const error = overBudget
      ? new EngineError(`engine turn exceeded ENGINE_TURN_TIMEOUT_MS (${budgetMs} ms): model or tool calls hang`, true)
      : caught;
    if (!overBudget && (error instanceof EngineAborted || controller.signal.aborted)) {
      stop({ outcome: 'superseded' });
      throw new EngineAborted();
    }
    stop({ outcome: 'error' });
    await deps.health.llm(bot, { ok: false, error });
    let failure: DeliveryFailure;
    if (!(error instanceof EngineError) || error.retryable) {
      const { failure: last, status } = describeEngineFailure(error);
      const state = await deps.store.recordRetry(options.rows, last);
      const failingMs = Date.now() - state.retryingSince.getTime();
      if (failingMs < deps.config.DELIVERY_RETRY_BUDGET_MS && !options.lastAttempt) throw error;
      failure = {
        code: last.code,
        title: status === 'unreachable' ? LLM_UNREACHABLE : ENGINE_FAILED,
        details: `${last.title}; gave up after ${state.attempts} attempt(s) over ${Math.round(failingMs / 1000)} s (retry budget ${Math.round(deps.config.DELIVERY_RETRY_BUDGET_MS / 1000)} s)`,
      };
      logger.error({ ...log, attempts: state.attempts, failingMs }, `engine failed for good: ${failure.details}`);
    } else {
      // A failure retrying cannot fix (e.g. a rejected LLM API key or unknown model): record it on
      // the reply and move on, so one turn never blocks its conversation for hours.
      failure = { code: error.status ?? null, title: ENGINE_FAILED, details: error.message };
      logger.error({ ...log, err: error }, 'engine failed permanently: reply recorded as failed');
    }
    return {
      parts: [{ type: 'text', text: '', failed: { ...failure, details: failure.details ?? '' } }],
      failure,
      usage: null,
    };
  } finally {
    for (const timer of timers) clearInterval(timer);
    await deps.tools.recordToolCalls({ botId: bot.id, turnId: options.turnId }, toolset.calls);
  }
}

interface SendPlanOptions {
  /** The inbound message the plan's parts answer (the turn's last). */
  replyToId: string;
  /** A plan stored by an earlier attempt: a part may have been accepted but not recorded. */
  resumed: boolean;
  /** Read receipts in flight: the first part waits for them (briefly). */
  receipts: Promise<unknown>;
  lastAttempt: boolean;
}

/**
 * Sends the plan's pending parts in order (skipping those already sent); the last part marks the
 * turn's messages handled in the same statement. A failed part stops the reply: later parts are
 * recorded as not sent.
 */
async function sendPlan(
  deps: WorkerDeps,
  bot: BotRuntime,
  turn: { m: TurnMessage; r: RecordedInbound }[],
  plan: RecordedInbound['plan'],
  options: SendPlanOptions,
): Promise<InboundOutcome> {
  const { store, config } = deps;
  const newest = turn.at(-1);
  if (!newest) return 'duplicate';
  const turnRows = turn.map(({ r }) => r.message.id);
  await settleWithin(options.receipts, config.READ_RECEIPT_WAIT_MS);
  let failed = plan.some((part) => part.status === 'failed');
  const pending = failed ? [] : plan.filter((part) => part.status === 'pending');
  let handled = false;
  for (const [i, part] of pending.entries()) {
    const last = i === pending.length - 1;
    const handoff = handoffOf(part);
    if (handoff) {
      // Not a Graph send: the conversation goes to a person and the bot's later parts stay unsent.
      const resumeAt = handoffResumeAt(bot.settings, new Date());
      if (await store.recordHandoff(part.id, handoff, turnRows, resumeAt)) {
        deps.metrics.controlChanges.inc({ trigger: 'action' });
        deps.logger.info(
          { botId: bot.id, conversationId: newest.r.conversationId, reason: handoff.reason },
          'the bot handed the conversation over to a person',
        );
        await scheduleResume(deps, bot.id, newest.r.conversationId, resumeAt);
      }
      handled = true;
      break;
    }
    const outcome = await sendOutbound(deps, bot, part, newest.r.recipient, {
      pairKeyId: newest.m.message.userKey,
      handledInboundIds: last ? turnRows : [],
      checkUnrecorded: options.resumed,
      lastAttempt: options.lastAttempt,
    });
    if (outcome === 'cancelled') {
      // Handed to a person meanwhile: the rest of the reply was recorded cancelled with this part.
      break;
    }
    if (outcome === 'failed') {
      failed = true;
      await store.markRestSkipped(options.replyToId, part.partIndex ?? 0, `part ${part.partIndex} failed`);
      break;
    }
    handled = last;
  }
  if (!handled) await store.markHandled(turnRows);
  return failed ? 'reply_failed' : 'replied';
}

/** The reason and summary of a handoff part; null for any other part. */
function handoffOf(
  part: Pick<RecordedInbound['plan'][number], 'metadata'>,
): { reason: string; summary: string } | null {
  const stored = toStoredAction(part.metadata);
  return stored?.kind === 'handoff' ? { reason: stored.reason, summary: stored.summary } : null;
}
