import {
  type BotToolChanges,
  type BotToolModel,
  isUniqueViolation,
  type JsonInput,
  type Repositories,
} from '@wabot/db';
import { MAX_TOOLS_PER_BOT } from '@wabot/http-tools';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AdminDeps } from '../deps.js';
import { conflict, notFound } from '../domain/api-error.js';
import { announceBotChange } from '../domain/bot-changes.js';
import { keysetPage } from '../domain/keyset-pagination.js';
import { requireBot } from '../domain/tenancy.js';
import { toToolCallResponse, toToolResponse } from '../domain/to-api.js';
import { mergeToolHeaders, parseStoredToolHeaders, sealToolHeaders } from '../domain/tool-headers.js';
import { callerOf } from '../plugins/caller.js';
import { botParamsSchema } from '../schemas/bot.js';
import { authErrorResponses, errorResponseSchema } from '../schemas/common.js';
import {
  createToolBodySchema,
  listToolCallsQuerySchema,
  toolCallListSchema,
  toolListSchema,
  toolParamsSchema,
  toolSchema,
  updateToolBodySchema,
} from '../schemas/tool.js';

const nameTaken = (name: string) =>
  conflict(`the bot already has a tool named ${name}`, { fields: [{ field: 'name', message: 'is taken' }] });

/** A unique violation on (bot_id, name) becomes the 409 naming the tool; other errors pass through. */
const toNameConflict = (error: unknown, name: string | undefined): unknown =>
  name !== undefined && isUniqueViolation(error, 'name') ? nameTaken(name) : error;

/**
 * HTTP tools of a bot (docs/contract.md, Bot engine): create, list, update, delete, and the calls
 * the engine made (`tool_calls`). Tenancy as for the bot itself (another workspace's bot or tool
 * is "not found"); header values are write-only.
 * Every change is audited and bumps the bot's version, announced like a bot change: workers keep
 * a bot's tools per bot version.
 */
