import type { BotSettings } from '@wabot/bot-registry';
import type { Logger } from '@wabot/logger';
import type { WorkerConfig } from '../config.js';
import { type BotEngine, EngineError, type EngineRequest } from './bot-engine.js';
import { createLlmEngine } from './llm-engine.js';
import type { LlmTarget } from './llm-model.js';
import { createOfflineEngine } from './offline-engine.js';

export type EngineConfig = Pick<
  WorkerConfig,
  'LLM_BASE_URL' | 'LLM_API_KEY' | 'LLM_MODEL' | 'LLM_TIMEOUT_MS' | 'LLM_RETRIES' | 'LLM_RETRY_BASE_MS'
>;

/** Used when neither the bot nor LLM_MODEL names a model (an OpenAI-compatible server may ignore it). */
const DEFAULT_MODEL = 'default';

/**
 * Where a turn goes (docs/contract.md, Bot engine): the bot's settings.llm provider with its own
 * key; else the deployment's LLM_* (OpenAI-compatible; the bot's model and fallback override
 * LLM_MODEL); else null (the offline engine).
 */
export function resolveLlmTarget(
  llm: BotSettings['llm'],
  apiKey: string | null | undefined,
  config: EngineConfig,
): LlmTarget | null {
  if (llm.provider) {
    if (!apiKey && llm.provider !== 'openai-compatible') {
      throw new EngineError(`settings.llm.provider is "${llm.provider}" but the bot has no llm_api_key`, false);
    }
    return {
      provider: llm.provider,
      model: llm.model ?? DEFAULT_MODEL,
      baseUrl: llm.base_url,
      apiKey: apiKey ?? undefined,
      fallbackModel: llm.fallback_model,
    };
  }
  if (!config.LLM_BASE_URL) return null;
  return {
    provider: 'openai-compatible',
    model: llm.model ?? config.LLM_MODEL ?? DEFAULT_MODEL,
    baseUrl: config.LLM_BASE_URL,
    apiKey: config.LLM_API_KEY,
    fallbackModel: llm.fallback_model,
  };
}

/**
 * The worker's engine: per turn the bot's provider (settings.llm + llm_api_key), else the
 * deployment's OpenAI-compatible LLM_* endpoint, else the built-in offline engine (no network).
 */
export function createEngine(config: EngineConfig, logger?: Logger): BotEngine {
  // The AI SDK reports call warnings (e.g. a setting a model ignores) through this process-wide
  // hook, or else on stderr past our logger; it has no per-call option.
  if (logger) {
    globalThis.AI_SDK_LOG_WARNINGS = ({ warnings, provider, model }) =>
      logger.warn({ provider, model, warnings }, 'LLM call warning');
  }
  const offline = createOfflineEngine();
  const llm = createLlmEngine({
    timeoutMs: config.LLM_TIMEOUT_MS,
    retries: config.LLM_RETRIES,
    retryBaseMs: config.LLM_RETRY_BASE_MS,
  });
  return {
    name: config.LLM_BASE_URL ? 'llm' : 'offline',
    async reply(request: EngineRequest) {
      const target = resolveLlmTarget(request.settings.llm, request.llmApiKey, config);
      return target ? llm.reply(request, target) : offline.reply(request);
    },
    close: async () => {},
  };
}
