import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AdminDeps } from '../deps.js';
import { ApiError } from '../domain/api-error.js';
import { keysetPage, toPage } from '../domain/keyset-pagination.js';
import { requireBot, requireConversation, requireSendableConversation } from '../domain/tenancy.js';
import { toConversationResponse, toMessageResponse } from '../domain/to-api.js';
import { toWindowState } from '../domain/window-state.js';
import { messageCreatedEvent } from '../live/admin-events.js';
import { callerOf } from '../plugins/caller.js';
import { botParamsSchema } from '../schemas/bot.js';
import { authErrorResponses, errorResponseSchema, paginationQuerySchema } from '../schemas/common.js';
import {
  conversationListSchema,
  conversationParamsSchema,
  messageListSchema,
  sendTemplateBodySchema,
  templateSendSchema,
} from '../schemas/conversation.js';

/** Conversations of a bot, their messages, and operator template sends. */
export function registerConversationRoutes(root: FastifyInstance, deps: AdminDeps): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { repositories: repos } = deps;
  const tags = ['conversations'];

  app.get(
    '/bots/:id/conversations',
    {
      schema: {
        tags,
        summary: "A bot's conversations, most recently active first, with window state and last message",
        params: botParamsSchema,
        querystring: paginationQuerySchema,
        response: { 200: conversationListSchema, ...authErrorResponses },
      },
    },
    async (request) => {
      const bot = await requireBot(repos, callerOf(request).userId, request.params.id);
      const { limit } = request.query;
      const page = keysetPage('lastMessageAt', request.query.cursor, limit);
      const rows = await repos.conversations.listByBot(bot.id, page);
      const { items, nextCursor } = page.toPage(rows);
      const ids = items.map((c) => c.id);
      const [last, totals] = await Promise.all([
        repos.conversations.lastMessagesOf(ids),
        repos.conversations.usageTotalsOf('conversation', ids),
      ]);
      const now = Date.now();
      return {
        data: items.map((c) => toConversationResponse(c, last.get(c.id), now, totals.get(c.id))),
        next_cursor: nextCursor,
      };
    },
  );

  app.get(
    '/conversations/:id/messages',
    {
      schema: {
        tags,
        summary:
          "Messages of a conversation, both directions, newest first (a reply's parts by part index, last first), with delivery status, attempts and errors",
        params: conversationParamsSchema,
        querystring: paginationQuerySchema,
        response: { 200: messageListSchema, ...authErrorResponses },
      },
    },
    async (request) => {
      const conversation = await requireConversation(repos, callerOf(request).userId, request.params.id);
      const { limit } = request.query;
      const page = keysetPage('createdAt', request.query.cursor, limit);
      const rows = await repos.conversations.listMessages(conversation.id, page);
      // The cursor carries the part index: a reply's parts share one created_at.
      const { items, nextCursor } = toPage(rows, limit, (m) => ({
        at: m.createdAt,
        id: m.id,
        part: m.partIndex ?? -1,
      }));
      const media = await repos.media.findMany(items.map((m) => m.id));
      return { data: items.map((m) => toMessageResponse(m, media.get(m.id))), next_cursor: nextCursor };
    },
  );

  app.post(
    '/conversations/:id/template',
    {
      schema: {
        tags,
        summary: 'Send an approved template (e.g. to re-open a closed 24-hour window); queued for the worker',
        params: conversationParamsSchema,
        body: sendTemplateBodySchema,
        response: {
          202: templateSendSchema,
          409: errorResponseSchema,
          503: errorResponseSchema,
          ...authErrorResponses,
        },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const { conversation, bot } = await requireSendableConversation(repos, caller.userId, request.params.id);
      const template = request.body;
      const message = await repos.transaction(async (tx) => {
        const created = await tx.conversations.createTemplateSend({
          botId: bot.id,
          conversationId: conversation.id,
          text: `[Template: ${template.name}]`,
          metadata: { template, requested_by: caller.userId },
        });
        await tx.auditLog.record({
          workspaceId: bot.workspaceId,
          actor: caller.userId,
          action: 'conversation.template_send',
          botId: bot.id,
          details: { conversation_id: conversation.id, message_id: created.id, template: template.name },
        });
        return created;
      });
      await deps.events.publish(messageCreatedEvent(bot, message));
      let jobId: string;
      try {
        jobId = (
          await deps.outbound.add(
            'send-template',
            { botId: bot.id, conversationId: conversation.id, messageId: message.id, template },
            { jobId: message.id },
          )
        ).id;
      } catch (err) {
        request.log.error({ err, messageId: message.id }, 'could not enqueue a template send');
        await repos.conversations.markEnqueueFailed(message.id, 'the job queue was unavailable');
        throw new ApiError(503, 'queue_unavailable', 'could not queue the template send; try again shortly');
      }
      return reply.code(202).send({
        id: message.id,
        conversation_id: conversation.id,
        status: 'pending' as const,
        job_id: jobId,
        window: toWindowState(conversation.lastInboundAt, Date.now(), conversation.windowClosedAt),
      });
    },
  );
}
