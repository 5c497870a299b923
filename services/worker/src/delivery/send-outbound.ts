import { type BotRuntime, publishBotChanged } from '@wabot/bot-registry';
import type { MessageModel as Message } from '@wabot/db';
import { GraphApiError } from '@wabot/whatsapp';
import { ConversationHeld } from '../handlers/conversation-held.js';
import type { WorkerDeps } from '../worker-deps.js';

export type SendOutcome = 'sent' | 'failed';

/** The wording stored and logged for a message refused because the 24-hour window is closed. */
export const WINDOW_CLOSED = 'window_closed';

const pairKey = (prefix: string, botId: string, recipient: string) => `${prefix}:pair-rate:${botId}:${recipient}`;

/**
 * Sends one pending outbound message (text part or template) and records the result on its row.
 * Permanent refusals and a closed window are recorded as `failed` (returns 'failed'); broken
 * credentials flag the bot and hold the conversation, the pair rate limit holds it for 4^n
 * units ({@link ConversationHeld}); retryable errors that outlasted the in-process retries are
 * thrown so BullMQ retries the job.
 */
export async function sendOutbound(
  deps: WorkerDeps,
  bot: BotRuntime,
  row: Message,
  recipient: string,
): Promise<SendOutcome> {
  const { store, delivery, graph, logger, redis, prefix, config } = deps;
  try {
    const template = templateOf(row);
    const result =
      row.type === 'template' && template
        ? await delivery.call(bot, 'template', (auth) => graph.sendTemplate(auth, recipient, template))
        : await delivery.call(bot, 'text', (auth) => graph.sendText(auth, recipient, row.text));
    await store.markSent(row.id, result.messageId);
    await redis.del(pairKey(prefix, bot.id, recipient));
    return 'sent';
  } catch (error) {
    if (!(error instanceof GraphApiError)) {
      await store.countAttempt(row.id);
      throw error;
    }
    const log = { botId: bot.id, messageId: row.id, code: error.code, status: error.status };
    switch (error.category) {
      case 'permanent':
        await store.markFailed(row.id, { code: error.code, title: error.title, details: error.details });
        logger.warn(log, `send refused by Meta (permanent): ${error.title}`);
        return 'failed';
      case 'window_closed':
        await store.markFailed(row.id, { code: error.code ?? 131047, title: WINDOW_CLOSED, details: error.details });
        logger.warn(log, 'send refused by Meta: the 24-hour customer-service window is closed (131047)');
        return 'failed';
      case 'credentials': {
        const version = await store.flagCredentialsInvalid(bot.id, bot.version, {
          code: error.code ?? error.status,
          message: `${error.title}${error.details ? `: ${error.details}` : ''}`,
        });
        deps.registry.invalidate(bot.id);
        if (version !== null) {
          await publishBotChanged(redis, prefix, { botId: bot.id, version });
          logger.error(
            log,
            `bot ${bot.id}: access token rejected by Meta (${error.code}: ${error.title}); the bot is flagged credentials_invalid and its sends are held until the token is replaced`,
          );
        }
        throw new ConversationHeld(config.CREDENTIALS_RECHECK_MS, 'credentials_invalid');
      }
      case 'pair_rate_limited': {
        const hits = await redis.incr(pairKey(prefix, bot.id, recipient));
        await redis.pexpire(pairKey(prefix, bot.id, recipient), 3_600_000);
        const delayMs = config.PAIR_RATE_BASE_MS * 4 ** Math.min(hits - 1, 6);
        logger.warn({ ...log, delayMs }, 'pair rate limit (131056): holding this conversation');
        throw new ConversationHeld(delayMs, 'pair_rate_limited');
      }
      default:
        await store.countAttempt(row.id);
        throw error;
    }
  }
}

function templateOf(row: Message): { name: string; language: string; parameters: string[] } | null {
  const metadata = row.metadata;
  if (!metadata || typeof metadata !== 'object' || Array.isArray(metadata)) return null;
  const template = metadata.template;
  if (!template || typeof template !== 'object' || Array.isArray(template)) return null;
  const { name, language, parameters } = template;
  if (typeof name !== 'string' || typeof language !== 'string') return null;
  const list = Array.isArray(parameters) ? parameters.filter((p): p is string => typeof p === 'string') : [];
  return { name, language, parameters: list };
}
