import type { BotRuntime } from '@wabot/bot-registry';
import type { HealthKind, HealthStatus, MessageRepository, RetryFailure } from '@wabot/db';
import type { Logger } from '@wabot/logger';
import { GraphApiError } from '@wabot/whatsapp';
import { EngineError } from '../engine/bot-engine.js';

/** The `last_error` title of a Graph call that got no answer (network error or timeout). */
const GRAPH_UNREACHABLE = 'graph_unreachable';
/** The `last_error` title of an LLM call that got no answer (network error or timeout). */
export const LLM_UNREACHABLE = 'llm_unreachable';

/**
 * A failed Graph call as a message's `last_error` and the bot's Graph health: no answer or a
 * 5xx/429 is `unreachable`, a rejected token `error`; anything else (a refusal of this one message)
 * proves the Graph API answered, so the bot's Graph health stays `ok`.
 */
export function describeGraphFailure(error: unknown): { failure: RetryFailure; status: HealthStatus } {
  if (!(error instanceof GraphApiError)) {
    return { failure: { code: null, title: `${GRAPH_UNREACHABLE}: ${messageOf(error)}` }, status: 'unreachable' };
  }
  const failure = {
    code: error.code ?? (error.status || null),
    title: error.status === 0 ? `${GRAPH_UNREACHABLE}: ${error.title}` : error.title,
  };
  const status = error.category === 'retryable' ? 'unreachable' : error.category === 'credentials' ? 'error' : 'ok';
  return { failure, status };
}

/** A failed engine call as a message's `last_error` and the bot's LLM health (no HTTP answer: `unreachable`). */
export function describeEngineFailure(error: unknown): { failure: RetryFailure; status: HealthStatus } {
  if (error instanceof EngineError && error.status !== undefined) {
    return { failure: { code: error.status, title: error.message }, status: 'error' };
  }
  return { failure: { code: null, title: `${LLM_UNREACHABLE}: ${messageOf(error)}` }, status: 'unreachable' };
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export interface BotHealth {
  /** A Graph call answered (`ok`: also marks credentials still `unknown` as `ok` after a send Meta accepted). */
  graph(bot: BotRuntime, outcome: { ok: true; sent: boolean } | { ok: false; error: unknown }): Promise<void>;
  llm(bot: BotRuntime, outcome: { ok: true } | { ok: false; error: unknown }): Promise<void>;
}

/**
 * Keeps `bots.llm_*` / `bots.graph_*` (and credentials `unknown` → `ok`) up to date without a write
 * per call: a status is written when it differs from what this process last wrote for the bot,
 * failures at most once per `failureEveryMs` (each carries its time). Never throws: health is
 * bookkeeping, a failed write is only logged.
 */
export function createBotHealth(store: MessageRepository, logger: Logger, failureEveryMs = 5_000): BotHealth {
  const written = new Map<string, { status: HealthStatus; credentialsVersion: number; at: number }>();

  const record = async (
    bot: BotRuntime,
    kind: HealthKind,
    status: HealthStatus,
    failure: RetryFailure | null,
    credentials: boolean,
  ) => {
    const key = `${kind}:${bot.id}`;
    const last = written.get(key);
    const now = Date.now();
    // The cached runtime keeps saying `unknown` (marking credentials ok bumps no version): once per version.
    const credentialsDue =
      credentials && bot.credentialsStatus === 'unknown' && last?.credentialsVersion !== bot.version;
    if (last && last.status === status && !credentialsDue && (status === 'ok' || now - last.at < failureEveryMs)) {
      return;
    }
    written.set(key, {
      status,
      credentialsVersion: credentialsDue ? bot.version : (last?.credentialsVersion ?? -1),
      at: now,
    });
    try {
      await store.recordHealth(bot.id, kind, status, failure, credentialsDue ? bot.version : null);
    } catch (error) {
      written.delete(key);
      logger.warn({ botId: bot.id, kind, err: error }, 'could not record bot health');
    }
  };

  return {
    graph(bot, outcome) {
      if (outcome.ok) return record(bot, 'graph', 'ok', null, outcome.sent);
      const { failure, status } = describeGraphFailure(outcome.error);
      return record(bot, 'graph', status, status === 'ok' ? null : failure, false);
    },
    llm(bot, outcome) {
      if (outcome.ok) return record(bot, 'llm', 'ok', null, false);
      const { failure, status } = describeEngineFailure(outcome.error);
      return record(bot, 'llm', status, failure, false);
    },
  };
}