export function registerToolRoutes(root: FastifyInstance, deps: AdminDeps): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { repositories: repos, secretBox } = deps;
  const tags = ['tools'];

  /**
   * A write and its audit entry in one transaction, which also bumps the bot's version (workers
   * keep a bot's tools per version); after commit the change is announced like any bot change.
   * The written row is returned.
   */
  const audited = async (
    entry: { workspaceId: string; actor: string; action: string; botId: string },
    details: (tool: BotToolModel) => JsonInput,
    write: (tx: Repositories) => Promise<BotToolModel>,
  ) => {
    const { tool, bot } = await repos.transaction(async (tx) => {
      const written = await write(tx);
      await tx.auditLog.record({ ...entry, details: details(written) });
      return { tool: written, bot: await tx.bots.update(entry.botId, {}) };
    });
    await announceBotChange(deps, bot);
    return tool;
  };

  const requireTool = async (userId: string, botId: string, toolId: string) => {
    const bot = await requireBot(repos, userId, botId);
    const tool = await repos.tools.findInBot(bot.id, toolId);
    if (!tool) throw notFound('tool');
    return { bot, tool };
  };

  app.post(
    '/bots/:id/tools',
    {
      schema: {
        tags,
        summary: 'Add an HTTP tool the bot’s model may call',
        params: botParamsSchema,
        body: createToolBodySchema,
        response: { 201: toolSchema, 409: errorResponseSchema, ...authErrorResponses },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const bot = await requireBot(repos, caller.userId, request.params.id);
      const body = request.body;
      if ((await repos.tools.countByBot(bot.id)) >= MAX_TOOLS_PER_BOT)
        throw conflict(`a bot has at most ${MAX_TOOLS_PER_BOT} tools`);
      try {
        const tool = await audited(
          { workspaceId: bot.workspaceId, actor: caller.userId, action: 'tool.create', botId: bot.id },
          (created) => ({ tool_id: created.id, name: created.name, url: created.url }),
          (tx) =>
            tx.tools.create({
              botId: bot.id,
              name: body.name,
              description: body.description,
              parameters: body.parameters,
              url: body.url,
              method: body.method,
              headers: sealToolHeaders(secretBox, body.headers),
              timeoutMs: body.timeout_ms,
              maxResponseBytes: body.max_response_bytes,
            }),
        );
        return reply.code(201).send(toToolResponse(tool));
      } catch (error) {
        throw toNameConflict(error, body.name);
      }
    },
  );

  app.get(
    '/bots/:id/tools',
    {
      schema: {
        tags,
        summary: 'The bot’s HTTP tools, by name',
        params: botParamsSchema,
        response: { 200: toolListSchema, ...authErrorResponses },
      },
    },
    async (request) => {
      const bot = await requireBot(repos, callerOf(request).userId, request.params.id);
      const tools = await repos.tools.listByBot(bot.id);
      return { data: tools.map(toToolResponse), next_cursor: null };
    },
  );

  app.get(
    '/bots/:id/tools/:toolId',
    {
      schema: {
        tags,
        summary: 'One HTTP tool',
        params: toolParamsSchema,
        response: { 200: toolSchema, ...authErrorResponses },
      },
    },
    async (request) => {
      const { tool } = await requireTool(callerOf(request).userId, request.params.id, request.params.toolId);
      return toToolResponse(tool);
    },
  );

  app.patch(
    '/bots/:id/tools/:toolId',
    {
      schema: {
        tags,
        summary: 'Update an HTTP tool; headers are merged (null removes one)',
        params: toolParamsSchema,
        body: updateToolBodySchema,
        response: { 200: toolSchema, 409: errorResponseSchema, ...authErrorResponses },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const { bot, tool: current } = await requireTool(caller.userId, request.params.id, request.params.toolId);
      const body = request.body;
      const data: BotToolChanges = {};
      if (body.name !== undefined) data.name = body.name;
      if (body.description !== undefined) data.description = body.description;
      if (body.parameters !== undefined) data.parameters = body.parameters;
      if (body.url !== undefined) data.url = body.url;
      if (body.method !== undefined) data.method = body.method;
      if (body.timeout_ms !== undefined) data.timeoutMs = body.timeout_ms;
      if (body.max_response_bytes !== undefined) data.maxResponseBytes = body.max_response_bytes;
      if (body.headers !== undefined)
        data.headers = mergeToolHeaders(secretBox, parseStoredToolHeaders(current.headers), body.headers);
      const fields = Object.entries(body)
        .filter(([, value]) => value !== undefined)
        .map(([field]) => field);
      try {
        const tool = await audited(
          { workspaceId: bot.workspaceId, actor: caller.userId, action: 'tool.update', botId: bot.id },
          (updated) => ({
            tool_id: updated.id,
            name: updated.name,
            fields,
            // Which headers changed, never to what.
            ...(body.headers ? { headers: Object.keys(body.headers) } : {}),
          }),
          (tx) => tx.tools.update(current.id, data),
        );
        return toToolResponse(tool);
      } catch (error) {
        throw toNameConflict(error, body.name);
      }
    },
  );

  app.delete(
    '/bots/:id/tools/:toolId',
    {
      schema: {
        tags,
        summary: 'Delete an HTTP tool (its recorded calls stay, by name)',
        params: toolParamsSchema,
        response: { 204: z.null().describe('deleted'), ...authErrorResponses },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const { bot, tool } = await requireTool(caller.userId, request.params.id, request.params.toolId);
      await audited(
        { workspaceId: bot.workspaceId, actor: caller.userId, action: 'tool.delete', botId: bot.id },
        (deleted) => ({ tool_id: deleted.id, name: deleted.name }),
        (tx) => tx.tools.delete(tool.id),
      );
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/bots/:id/tool-calls',
    {
      schema: {
        tags,
        summary: 'Calls of the bot’s HTTP tools, newest first: outcome, HTTP status, duration, error',
        params: botParamsSchema,
        querystring: listToolCallsQuerySchema,
        response: { 200: toolCallListSchema, ...authErrorResponses },
      },
    },
    async (request) => {
      const bot = await requireBot(repos, callerOf(request).userId, request.params.id);
      const { turn_id: turnId, tool_id: toolId, status, limit } = request.query;
      const page = keysetPage('createdAt', request.query.cursor, limit);
      const rows = await repos.toolCalls.listByBot(bot.id, { turnId, toolId, status }, page);
      const { items, nextCursor } = page.toPage(rows);
      return { data: items.map(toToolCallResponse), next_cursor: nextCursor };
    },
  );
}
