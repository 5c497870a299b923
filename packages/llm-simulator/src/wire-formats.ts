import { z } from 'zod';

/** A message of a request, the same for every wire format (text joined, tool calls and results named). */
export interface SimulatedMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  /** Assistant messages: the tools it called, in order. */
  toolCalls?: { name: string; args: unknown }[];
}

/** What the simulator read from a request, whatever its wire format. */
export interface ParsedRequest {
  model: string;
  temperature: unknown;
  messages: SimulatedMessage[];
  /** Names of the tools offered. */
  tools: string[];
}

/** The answer to give, before it is put in the format's shape. */
export interface WireAnswer {
  model: string;
  text: string;
  toolCalls: { id: string; name: string; args: Record<string, unknown> }[];
  usage: { inputTokens: number; outputTokens: number; cachedInputTokens: number };
}

export type WireFormatName = 'openai' | 'anthropic' | 'google';

export interface WireFormat {
  name: WireFormatName;
  /** The model of a POST to `path` in this format (Gemini names it in the path), or null when not this format's. */
  route(path: string): { model: string | null } | null;
  /** The credential the request carries (without the scheme). */
  credential(headers: Record<string, string | string[] | undefined>): string | undefined;
  read(body: unknown, pathModel: string | null): ParsedRequest;
  answer(answer: WireAnswer): unknown;
  /** The provider's error body for `status`. */
  error(status: number, message: string): unknown;
}

const header = (headers: Record<string, string | string[] | undefined>, name: string) => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};
const json = (value: unknown) => JSON.stringify(value ?? null);

/** A text, or the texts of an array of parts joined (other parts add nothing). */
const textOf = (content: unknown): string => {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => {
      const parsed = z.object({ text: z.string() }).safeParse(part);
      return parsed.success ? parsed.data.text : '';
    })
    .join('');
};

const looseArray = z.array(z.unknown()).catch([]);

// --- OpenAI chat completions: https://platform.openai.com/docs/api-reference/chat/create ---

const openAiMessageSchema = z.object({
  role: z.string(),
  content: z.unknown(),
  tool_calls: z
    .array(z.object({ function: z.object({ name: z.string(), arguments: z.string() }) }))
    .optional()
    .catch(undefined),
});
const openAiRequestSchema = z.object({
  model: z.string().catch(''),
  temperature: z.unknown().optional(),
  messages: looseArray,
  tools: z
    .array(z.object({ function: z.object({ name: z.string() }) }))
    .optional()
    .catch(undefined),
});

const parseArgs = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

const roleOf = (role: string): SimulatedMessage['role'] =>
  role === 'system' || role === 'developer'
    ? 'system'
    : role === 'assistant' || role === 'model'
      ? 'assistant'
      : role === 'tool'
        ? 'tool'
        : 'user';

