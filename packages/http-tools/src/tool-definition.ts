import { z } from 'zod';
import { compileToolParameters } from './tool-parameters.js';

/** The function-name rule of the providers' function calling (OpenAI's, the strictest). */
export const TOOL_NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;

export const TOOL_TIMEOUT_MS = { default: 10_000, min: 100, max: 30_000 } as const;
export const TOOL_MAX_RESPONSE_BYTES = { default: 32_768, min: 256, max: 1_048_576 } as const;
export const MAX_TOOL_HEADERS = 20;
/** Tools one bot may have: every one is described to the model on every turn. */
export const MAX_TOOLS_PER_BOT = 32;

export const toolMethodSchema = z.enum(['GET', 'POST']);
export type ToolMethod = z.infer<typeof toolMethodSchema>;

/** A function name; that it does not clash with the engine's WhatsApp actions is the admin's check (ACTION_NAMES). */
export const toolNameSchema = z.string().regex(TOOL_NAME_PATTERN, 'must be 1–64 letters, digits, _ or -');

export const toolDescriptionSchema = z.string().trim().min(1, 'must not be empty').max(1024);

/**
 * The tool's endpoint: http or https, no user:password (credentials belong in headers, which are
 * encrypted). Where it may point is checked on every call (the SSRF guard), not here: DNS changes.
 */
export const toolUrlSchema = z
  .string()
  .max(2048)
  .refine((value) => {
    if (!URL.canParse(value)) return false;
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  }, 'must be an absolute http(s) URL')
  .refine((value) => {
    if (!URL.canParse(value)) return true;
    const url = new URL(value);
    return url.username === '' && url.password === '';
  }, 'must not contain credentials; send them as a header');

// RFC 9110 field names; values without control characters (no header injection).
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/;
// Tab is the one control character a header value may hold.
const hasControlCharacter = (value: string) =>
  [...value].some((char) => {
    const code = char.charCodeAt(0);
    return (code < 0x20 && code !== 0x09) || code === 0x7f;
  });
/** Set by the HTTP client or meaningless for one request; a tool may not set them. */
const RESERVED_HEADERS = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'proxy-authorization',
  'proxy-connection',
]);

export const toolHeaderNameSchema = z
  .string()
  .regex(HEADER_NAME, "must be a header name (letters, digits and !#$%&'*+.^_`|~-)")
  .refine((name) => !RESERVED_HEADERS.has(name.toLowerCase()), 'is set by the HTTP client and cannot be a tool header');

export const toolHeaderValueSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(8192)
  .refine((value) => !hasControlCharacter(value), 'must not contain control characters');

/** Header name → value; names are checked here rather than as record keys, so a bad one is named in the error. */
const headerRecord = <V extends z.ZodType>(value: V) =>
  z.record(z.string(), value).superRefine((headers, ctx) => {
    const names = Object.keys(headers);
    for (const name of names) {
      const checked = toolHeaderNameSchema.safeParse(name);
      for (const issue of checked.error?.issues ?? [])
        ctx.addIssue({ code: 'custom', path: [name], message: issue.message });
    }
    if (names.length > MAX_TOOL_HEADERS)
      ctx.addIssue({ code: 'custom', message: `at most ${MAX_TOOL_HEADERS} headers` });
    if (new Set(names.map((name) => name.toLowerCase())).size !== names.length)
      ctx.addIssue({ code: 'custom', message: 'header names must differ in more than case' });
  });

/** A tool's headers, as created. */
export const toolHeadersSchema = headerRecord(toolHeaderValueSchema);

/** Changes to a tool's headers (PATCH): a value sets a header, null removes it. */
export const toolHeaderChangesSchema = headerRecord(toolHeaderValueSchema.nullable());

/** A JSON Schema (object schema) of the tool's arguments, compiled to prove it is one. */
export const toolParametersSchema = z.record(z.string(), z.json()).superRefine((schema, ctx) => {
  const compiled = compileToolParameters(schema);
  if (!compiled.ok) ctx.addIssue({ code: 'custom', message: compiled.error });
});

export const toolTimeoutMsSchema = z.number().int().min(TOOL_TIMEOUT_MS.min).max(TOOL_TIMEOUT_MS.max);
export const toolMaxResponseBytesSchema = z
  .number()
  .int()
  .min(TOOL_MAX_RESPONSE_BYTES.min)
  .max(TOOL_MAX_RESPONSE_BYTES.max);

/** An HTTP tool as the runner calls it: headers in plain text (decrypted by the worker only). */
export interface HttpToolSpec {
  name: string;
  url: string;
  method: ToolMethod;
  /** JSON Schema of the arguments. */
  parameters: Record<string, unknown>;
  headers: Record<string, string>;
  timeoutMs: number;
  maxResponseBytes: number;
}

/**
 * The `headers` column of `bot_tools`: header name → its value sealed (packages/secrets) and the
 * masked hint the admin API shows. Names are not secret; values are never stored in plain text.
 */
export const storedToolHeadersSchema = z.record(
  z.string(),
  z.object({ cipher: z.string(), hint: z.string().nullable() }),
);
export type StoredToolHeaders = z.infer<typeof storedToolHeadersSchema>;
