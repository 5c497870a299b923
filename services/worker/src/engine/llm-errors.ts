import { APICallError } from 'ai';
import { EngineError } from './bot-engine.js';

/** A Retry-After (or OpenAI's retry-after-ms) header in milliseconds, when the provider sent one. */
function retryAfterMsOf(headers: Record<string, string> | undefined): number | undefined {
  if (!headers) return undefined;
  const ms = Number.parseFloat(headers['retry-after-ms'] ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers['retry-after'];
  if (!value) return undefined;
  const seconds = Number.parseFloat(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}

/** The provider's own error message from its error body (OpenAI, Anthropic and Gemini all nest it in `error.message`). */
function providerMessage(error: APICallError): string {
  const body = error.responseBody ?? '';
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object' && 'error' in parsed) {
      const inner = parsed.error;
      if (inner && typeof inner === 'object' && 'message' in inner && typeof inner.message === 'string') {
        return inner.message;
      }
    }
  } catch {
    // not JSON: fall through
  }
  return error.message;
}

export interface LlmCallContext {
  provider: string;
  model: string;
  timeoutMs: number;
  /** Scrubbed from any message (a provider may echo part of a rejected key). */
  apiKey?: string | undefined;
}

/**
 * One failed model call as an {@link EngineError}: 429, 408, 5xx, network errors and timeouts are
 * retryable; a rejected key (401/403), an unknown model (404) and an invalid request (400, 422)
 * are not, with a message that says so (never the key: the provider's text is left out for
 * 401/403 and the key scrubbed from the rest).
 */
export function toEngineError(error: unknown, context: LlmCallContext, timedOut: boolean): EngineError {
  if (error instanceof EngineError) return error;
  const where = `${context.provider} model "${context.model}"`;
  if (timedOut) return new EngineError(`LLM request failed: timed out after ${context.timeoutMs} ms (${where})`, true);
  const scrub = (text: string) => {
    const short = text.replace(/\s+/g, ' ').slice(0, 200);
    return context.apiKey && context.apiKey.length >= 4 ? short.replaceAll(context.apiKey, '[key]') : short;
  };
  if (APICallError.isInstance(error)) {
    const status = error.statusCode;
    const retryAfterMs = retryAfterMsOf(error.responseHeaders);
    if (status === undefined) {
      return new EngineError(`LLM request failed: ${where}: ${scrub(error.message)}`, true, undefined, retryAfterMs);
    }
    if (status === 401 || status === 403) {
      return new EngineError(
        `LLM ${context.provider} rejected the API key (HTTP ${status}): check the bot's llm_api_key or LLM_API_KEY`,
        false,
        status,
      );
    }
    if (status === 404) {
      return new EngineError(
        `LLM ${context.provider} does not know model "${context.model}" (HTTP 404): ${scrub(providerMessage(error))}`,
        false,
        status,
      );
    }
    const retryable = status === 408 || status === 409 || status === 429 || status >= 500;
    return new EngineError(
      `LLM answered HTTP ${status} (${where}): ${scrub(providerMessage(error))}`,
      retryable,
      status,
      retryAfterMs,
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new EngineError(`LLM request failed: ${where}: ${scrub(message)}`, true);
}
