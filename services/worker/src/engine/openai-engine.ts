import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request, errors as undiciErrors } from 'undici';
import { z } from 'zod';
import { type BotEngine, EngineAborted, EngineError, type EngineRequest } from './bot-engine.js';

export interface OpenAiEngineOptions {
  /** e.g. `https://api.openai.com/v1`; the engine POSTs to `{baseUrl}/chat/completions`. */
  baseUrl: string;
  apiKey?: string | undefined;
  /** Default model (LLM_MODEL); a bot's settings.llm.model overrides it. */
  model?: string | undefined;
  timeoutMs: number;
  /** Extra attempts after a 429, 5xx, network error or timeout. */
  retries: number;
  retryBaseMs: number;
}

/** A part of an array content: its text; a part without text (an image, a refusal, …) adds nothing. */
const contentPartSchema = z
  .union([z.string(), z.object({ text: z.string() }).transform((part) => part.text)])
  .catch('');

/** A message's content as text: a string, an array of parts joined, or '' for null (or any other value). */
const contentSchema = z.union([
  z.string(),
  z.array(contentPartSchema).transform((parts) => parts.join('')),
  // Present but not text (null when the model only called a tool): an empty reply, not a malformed
  // answer. A missing content key still fails (zod requires the key).
  z.unknown().transform(() => ''),
]);

/**
 * The part of a chat completion the engine reads: `choices[0].message.content`; anything else in
 * the body is ignored. https://platform.openai.com/docs/api-reference/chat/object
 */
const chatCompletionSchema = z.object({
  choices: z.tuple([z.object({ message: z.object({ content: contentSchema }) })], z.unknown()),
});

/**
 * An OpenAI-compatible chat completions client over undici. Messages are the system prompt
 * first, then the history, then the current user text. 429, 5xx, network errors and timeouts are
 * retried with exponential back-off (honouring Retry-After) and then surface as a retryable
 * {@link EngineError}; other 4xx are not retryable.
 */
export function createOpenAiEngine(options: OpenAiEngineOptions): BotEngine {
  const dispatcher = new Agent({ keepAliveTimeout: 10_000, connections: 64 });
  const url = `${options.baseUrl.replace(/\/+$/, '')}/chat/completions`;

  const once = async (req: EngineRequest): Promise<string> => {
    const model = req.settings.llm.model ?? options.model;
    const payload: Record<string, unknown> = {
      model,
      messages: [
        { role: 'system', content: req.systemPrompt },
        ...req.history.map((turn) => ({ role: turn.role, content: turn.content })),
        ...req.messages.map((content) => ({ role: 'user', content })),
      ],
    };
    if (req.settings.llm.temperature !== undefined) payload.temperature = req.settings.llm.temperature;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
    let response: Awaited<ReturnType<typeof request>>;
    try {
      response = await request(url, {
        method: 'POST',
        headers,
        body: JSON.stringify(payload),
        dispatcher,
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
        signal: req.signal
          ? AbortSignal.any([req.signal, AbortSignal.timeout(options.timeoutMs)])
          : AbortSignal.timeout(options.timeoutMs),
      });
    } catch (error) {
      if (req.signal?.aborted) throw new EngineAborted();
      const timedOut =
        error instanceof undiciErrors.HeadersTimeoutError ||
        error instanceof undiciErrors.BodyTimeoutError ||
        (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'));
      const reason = timedOut
        ? `timed out after ${options.timeoutMs} ms`
        : error instanceof Error
          ? error.message
          : String(error);
      throw new EngineError(`LLM request failed: ${reason}`, true);
    }
    const text = await response.body.text().catch(() => '');
    if (req.signal?.aborted) throw new EngineAborted();
    if (response.statusCode >= 400) {
      const retryable = response.statusCode === 429 || response.statusCode >= 500;
      const retryAfter = Number(response.headers['retry-after']);
      throw new EngineError(
        `LLM answered HTTP ${response.statusCode}: ${text.slice(0, 200)}`,
        retryable,
        response.statusCode,
        Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
      );
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new EngineError('LLM answered with a body that is not JSON', true, response.statusCode);
    }
    const completion = chatCompletionSchema.safeParse(body);
    if (!completion.success) throw new EngineError('LLM answer has no choices[0].message.content', false);
    return completion.data.choices[0].message.content;
  };

  return {
    name: 'openai-compatible',
    async reply(req) {
      for (let attempt = 0; ; attempt++) {
        try {
          return { parts: [{ type: 'text', text: await once(req) }], usage: null };
        } catch (error) {
          if (!(error instanceof EngineError) || !error.retryable || attempt >= options.retries) throw error;
          const hinted = error.retryAfterMs ?? 0;
          const backoff = options.retryBaseMs * 2 ** attempt;
          await sleep(Math.max(hinted, backoff / 2 + Math.random() * (backoff / 2)), undefined, {
            signal: req.signal,
          }).catch(() => {
            throw new EngineAborted();
          });
        }
      }
    },
    close: () => dispatcher.close(),
  };
}
