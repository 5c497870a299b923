import { setTimeout as sleep } from 'node:timers/promises';
import type { BotRuntime } from '@wabot/bot-registry';
import { chunkText, type InboundMessage } from '@wabot/whatsapp';
import { sendOutbound, WINDOW_CLOSED } from '../delivery/send-outbound.js';
import { EngineError } from '../engine/bot-engine.js';
import type { PlannedPart } from '../persistence/message-store.js';
import type { WorkerDeps } from '../worker-deps.js';

/** Meta's customer-service window: free-form replies only within 24 h of the user's last message. */
export const SERVICE_WINDOW_MS = 24 * 3600 * 1000;

/** error_title of a reply the engine could not produce and retrying would not fix. */
export const ENGINE_FAILED = 'engine_failed';

export type InboundOutcome = 'replied' | 'reply_failed' | 'duplicate' | 'not_replyable' | 'bot_inactive';

const settleWithin = (promise: Promise<unknown>, ms: number) =>
  Promise.race([promise, sleep(ms, undefined, { ref: false })]);

/**
 * Handles one inbound message exactly once (caller holds the conversation lock, messages come in
 * arrival order): store it (a redelivery finds it handled and stops), send the read receipt, run
 * the engine, store the reply plan (reused if an earlier attempt stored one), send the parts in
 * order skipping those already sent, mark the message handled (with the last part: one statement).
 * Database round trips for a one-part reply: record (+ plan + history), store plan, sent + handled.
 */
export async function processInboundMessage(
  deps: WorkerDeps,
  bot: BotRuntime,
  inbound: InboundMessage,
): Promise<InboundOutcome> {
  const { store, engine, delivery, graph, logger, metrics, config } = deps;
  const replies = inbound.replyable && bot.active;
  const recorded = await store.recordInbound(bot.id, inbound, replies ? bot.settings.history : undefined);
  const { message } = recorded;
  const log = { botId: bot.id, conversationId: recorded.conversationId, messageId: inbound.messageId };
  if (message.status === 'handled') {
    logger.info(log, 'duplicate delivery of a handled message: skipped');
    return 'duplicate';
  }
  if (!replies) {
    await store.markHandled(message.id);
    if (!bot.active) logger.info(log, 'bot is inactive: message stored, no reply');
    return inbound.replyable ? 'bot_inactive' : 'not_replyable';
  }

  let plan = recorded.plan;
  const resumed = plan.length > 0;
  // The receipt goes out while the engine works; only the first part waits (briefly) for it, so
  // it precedes the reply without ever blocking or failing it.
  const receipt =
    plan.length === 0 || plan.every((part) => part.status === 'pending')
      ? delivery
          .call(
            bot,
            'read',
            (auth) =>
              graph.markRead(auth, inbound.messageId, bot.settings.typingIndicator ? { typingIndicator: true } : {}),
            { retries: 0 },
          )
          .catch((error: unknown) => logger.warn({ ...log, err: error }, 'read receipt failed (reply continues)'))
      : Promise.resolve();

  if (plan.length === 0) {
    const windowOpen = Date.now() - recorded.lastInboundAt.getTime() < SERVICE_WINDOW_MS;
    let parts: PlannedPart[];
    if (windowOpen) {
      const { history } = recorded;
      const stop = metrics.engineLatency.startTimer({ engine: engine.name });
      try {
        const reply = await engine.reply({
          systemPrompt: bot.systemPrompt,
          history,
          message: inbound.text,
          settings: bot.settings,
        });
        stop({ outcome: 'ok' });
        const chunks = chunkText(reply);
        parts = chunks.length ? chunks.map((text) => ({ type: 'text', text })) : [{ type: 'text', text: '…' }];
      } catch (error) {
        stop({ outcome: 'error' });
        if (!(error instanceof EngineError) || error.retryable) {
          await settleWithin(receipt, config.READ_RECEIPT_WAIT_MS);
          throw error;
        }
        // A failure retrying cannot fix (e.g. a rejected LLM API key or unknown model): record it on
        // the message and move on, so one message never blocks its conversation for hours.
        logger.error({ ...log, err: error }, 'engine failed permanently: reply recorded as failed');
        parts = [
          {
            type: 'text',
            text: '',
            failed: { code: error.status ?? null, title: ENGINE_FAILED, details: error.message },
          },
        ];
      }
    } else if (bot.settings.fallbackTemplate) {
      logger.info(log, '24-hour window closed: sending the fallback template instead of a free-form reply');
      parts = [{ type: 'template', template: bot.settings.fallbackTemplate }];
    } else {
      logger.warn(log, '24-hour window closed and no fallback template configured: reply recorded as failed');
      parts = [
        {
          type: 'text',
          text: '',
          failed: {
            code: null,
            title: WINDOW_CLOSED,
            details: `last inbound message at ${recorded.lastInboundAt.toISOString()} is more than 24 hours old and the bot has no fallbackTemplate`,
          },
        },
      ];
    }
    plan = await store.createReplyPlan(message, parts);
  }

  await settleWithin(receipt, config.READ_RECEIPT_WAIT_MS);
  let failed = plan.some((part) => part.status === 'failed');
  const pending = failed ? [] : plan.filter((part) => part.status === 'pending');
  let handled = false;
  for (const [i, part] of pending.entries()) {
    // The last part records itself sent and the inbound message handled in one statement.
    const last = i === pending.length - 1;
    const outcome = await sendOutbound(deps, bot, part, recorded.recipient, {
      pairKeyId: inbound.userKey,
      handledInboundId: last ? message.id : null,
      // Only a retried attempt (a plan stored earlier) can meet a part Meta accepted but the
      // database never recorded.
      checkUnrecorded: resumed,
    });
    if (outcome === 'failed') {
      failed = true;
      await store.markRestSkipped(message.id, part.partIndex ?? 0, `part ${part.partIndex} failed`);
      break;
    }
    handled = last;
  }
  if (!handled) await store.markHandled(message.id);
  return failed ? 'reply_failed' : 'replied';
}
