import type { LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';
import { type AddressGuardOptions, createAddressGuard, type ResolvedAddress } from './address-guard.js';
import type { HttpToolSpec, ToolMethod } from './tool-definition.js';
import { compileToolParameters } from './tool-parameters.js';

/** How a call ended; stored as the tool call's status (prisma enum ToolCallStatus). */
export type ToolCallOutcome =
  | 'ok'
  | 'http_error'
  | 'invalid_arguments'
  | 'blocked'
  | 'timeout'
  | 'network_error'
  | 'too_many_redirects'
  /** Not called: the tool cannot be used as stored (e.g. its headers cannot be decrypted). */
  | 'unavailable';

/** What one call produced: what the model is told (see {@link toToolOutput}) and what the turn records. */
export interface ToolResult {
  tool: string;
  /** True only for a 2xx answer. */
  ok: boolean;
  outcome: ToolCallOutcome;
  /** The HTTP status of the last response, when there was one. */
  status: number | null;
  /** The response body as text, cut at the tool's max_response_bytes. */
  body: string;
  truncated: boolean;
  durationMs: number;
  argumentsBytes: number;
  /** Why the call failed, in words the model can pass on; never a header value. */
  error?: string;
  at: Date;
}

export interface HttpToolRunnerOptions extends AddressGuardOptions {
  /** Redirects followed (each re-checked by the guard); default 3. */
  maxRedirects?: number;
  userAgent?: string;
}

export interface HttpToolRunner {
  /**
   * Calls `tool` with the model's `args` (validated against its JSON Schema first): JSON body for
   * POST, query string for GET. Every failure — invalid arguments, a forbidden address, a timeout,
   * a network error, a non-2xx status — resolves as a result the model can be told; the promise
   * rejects only with `signal`'s reason when the caller aborts.
   */
  run(tool: HttpToolSpec, args: unknown, signal?: AbortSignal): Promise<ToolResult>;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** The lookup a pinned connection uses: the address the guard checked, whatever the name resolves to now. */
const pinnedLookup =
  (pinned: ResolvedAddress): LookupFunction =>
  (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: pinned.address, family: pinned.family }]);
    else callback(null, pinned.address, pinned.family);
  };

/** Model arguments as a query string: scalars as text, arrays repeated, objects as JSON. */
function appendQuery(url: URL, args: unknown): void {
  if (typeof args !== 'object' || args === null) return;
  for (const [key, value] of Object.entries(args)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === null || item === undefined) continue;
      url.searchParams.append(key, typeof item === 'object' ? JSON.stringify(item) : String(item));
    }
  }
}

async function readLimited(
  body: AsyncIterable<Buffer> & { destroy(): unknown },
  max: number,
): Promise<{ text: string; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  for await (const chunk of body) {
    const room = max - size;
    if (chunk.length > room) {
      chunks.push(chunk.subarray(0, room));
      truncated = true;
      body.destroy();
      break;
    }
    chunks.push(chunk);
    size += chunk.length;
  }
  let text = new TextDecoder().decode(Buffer.concat(chunks));
  // A cut may split a character; drop the half left over.
  if (truncated) text = text.replace(/\uFFFD$/, '');
  return { text, truncated };
}

