import type { WorkerConfig } from '../config.js';
import type { BotEngine } from './bot-engine.js';
import { createOfflineEngine } from './offline-engine.js';
import { createOpenAiEngine } from './openai-engine.js';

/** The OpenAI-compatible engine when LLM_BASE_URL is set, otherwise the built-in offline engine. */
export function createEngine(
  config: Pick<
    WorkerConfig,
    'LLM_BASE_URL' | 'LLM_API_KEY' | 'LLM_MODEL' | 'LLM_TIMEOUT_MS' | 'LLM_RETRIES' | 'LLM_RETRY_BASE_MS'
  >,
): BotEngine {
  if (!config.LLM_BASE_URL) return createOfflineEngine();
  return createOpenAiEngine({
    baseUrl: config.LLM_BASE_URL,
    apiKey: config.LLM_API_KEY,
    model: config.LLM_MODEL,
    timeoutMs: config.LLM_TIMEOUT_MS,
    retries: config.LLM_RETRIES,
    retryBaseMs: config.LLM_RETRY_BASE_MS,
  });
}