const openAi: WireFormat = {
  name: 'openai',
  route: (path) => (path.endsWith('/chat/completions') ? { model: null } : null),
  credential: (headers) => header(headers, 'authorization')?.replace(/^Bearer\s+/i, ''),
  read(body) {
    const request = openAiRequestSchema.parse(body ?? {});
    const messages = request.messages.flatMap((raw): SimulatedMessage[] => {
      const message = openAiMessageSchema.safeParse(raw);
      if (!message.success) return [];
      const calls = message.data.tool_calls?.map((c) => ({
        name: c.function.name,
        args: parseArgs(c.function.arguments),
      }));
      return [
        {
          role: roleOf(message.data.role),
          content: textOf(message.data.content),
          ...(calls ? { toolCalls: calls } : {}),
        },
      ];
    });
    return {
      model: request.model,
      temperature: request.temperature,
      messages,
      tools: request.tools?.map((t) => t.function.name) ?? [],
    };
  },
  answer: ({ model, text, toolCalls, usage }) => ({
    id: `chatcmpl-${Math.random().toString(36).slice(2, 12)}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: text || null,
          ...(toolCalls.length > 0
            ? {
                tool_calls: toolCalls.map((c) => ({
                  id: c.id,
                  type: 'function',
                  function: { name: c.name, arguments: JSON.stringify(c.args) },
                })),
              }
            : {}),
        },
        finish_reason: toolCalls.length > 0 ? 'tool_calls' : 'stop',
      },
    ],
    usage: {
      prompt_tokens: usage.inputTokens,
      completion_tokens: usage.outputTokens,
      total_tokens: usage.inputTokens + usage.outputTokens,
      prompt_tokens_details: { cached_tokens: usage.cachedInputTokens },
    },
  }),
  error: (status, message) => ({
    error: {
      message,
      type: status === 429 ? 'rate_limit_exceeded' : status >= 500 ? 'server_error' : 'invalid_request_error',
      code: status === 401 ? 'invalid_api_key' : status === 404 ? 'model_not_found' : null,
    },
  }),
};

// --- Anthropic messages: https://docs.anthropic.com/en/api/messages ---

const anthropicBlockSchema = z.union([
  z.object({ type: z.literal('text'), text: z.string() }),
  z.object({ type: z.literal('tool_use'), name: z.string(), input: z.unknown() }),
  z.object({ type: z.literal('tool_result'), content: z.unknown() }),
  z.object({ type: z.string() }),
]);
const anthropicRequestSchema = z.object({
  model: z.string().catch(''),
  temperature: z.unknown().optional(),
  system: z.unknown().optional(),
  messages: z.array(z.object({ role: z.string(), content: z.unknown() })).catch([]),
  tools: z
    .array(z.object({ name: z.string() }))
    .optional()
    .catch(undefined),
});

const ANTHROPIC_ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  429: 'rate_limit_error',
  529: 'overloaded_error',
};

const anthropic: WireFormat = {
  name: 'anthropic',
  route: (path) => (path.endsWith('/messages') ? { model: null } : null),
  credential: (headers) => header(headers, 'x-api-key'),
  read(body) {
    const request = anthropicRequestSchema.parse(body ?? {});
    const system = textOf(request.system);
    const messages: SimulatedMessage[] = system ? [{ role: 'system', content: system }] : [];
    for (const message of request.messages) {
      const blocks =
        typeof message.content === 'string' ? [{ type: 'text' as const, text: message.content }] : message.content;
      const parsed = looseArray.parse(blocks).flatMap((b) => {
        const block = anthropicBlockSchema.safeParse(b);
        return block.success ? [block.data] : [];
      });
      const results = parsed.flatMap((b) => ('content' in b ? [b] : []));
      if (results.length > 0) {
        for (const result of results)
          messages.push({ role: 'tool', content: textOf(result.content) || json(result.content) });
        continue;
      }
      const calls = parsed.flatMap((b) => ('input' in b ? [{ name: b.name, args: b.input }] : []));
      messages.push({
        role: roleOf(message.role),
        content: parsed.map((b) => ('text' in b ? b.text : '')).join(''),
        ...(calls.length > 0 ? { toolCalls: calls } : {}),
      });
    }
    return {
      model: request.model,
      temperature: request.temperature,
      messages,
      tools: request.tools?.map((t) => t.name) ?? [],
    };
  },
  answer: ({ model, text, toolCalls, usage }) => ({
    id: `msg_${Math.random().toString(36).slice(2, 14)}`,
    type: 'message',
    role: 'assistant',
    model,
    content: [
      ...(text ? [{ type: 'text', text }] : []),
      ...toolCalls.map((c) => ({ type: 'tool_use', id: c.id, name: c.name, input: c.args })),
    ],
    stop_reason: toolCalls.length > 0 ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: {
      input_tokens: usage.inputTokens - usage.cachedInputTokens,
      output_tokens: usage.outputTokens,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: usage.cachedInputTokens,
    },
  }),
  error: (status, message) => ({
    type: 'error',
    error: { type: ANTHROPIC_ERROR_TYPES[status] ?? 'api_error', message },
  }),
};

// --- Gemini generateContent: https://ai.google.dev/api/generate-content ---

const geminiPartSchema = z.object({
  text: z.string().optional(),
  functionCall: z.object({ name: z.string(), args: z.unknown() }).optional(),
  functionResponse: z.object({ name: z.string(), response: z.unknown() }).optional(),
});
const geminiRequestSchema = z.object({
  contents: z.array(z.object({ role: z.string().catch('user'), parts: looseArray })).catch([]),
  systemInstruction: z.object({ parts: looseArray }).optional().catch(undefined),
  generationConfig: z.object({ temperature: z.unknown().optional() }).optional().catch(undefined),
  tools: z
    .array(z.object({ functionDeclarations: z.array(z.object({ name: z.string() })).optional() }))
    .optional()
    .catch(undefined),
});

const GEMINI_STATUSES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  503: 'UNAVAILABLE',
};

const google: WireFormat = {
  name: 'google',
  route(path) {
    const match = /\/models\/([^/:]+):generateContent$/.exec(path);
    return match ? { model: decodeURIComponent(match[1] ?? '') } : null;
  },
  credential: (headers) => header(headers, 'x-goog-api-key'),
  read(body, pathModel) {
    const request = geminiRequestSchema.parse(body ?? {});
    const partsOf = (parts: unknown[]) =>
      parts.flatMap((p) => {
        const part = geminiPartSchema.safeParse(p);
        return part.success ? [part.data] : [];
      });
    const system = partsOf(request.systemInstruction?.parts ?? [])
      .map((p) => p.text ?? '')
      .join('');
    const messages: SimulatedMessage[] = system ? [{ role: 'system', content: system }] : [];
    for (const content of request.contents) {
      const parts = partsOf(content.parts);
      const responses = parts.flatMap((p) => (p.functionResponse ? [p.functionResponse] : []));
      if (responses.length > 0) {
        for (const response of responses) messages.push({ role: 'tool', content: json(response.response) });
        continue;
      }
      const calls = parts.flatMap((p) =>
        p.functionCall ? [{ name: p.functionCall.name, args: p.functionCall.args }] : [],
      );
      messages.push({
        role: roleOf(content.role),
        content: parts.map((p) => p.text ?? '').join(''),
        ...(calls.length > 0 ? { toolCalls: calls } : {}),
      });
    }
    return {
      model: pathModel ?? '',
      temperature: request.generationConfig?.temperature,
      messages,
      tools: request.tools?.flatMap((t) => t.functionDeclarations?.map((d) => d.name) ?? []) ?? [],
    };
  },
  answer: ({ model, text, toolCalls, usage }) => ({
    candidates: [
      {
        content: {
          role: 'model',
          parts: [
            ...(text ? [{ text }] : []),
            ...toolCalls.map((c) => ({ functionCall: { name: c.name, args: c.args } })),
          ],
        },
        finishReason: 'STOP',
        index: 0,
      },
    ],
    usageMetadata: {
      promptTokenCount: usage.inputTokens,
      candidatesTokenCount: usage.outputTokens,
      totalTokenCount: usage.inputTokens + usage.outputTokens,
      ...(usage.cachedInputTokens > 0 ? { cachedContentTokenCount: usage.cachedInputTokens } : {}),
    },
    modelVersion: model,
  }),
  error: (status, message) => ({
    error: { code: status, message, status: GEMINI_STATUSES[status] ?? 'INTERNAL' },
  }),
};

/** The wire formats served, in the order their routes are tried (Gemini's path is the most specific). */
export const WIRE_FORMATS: readonly WireFormat[] = [google, openAi, anthropic];