const describeError = (error: unknown): string => {
  if (error instanceof Error) {
    const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
    return code ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
};

/**
 * The HTTP tool runner: the SSRF guard before every connection and every redirect (at most
 * `maxRedirects`), the connection pinned to the address the guard checked (no DNS rebinding
 * between check and connect), the tool's timeout over the whole call and its response size limit.
 */
export function createHttpToolRunner(options: HttpToolRunnerOptions = {}): HttpToolRunner {
  const guard = createAddressGuard(options);
  const maxRedirects = options.maxRedirects ?? 3;
  const userAgent = options.userAgent ?? 'wabot-http-tool/1';

  return {
    async run(tool, args, signal) {
      const started = performance.now();
      const at = new Date();
      const argsJson = JSON.stringify(args ?? {});
      const argumentsBytes = Buffer.byteLength(argsJson);
      const result = (
        outcome: ToolCallOutcome,
        rest: Partial<Pick<ToolResult, 'status' | 'body' | 'truncated' | 'error'>> = {},
      ): ToolResult => ({
        tool: tool.name,
        ok: outcome === 'ok',
        outcome,
        status: rest.status ?? null,
        body: rest.body ?? '',
        truncated: rest.truncated ?? false,
        durationMs: Math.round(performance.now() - started),
        argumentsBytes,
        ...(rest.error === undefined ? {} : { error: rest.error }),
        at,
      });

      const parameters = compileToolParameters(tool.parameters);
      if (!parameters.ok)
        return result('invalid_arguments', { error: `the tool's parameters schema ${parameters.error}` });
      const problems = parameters.validate(args);
      if (problems !== null) return result('invalid_arguments', { error: `invalid arguments: ${problems}` });

      const timeout = AbortSignal.timeout(tool.timeoutMs);
      const callSignal = signal ? AbortSignal.any([signal, timeout]) : timeout;
      let url = new URL(tool.url);
      let method: ToolMethod = tool.method;
      if (method === 'GET') appendQuery(url, args);
      let body: string | undefined = method === 'POST' ? argsJson : undefined;
      const origin = url.origin;

      try {
        for (let hop = 0; ; hop++) {
          const verdict = await guard.check(url, callSignal);
          if (!verdict.ok) return result(verdict.blocked ? 'blocked' : 'network_error', { error: verdict.reason });
          // The tool's headers (credentials, usually) go to its own origin only, never to where it redirects.
          const headers: Record<string, string> = {
            'user-agent': userAgent,
            accept: 'application/json, text/plain;q=0.9, */*;q=0.8',
            ...(url.origin === origin ? tool.headers : {}),
          };
          if (body !== undefined && !Object.keys(headers).some((name) => name.toLowerCase() === 'content-type'))
            headers['content-type'] = 'application/json';
          const dispatcher = new Agent({ connect: { lookup: pinnedLookup(verdict.address) }, pipelining: 0 });
          try {
            const response = await request(url.href, {
              method,
              headers,
              ...(body === undefined ? {} : { body }),
              dispatcher,
              signal: callSignal,
            });
            const location = response.headers.location;
            if (REDIRECTS.has(response.statusCode) && typeof location === 'string') {
              await response.body.dump();
              if (hop >= maxRedirects)
                return result('too_many_redirects', {
                  status: response.statusCode,
                  error: `more than ${maxRedirects} redirects`,
                });
              const next = URL.canParse(location, url.href) ? new URL(location, url.href) : null;
              if (!next || (next.protocol !== 'http:' && next.protocol !== 'https:'))
                return result('blocked', { status: response.statusCode, error: 'redirect to a non-http(s) URL' });
              // As browsers do: 303, and 301/302 after a POST, continue as a GET without the body.
              if (response.statusCode === 303 || (method === 'POST' && response.statusCode < 303)) {
                method = 'GET';
                body = undefined;
              }
              url = next;
              continue;
            }
            const { text, truncated } = await readLimited(response.body, tool.maxResponseBytes);
            const status = response.statusCode;
            if (status >= 200 && status < 300) return result('ok', { status, body: text, truncated });
            return result('http_error', { status, body: text, truncated, error: `the tool answered HTTP ${status}` });
          } finally {
            await dispatcher.destroy();
          }
        }
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (timeout.aborted) return result('timeout', { error: `no answer within ${tool.timeoutMs} ms` });
        return result('network_error', { error: `the tool could not be reached (${describeError(error)})` });
      }
    },
  };
}

/**
 * What the model is given for a call: the status and body on success; on failure the error (and
 * the status and body the tool sent, if any), so the model can apologise or hand over.
 */
export function toToolOutput(result: ToolResult): Record<string, unknown> {
  if (result.ok) return { status: result.status, body: result.body, ...(result.truncated ? { truncated: true } : {}) };
  return {
    error: result.error ?? 'the tool call failed',
    ...(result.status === null ? {} : { status: result.status, body: result.body }),
  };
}
