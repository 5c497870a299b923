import { setTimeout as sleep } from 'node:timers/promises';
import type { BotRuntime } from '@wabot/bot-registry';
import { backoffDelayMs, GraphApiError, type GraphAuth } from '@wabot/whatsapp';
import type { WorkerMetrics } from '../metrics.js';
import type { BotHealth } from './bot-health.js';
import type { RateLimiter } from './rate-limiter.js';

export type GraphOperation = 'text' | 'template' | 'interactive' | 'media' | 'reaction' | 'read';

export interface GraphDeliveryOptions {
  limiter: RateLimiter;
  metrics: WorkerMetrics;
  /** In-process retries of retryable errors before the error is thrown to the job. */
  retries: number;
  retryBaseMs: number;
  retryCapMs: number;
  /** Told of every call's outcome (the bot's Graph health; a send Meta accepted proves the credentials). */
  health?: BotHealth;
}

export interface GraphDelivery {
  /**
   * Runs one Graph call for `bot` through the fleet-wide rate limiter of its phone number,
   * retrying retryable failures (5xx, 429, throughput, network) in-process with back-off that
   * honours Retry-After. Any other failure, or a retryable one that outlasted the retries, is
   * thrown (a {@link GraphApiError} carries its category).
   */
  call<T>(
    bot: BotRuntime,
    operation: GraphOperation,
    fn: (auth: GraphAuth) => Promise<T>,
    options?: { retries?: number },
  ): Promise<T>;
}

/** True for failures worth repeating: retryable Graph errors and anything that is not a Graph answer. */
const isRetryable = (error: unknown) => !(error instanceof GraphApiError) || error.category === 'retryable';

export function createGraphDelivery({
  limiter,
  metrics,
  retries,
  retryBaseMs,
  retryCapMs,
  health,
}: GraphDeliveryOptions): GraphDelivery {
  return {
    async call(bot, operation, fn, options = {}) {
      const maxRetries = options.retries ?? retries;
      const auth = { phoneNumberId: bot.phoneNumberId, accessToken: bot.accessToken };
      for (let attempt = 0; ; attempt++) {
        await limiter.acquire(bot.phoneNumberId, bot.settings.rate_limit_per_second);
        const stop = metrics.graphLatency.startTimer({ operation });
        try {
          const result = await fn(auth);
          stop({ outcome: 'ok' });
          metrics.sends.inc({ operation, outcome: 'sent', code: '' });
          await health?.graph(bot, { ok: true, sent: operation !== 'read' });
          return result;
        } catch (error) {
          const category = error instanceof GraphApiError ? error.category : 'network';
          const code = error instanceof GraphApiError ? String(error.code ?? error.status) : '';
          stop({ outcome: category });
          metrics.sends.inc({ operation, outcome: category, code });
          await health?.graph(bot, { ok: false, error });
          if (!isRetryable(error) || attempt >= maxRetries) throw error;
          metrics.graphRetries.inc({ operation });
          const retryAfterMs = error instanceof GraphApiError ? error.retryAfterMs : null;
          await sleep(backoffDelayMs(attempt + 1, { baseMs: retryBaseMs, capMs: retryCapMs, retryAfterMs }));
        }
      }
    },
  };
}
