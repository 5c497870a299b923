import { mediaFilesIn } from '@wabot/outbound-media';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AdminDeps } from '../deps.js';
import { ApiError } from '../domain/api-error.js';
import { linkedMedia, type OperatorMedia, uploadedMedia } from '../domain/operator-media.js';
import { requireAssignee, resumeAtFor, scheduleResume, settleInFlight } from '../domain/takeover.js';
import { requireBot, requireConversation, requireSendableConversation } from '../domain/tenancy.js';
import { toConversationResponse, toMessageResponse } from '../domain/to-api.js';
import { toWindowState } from '../domain/window-state.js';
import { controlEvent, messageCreatedEvent } from '../live/admin-events.js';
import { callerOf } from '../plugins/caller.js';
import { authErrorResponses, errorResponseSchema } from '../schemas/common.js';
import {
  conversationParamsSchema,
  conversationSchema,
  handoffBodySchema,
  operatorMessageBodySchema,
  operatorMessageSchema,
} from '../schemas/conversation.js';

/**
 * Human takeover (docs/contract.md, Conversations): one conversation, its handoff to a person and
 * resume, and operators' messages. Every change is audit-logged in its transaction.
 */
export function registerTakeoverRoutes(root: FastifyInstance, deps: AdminDeps): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { repositories: repos, outbound, events } = deps;
  const mediaFiles = deps.mediaFiles ?? mediaFilesIn(deps.config.MEDIA_STORE, deps.mediaStore);
  const tags = ['conversations'];

  const respond = async (conversationId: string) => {
    const conversation = await repos.conversations.findById(conversationId);
    const last = await repos.conversations.lastMessagesOf([conversationId]);
    if (!conversation) throw new ApiError(404, 'not_found', 'conversation not found');
    return toConversationResponse(conversation, last.get(conversationId));
  };

  app.get(
    '/conversations/:id',
    {
      schema: {
        tags,
        summary: 'One conversation: control (bot or human), assignee, handoff reason, resume time, window',
        params: conversationParamsSchema,
        response: { 200: conversationSchema, ...authErrorResponses },
      },
    },
    async (request) => {
      const conversation = await requireConversation(repos, callerOf(request).userId, request.params.id);
      return respond(conversation.id);
    },
  );

  app.post(
    '/conversations/:id/handoff',
    {
      schema: {
        tags,
        summary: 'Hand the conversation to a person: no message the bot generates reaches the user until it is resumed',
        params: conversationParamsSchema,
        body: handoffBodySchema,
        response: { 200: conversationSchema, ...authErrorResponses },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const conversation = await requireConversation(repos, caller.userId, request.params.id);
      const bot = await requireBot(repos, caller.userId, conversation.botId);
      const { reason, assignee } = request.body ?? {};
      await requireAssignee(repos, bot, assignee);
      const updated = await repos.transaction(async (tx) => {
        const changed = await tx.conversations.handOff(conversation.id, {
          reason: reason ?? (conversation.control === 'bot' ? 'operator' : null),
          assignee,
          resumeAt: resumeAtFor(bot),
        });
        await tx.auditLog.record({
          workspaceId: bot.workspaceId,
          actor: caller.userId,
          action: 'conversation.handoff',
          botId: bot.id,
          details: { conversation_id: conversation.id, reason: changed.handoffReason, was: conversation.control },
        });
        if (assignee !== undefined && assignee !== conversation.assignee) {
          await tx.auditLog.record({
            workspaceId: bot.workspaceId,
            actor: caller.userId,
            action: 'conversation.assign',
            botId: bot.id,
            details: { conversation_id: conversation.id, assignee },
          });
        }
        return changed;
      });
      await events.publish(controlEvent(bot, updated, caller.userId));
      await scheduleResume(outbound, request.log, updated);
      const inFlight = await settleInFlight(repos, conversation.id);
      if (inFlight > 0)
        request.log.warn({ conversationId: conversation.id, inFlight }, 'handoff: parts still in flight');
      return respond(conversation.id);
    },
  );

  app.post(
    '/conversations/:id/resume',
    {
      schema: {
        tags,
        summary: 'Give the conversation back to the bot: it answers the next message',
        params: conversationParamsSchema,
        response: { 200: conversationSchema, ...authErrorResponses },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const conversation = await requireConversation(repos, caller.userId, request.params.id);
      const bot = await requireBot(repos, caller.userId, conversation.botId);
      const resumed = await repos.transaction(async (tx) => {
        const changed = await tx.conversations.resume(conversation.id);
        await tx.auditLog.record({
          workspaceId: bot.workspaceId,
          actor: caller.userId,
          action: 'conversation.resume',
          botId: bot.id,
          details: { conversation_id: conversation.id, was: conversation.control },
        });
        return changed;
      });
      await events.publish(controlEvent(bot, resumed, caller.userId));
      return respond(conversation.id);
    },
  );

  app.post(
    '/conversations/:id/messages',
    {
      schema: {
        tags,
        summary:
          "An operator's text or media message, sent through the bot's delivery path; hands the conversation over if it was not already",
        description:
          "JSON `{text}`, or `{media: {type, url, caption?, filename?}}` to send a file by link; or multipart/form-data with `type`, `caption?`, `filename?` and `file` to upload it (the worker uploads it to Meta at send time). Meta's limits apply per type: image JPEG/PNG ≤ 5 MB, video MP4/3GPP ≤ 16 MB, audio AAC/AMR/MP3/M4A/OGG ≤ 16 MB, document PDF/TXT/Office ≤ 100 MB; a caption (≤ 1024) on image, video and document only, a file name on documents only. 413 over the limit, 415 for a file type the media type does not allow, 400 for a bad form.",
        consumes: ['application/json', 'multipart/form-data'],
        params: conversationParamsSchema,
        body: operatorMessageBodySchema,
        response: {
          202: operatorMessageSchema,
          409: errorResponseSchema,
          413: errorResponseSchema,
          415: errorResponseSchema,
          503: errorResponseSchema,
          ...authErrorResponses,
        },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const { conversation, bot } = await requireSendableConversation(repos, caller.userId, request.params.id);
      const window = toWindowState(conversation.lastInboundAt);
      if (!window.open) {
        throw new ApiError(
          409,
          'window_closed',
          'the 24-hour customer-service window is closed; send a template instead',
          { window },
        );
      }
      // After the checks above, so that a refused send never stores a file.
      const media: OperatorMedia | null = request.isMultipart()
        ? await uploadedMedia(request, mediaFiles, bot.id)
        : request.body?.media
          ? linkedMedia(request.body.media)
          : null;
      const text = media?.text ?? request.body?.text;
      if (text === undefined) throw new ApiError(400, 'validation_failed', 'send exactly one of text or media');
      const stored = repos.transaction(async (tx) => {
        const created = await tx.conversations.createOperatorMessage({
          botId: bot.id,
          conversationId: conversation.id,
          text,
          userId: caller.userId,
          media: media ? { type: media.media.type, metadata: media.media } : undefined,
          upload: media?.upload,
        });
        const changed = await tx.conversations.handOff(conversation.id, {
          reason: conversation.control === 'bot' ? 'operator_message' : null,
          resumeAt: resumeAtFor(bot, created.createdAt),
        });
        if (conversation.control === 'bot') {
          await tx.auditLog.record({
            workspaceId: bot.workspaceId,
            actor: caller.userId,
            action: 'conversation.handoff',
            botId: bot.id,
            details: { conversation_id: conversation.id, reason: 'operator_message', was: 'bot' },
          });
        }
        await tx.auditLog.record({
          workspaceId: bot.workspaceId,
          actor: caller.userId,
          action: 'conversation.operator_message',
          botId: bot.id,
          details: { conversation_id: conversation.id, message_id: created.id },
        });
        return { message: created, handedOver: changed };
      });
      const { message, handedOver } = await stored.catch(async (error: unknown) => {
        if (media?.upload) await mediaFiles.remove(media.upload.storageKey);
        throw error;
      });
      await events.publish(
        messageCreatedEvent(bot, message),
        ...(conversation.control === 'bot' ? [controlEvent(bot, handedOver, caller.userId)] : []),
      );
      await scheduleResume(outbound, request.log, handedOver);
      if (conversation.control === 'bot') await settleInFlight(repos, conversation.id);
      let jobId: string;
      try {
        jobId = (
          await outbound.add(
            'send-message',
            { botId: bot.id, conversationId: conversation.id, messageId: message.id },
            { jobId: message.id },
          )
        ).id;
      } catch (err) {
        request.log.error({ err, messageId: message.id }, 'could not enqueue an operator message');
        await repos.conversations.markEnqueueFailed(message.id, 'the job queue was unavailable');
        throw new ApiError(503, 'queue_unavailable', 'could not queue the message; try again shortly');
      }
      return reply.code(202).send({
        message: toMessageResponse(message),
        job_id: jobId,
        conversation: await respond(conversation.id),
      });
    },
  );
}
