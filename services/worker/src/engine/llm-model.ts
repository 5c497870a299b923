import { setTimeout as sleep } from 'node:timers/promises';
import { createAnthropic } from '@ai-sdk/anthropic';
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LlmProvider } from '@wabot/bot-registry';
import { type LanguageModel, type LanguageModelMiddleware, wrapLanguageModel } from 'ai';
import { EngineError } from './bot-engine.js';
import { toEngineError } from './llm-errors.js';

/** Where one turn's model calls go: the bot's settings.llm with its key, or the deployment's LLM_*. */
export interface LlmTarget {
  provider: LlmProvider;
  model: string;
  baseUrl?: string | undefined;
  apiKey?: string | undefined;
  fallbackModel?: string | undefined;
}

export interface ResilienceOptions {
  /** One model call's time limit. */
  timeoutMs: number;
  /** Extra attempts after a retryable failure (429, 5xx, network error, timeout). */
  retries: number;
  /** Back-off unit: attempt n waits about base × 2^n, or the provider's Retry-After when it is longer. */
  retryBaseMs: number;
  /** The longest Retry-After honoured in process; a longer one hands the turn back to the queue. */
  maxRetryAfterMs?: number;
}

type ProviderModel = Extract<LanguageModel, { specificationVersion: 'v4' }>;

/** The AI SDK model for `target.provider` and `modelId`, pointed at `target.baseUrl` when given. */
function providerModel(target: LlmTarget, modelId: string): ProviderModel {
  const baseURL = target.baseUrl?.replace(/\/+$/, '');
  // Keys are always passed explicitly ('' when absent), so the SDK never falls back to reading
  // OPENAI_API_KEY & co. from the environment behind the config's back.
  const apiKey = target.apiKey ?? '';
  switch (target.provider) {
    case 'openai':
      // Chat completions rather than the Responses API: the one wire format every OpenAI-style server speaks.
      return createOpenAI({ apiKey, ...(baseURL ? { baseURL } : {}) }).chat(modelId);
    case 'anthropic':
      return createAnthropic({ apiKey, ...(baseURL ? { baseURL } : {}) })(modelId);
    case 'google':
      return createGoogleGenerativeAI({ apiKey, ...(baseURL ? { baseURL } : {}) })(modelId);
    case 'openai-compatible':
      if (!baseURL) throw new EngineError('LLM provider openai-compatible needs settings.llm.base_url', false);
      return createOpenAICompatible({
        name: 'openai-compatible',
        baseURL,
        includeUsage: true,
        ...(target.apiKey ? { apiKey: target.apiKey } : {}),
      }).chatModel(modelId);
  }
}

export interface ResilientModel {
  model: LanguageModel;
  /** The model id that answered the last call (the fallback once it took over). */
  answeredBy(): string;
}

/**
 * The target's model behind a middleware that gives every call of the tool loop its own timeout
 * and retries (the AI SDK's own retries are turned off: their first back-off is a fixed 2 s and
 * they cannot hand over to a fallback), honouring the provider's Retry-After, and that switches
 * to `fallbackModel` for the rest of the turn when the model still fails — except on a rejected
 * key (the fallback would be refused too) or an abort. Failures surface as {@link EngineError}.
 */
export function createResilientModel(target: LlmTarget, options: ResilienceOptions): ResilientModel {
  const { timeoutMs, retries, retryBaseMs, maxRetryAfterMs = 60_000 } = options;
  const primary = providerModel(target, target.model);
  const fallback = target.fallbackModel ? providerModel(target, target.fallbackModel) : null;
  let current = { model: primary, id: target.model };

  type CallOptions = Parameters<ProviderModel['doGenerate']>[0];
  const callWithRetries = async (model: ProviderModel, modelId: string, params: CallOptions) => {
    const outer = params.abortSignal;
    for (let attempt = 0; ; attempt++) {
      const timeout = AbortSignal.timeout(timeoutMs);
      try {
        return await model.doGenerate({
          ...params,
          abortSignal: outer ? AbortSignal.any([outer, timeout]) : timeout,
        });
      } catch (error) {
        if (outer?.aborted) throw error;
        const failure = toEngineError(
          error,
          { provider: target.provider, model: modelId, timeoutMs, apiKey: target.apiKey },
          timeout.aborted,
        );
        const hinted = failure.retryAfterMs ?? 0;
        if (!failure.retryable || attempt >= retries || hinted > maxRetryAfterMs) throw failure;
        const backoff = retryBaseMs * 2 ** attempt;
        await sleep(Math.max(hinted, backoff / 2 + Math.random() * (backoff / 2)), undefined, { signal: outer });
      }
    }
  };

  const middleware: LanguageModelMiddleware = {
    wrapGenerate: async ({ params }) => {
      const { model, id } = current;
      try {
        return await callWithRetries(model, id, params);
      } catch (error) {
        const keyRejected = error instanceof EngineError && (error.status === 401 || error.status === 403);
        if (!fallback || model === fallback || params.abortSignal?.aborted || keyRejected) throw error;
        current = { model: fallback, id: target.fallbackModel ?? id };
        return callWithRetries(current.model, current.id, params);
      }
    },
  };
  return { model: wrapLanguageModel({ model: primary, middleware }), answeredBy: () => current.id };
}
