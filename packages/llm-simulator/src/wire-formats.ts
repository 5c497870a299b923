import { z } from 'zod';

/**
 * An image or file a message carried, decoded from the provider's own wire format: OpenAI
 * `image_url` data URL / `file.file_data`, Anthropic `image` / `document` with a base64 `source`,
 * Gemini `inlineData`.
 */
export interface SimulatedAttachment {
  kind: 'image' | 'file';
  /** Where it was found, e.g. `image_url`, `file`, `image.source.base64`, `document.source.base64`, `inlineData`. */
  wire: string;
  mediaType: string;
  data: Buffer;
  filename?: string;
}

/** A message of a request, the same for every wire format (text joined, tool calls and results named). */
export interface SimulatedMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  /** Assistant messages: the tools it called, in order. */
  toolCalls?: { name: string; args: unknown }[];
  /** Images and files the message carried (user messages). */
  attachments?: SimulatedAttachment[];
}

/** A part the provider would refuse (400): an image or file that is not in its wire format. */
export class WireFormatError extends Error {}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Decodes base64 as the providers require it (no data URL prefix, no whitespace); throws WireFormatError. */
function decodeBase64(data: unknown, what: string): Buffer {
  if (typeof data !== 'string' || data.length === 0 || data.length % 4 !== 0 || !BASE64.test(data)) {
    throw new WireFormatError(`${what}: data is not base64`);
  }
  return Buffer.from(data, 'base64');
}

/** `data:<type>;base64,<data>` → its type and bytes; throws WireFormatError for anything else. */
function decodeDataUrl(url: unknown, what: string): { mediaType: string; data: Buffer } {
  const match = typeof url === 'string' ? /^data:([\w.+-]+\/[\w.+-]+);base64,(.*)$/s.exec(url) : null;
  if (!match?.[1]) throw new WireFormatError(`${what}: expected a base64 data URL`);
  return { mediaType: match[1], data: decodeBase64(match[2], what) };
}

const withAttachments = (message: SimulatedMessage, attachments: SimulatedAttachment[]): SimulatedMessage =>
  attachments.length > 0 ? { ...message, attachments } : message;

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

const openAiImageSchema = z.object({
  type: z.literal('image_url'),
  image_url: z.object({ url: z.unknown().optional() }),
});
const openAiFileSchema = z.object({
  type: z.literal('file'),
  file: z.object({ file_data: z.unknown().optional(), filename: z.string().optional() }),
});

/** `image_url` parts (data URLs; a plain https URL is not fetched and not recorded) and `file` parts. */
function openAiAttachments(content: unknown): SimulatedAttachment[] {
  if (!Array.isArray(content)) return [];
  return content.flatMap((part): SimulatedAttachment[] => {
    const image = openAiImageSchema.safeParse(part);
    if (image.success) {
      if (typeof image.data.image_url.url === 'string' && /^https?:/.test(image.data.image_url.url)) return [];
      return [{ kind: 'image', wire: 'image_url', ...decodeDataUrl(image.data.image_url.url, 'image_url.url') }];
    }
    const file = openAiFileSchema.safeParse(part);
    if (file.success) {
      const decoded = decodeDataUrl(file.data.file.file_data, 'file.file_data');
      return [
        {
          kind: 'file',
          wire: 'file',
          ...decoded,
          ...(file.data.file.filename ? { filename: file.data.file.filename } : {}),
        },
      ];
    }
    const type = z.object({ type: z.string() }).safeParse(part);
    if (type.success && type.data.type !== 'text')
      throw new WireFormatError(`unknown content part type ${type.data.type}`);
    return [];
  });
}

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
        withAttachments(
          {
            role: roleOf(message.data.role),
            content: textOf(message.data.content),
            ...(calls ? { toolCalls: calls } : {}),
          },
          openAiAttachments(message.data.content),
        ),
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

const anthropicSourceSchema = z.object({
  type: z.enum(['image', 'document']),
  source: z.object({ type: z.string(), media_type: z.unknown().optional(), data: z.unknown().optional() }),
});

/** `image` / `document` blocks with a base64 source; media_type must be one Anthropic accepts. */
function anthropicAttachments(blocks: unknown[]): SimulatedAttachment[] {
  return blocks.flatMap((block): SimulatedAttachment[] => {
    const parsed = anthropicSourceSchema.safeParse(block);
    if (!parsed.success) return [];
    const { type, source } = parsed.data;
    const what = `${type}.source`;
    if (source.type !== 'base64') throw new WireFormatError(`${what}.type must be base64 here, not ${source.type}`);
    const allowed = type === 'image' ? ['image/jpeg', 'image/png', 'image/gif', 'image/webp'] : ['application/pdf'];
    if (typeof source.media_type !== 'string' || !allowed.includes(source.media_type)) {
      throw new WireFormatError(`${what}.media_type must be one of ${allowed.join(', ')}`);
    }
    return [
      {
        kind: type === 'image' ? 'image' : 'file',
        wire: `${type}.source.base64`,
        mediaType: source.media_type,
        data: decodeBase64(source.data, `${what}.data`),
      },
    ];
  });
}

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
      messages.push(
        withAttachments(
          {
            role: roleOf(message.role),
            content: parsed.map((b) => ('text' in b ? b.text : '')).join(''),
            ...(calls.length > 0 ? { toolCalls: calls } : {}),
          },
          anthropicAttachments(looseArray.parse(blocks)),
        ),
      );
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
  inlineData: z.object({ mimeType: z.unknown().optional(), data: z.unknown().optional() }).optional(),
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
      const inline = parts.flatMap((p): SimulatedAttachment[] => {
        if (!p.inlineData) return [];
        const { mimeType, data } = p.inlineData;
        if (typeof mimeType !== 'string' || !/^[\w.+-]+\/[\w.+-]+$/.test(mimeType)) {
          throw new WireFormatError('inlineData.mimeType is required');
        }
        const kind = mimeType.startsWith('image/') ? 'image' : 'file';
        return [{ kind, wire: 'inlineData', mediaType: mimeType, data: decodeBase64(data, 'inlineData.data') }];
      });
      messages.push(
        withAttachments(
          {
            role: roleOf(content.role),
            content: parts.map((p) => p.text ?? '').join(''),
            ...(calls.length > 0 ? { toolCalls: calls } : {}),
          },
          inline,
        ),
      );
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
