import {
  TOOL_MAX_RESPONSE_BYTES,
  TOOL_TIMEOUT_MS,
  toolDescriptionSchema,
  toolHeaderChangesSchema,
  toolHeadersSchema,
  toolMaxResponseBytesSchema,
  toolMethodSchema,
  toolNameSchema,
  toolParametersSchema,
  toolTimeoutMsSchema,
  toolUrlSchema,
} from '@wabot/http-tools';
import { ACTION_NAMES } from '@wabot/whatsapp';
import { z } from 'zod';
import { secretStateSchema } from './bot.js';
import { listOf, paginationQuerySchema, timestamp } from './common.js';

const EMPTY_PARAMETERS = { type: 'object', properties: {} };

const actionNames = new Set<string>(ACTION_NAMES);
/** A function name the engine's own WhatsApp actions do not use. */
const nameSchema = toolNameSchema.refine((name) => !actionNames.has(name), 'is the name of a built-in action');

export const createToolBodySchema = z.object({
  name: nameSchema.describe('the function name the model calls: ^[a-zA-Z0-9_-]{1,64}$, not a built-in action'),
  description: toolDescriptionSchema.describe('what the tool does and when to call it, for the model'),
  parameters: toolParametersSchema
    .default(EMPTY_PARAMETERS)
    .describe('JSON Schema (an object schema, draft-07 or 2020-12) of the arguments'),
  url: toolUrlSchema.describe('http(s) endpoint; private and internal addresses are refused at call time'),
  method: toolMethodSchema.default('POST').describe('POST sends the arguments as a JSON body, GET as the query'),
  headers: toolHeadersSchema
    .default({})
    .describe('sent with every call (e.g. Authorization); stored encrypted, never returned'),
  timeout_ms: toolTimeoutMsSchema.default(TOOL_TIMEOUT_MS.default),
  max_response_bytes: toolMaxResponseBytesSchema
    .default(TOOL_MAX_RESPONSE_BYTES.default)
    .describe('the answer is cut here before the model sees it'),
});

export const updateToolBodySchema = z
  .object({
    name: nameSchema.optional(),
    description: toolDescriptionSchema.optional(),
    parameters: toolParametersSchema.optional(),
    url: toolUrlSchema.optional(),
    method: toolMethodSchema.optional(),
    headers: toolHeaderChangesSchema
      .optional()
      .describe('merged into the stored headers (names match case-insensitively); null removes one'),
    timeout_ms: toolTimeoutMsSchema.optional(),
    max_response_bytes: toolMaxResponseBytesSchema.optional(),
  })
  .refine((body) => Object.values(body).some((v) => v !== undefined), 'nothing to update: send at least one field');

export const toolParamsSchema = z.object({
  id: z.string().min(1).max(64),
  toolId: z.uuid('must be a tool id (uuid)'),
});

export const toolSchema = z
  .object({
    id: z.uuid(),
    bot_id: z.string(),
    name: z.string(),
    description: z.string(),
    parameters: z.record(z.string(), z.unknown()),
    url: z.string(),
    method: toolMethodSchema,
    headers: z.record(z.string(), secretStateSchema).describe('header name → set and a masked hint; never the value'),
    timeout_ms: z.number().int(),
    max_response_bytes: z.number().int(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: 'HttpTool' });

export const toolListSchema = listOf(toolSchema);

const toolCallStatusSchema = z.enum([
  'ok',
  'http_error',
  'invalid_arguments',
  'blocked',
  'timeout',
  'network_error',
  'too_many_redirects',
  'unavailable',
]);

export const listToolCallsQuerySchema = z.object({
  ...paginationQuerySchema.shape,
  turn_id: z
    .uuid('must be a message id (uuid)')
    .optional()
    .describe("only this turn's calls (its last inbound message id)"),
  tool_id: z.uuid('must be a tool id (uuid)').optional().describe('only calls of this tool'),
  status: toolCallStatusSchema.optional().describe('only calls that ended so'),
});

export const toolCallSchema = z
  .object({
    id: z.uuid(),
    bot_id: z.string(),
    turn_id: z.uuid().describe("the turn's last inbound message"),
    tool_id: z.uuid().nullable().describe('null once the tool was deleted'),
    tool: z.string().describe('the tool name called'),
    arguments_bytes: z.number().int(),
    status: toolCallStatusSchema,
    http_status: z.number().int().nullable(),
    duration_ms: z.number().int(),
    error: z.string().nullable().describe('what the model was told went wrong'),
    at: timestamp,
  })
  .meta({ id: 'ToolCall' });

export const toolCallListSchema = listOf(toolCallSchema);
