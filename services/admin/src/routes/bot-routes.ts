import { createBotDiagnostics } from '@wabot/bot-registry';
import { deploymentEngineKey, parseDeploymentEngine } from '@wabot/contracts';
import type { BotChanges } from '@wabot/db';
import { maskSecret, SecretDecryptError } from '@wabot/secrets';
import { toWebhookUrl } from '@wabot/whatsapp';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AdminDeps } from '../deps.js';
import { changeBot } from '../domain/bot-changes.js';
import { toBotEngineInfo } from '../domain/bot-engine-info.js';
import { createBotId } from '../domain/bot-id.js';
import { keysetPage } from '../domain/keyset-pagination.js';
import { assertPhoneNumberFree } from '../domain/phone-number-guard.js';
import { requireBot, requireMembership } from '../domain/tenancy.js';
import { toBotResponse } from '../domain/to-api.js';
import { webhookUrlWarnings } from '../domain/webhook-url-warnings.js';
import { checkCredentials } from '../graph/check-credentials.js';
import { callerOf } from '../plugins/caller.js';
import {
  activationSchema,
  botDetailSchema,
  botListSchema,
  botParamsSchema,
  botSchema,
  createBotBodySchema,
  listBotsQuerySchema,
  updateBotBodySchema,
} from '../schemas/bot.js';
import { authErrorResponses, errorResponseSchema } from '../schemas/common.js';

const NO_APP_SECRET_WARNING =
  'No app_secret is set, so webhook signatures are not verified and anyone who knows the webhook URL can post fake messages. This is acceptable for development with test numbers only; set app_secret before going to production.';

/** Bots: create, list, read, update, soft-delete, activate, deactivate. */
export function registerBotRoutes(root: FastifyInstance, deps: AdminDeps): void {
  const diagnostics = createBotDiagnostics(deps.redis, deps.config.REDIS_PREFIX);
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { repositories: repos, secretBox, config } = deps;
  type BotRow = Parameters<typeof toBotResponse>[0];
  /** Bots as the API shows them, with their token totals (one query for the whole page). */
  const toResponses = async (bots: BotRow[]) => {
    const totals = await repos.conversations.usageTotalsOf(
      'bot',
      bots.map((bot) => bot.id),
    );
    return bots.map((bot) => toBotResponse(bot, config.webhookBaseUrl, totals.get(bot.id)));
  };
  const toResponse = async (bot: BotRow) => {
    const [response] = await toResponses([bot]);
    if (!response) throw new Error('bot response missing');
    return response;
  };
  const tags = ['bots'];

  app.post(
    '/bots',
    {
      schema: {
        tags,
        summary: 'Create a WhatsApp bot (inactive until activated)',
        body: createBotBodySchema,
        response: { 201: botSchema, 409: errorResponseSchema, ...authErrorResponses },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const body = request.body;
      const pc = body.platform_config;
      await requireMembership(repos, caller.userId, body.workspace_id);
      await assertPhoneNumberFree(repos.bots, pc.phone_number_id);
      const bot = await changeBot(
        deps,
        {
          actor: caller.userId,
          action: 'bot.create',
          details: (created) => ({ name: created.name, phone_number_id: created.phoneNumberId }),
        },
        (tx) =>
          tx.bots.create({
            id: createBotId(),
            workspaceId: body.workspace_id,
            name: body.name,
            platform: body.platform,
            systemPrompt: body.system_prompt,
            phoneNumberId: pc.phone_number_id,
            businessAccountId: pc.business_account_id ?? null,
            accessTokenCipher: secretBox.seal(pc.access_token),
            accessTokenHint: maskSecret(pc.access_token),
            verifyTokenCipher: secretBox.seal(pc.verify_token),
            verifyTokenHint: maskSecret(pc.verify_token),
            appSecretCipher: pc.app_secret ? secretBox.seal(pc.app_secret) : null,
            appSecretHint: maskSecret(pc.app_secret),
            settings: body.settings ?? {},
            llmApiKeyCipher: body.llm_api_key ? secretBox.seal(body.llm_api_key) : null,
            llmApiKeyHint: maskSecret(body.llm_api_key),
          }),
      );
      return reply.code(201).send(await toResponse(bot));
    },
  );

  app.get(
    '/bots',
    {
      schema: {
        tags,
        summary: "List the caller's bots, newest first",
        querystring: listBotsQuerySchema,
        response: { 200: botListSchema, ...authErrorResponses },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const { workspace_id: workspaceId, limit } = request.query;
      if (workspaceId) await requireMembership(repos, caller.userId, workspaceId);
      const page = keysetPage('createdAt', request.query.cursor, limit);
      const rows = await repos.bots.listLiveForMember(caller.userId, workspaceId, page);
      const { items, nextCursor } = page.toPage(rows);
      return { data: await toResponses(items), next_cursor: nextCursor };
    },
  );

  app.get(
    '/bots/:id',
    {
      schema: {
        tags,
        summary: 'One bot, with credential health and webhook diagnostics',
        params: botParamsSchema,
        response: { 200: botDetailSchema, ...authErrorResponses },
      },
    },
    async (request) => {
      const bot = await requireBot(repos, callerOf(request).userId, request.params.id);
      const [botDiagnostics, deployment] = await Promise.all([
        diagnostics.read(bot.id).catch((err: unknown) => {
          request.log.warn({ err, botId: bot.id }, 'bot diagnostics could not be read');
          return null;
        }),
        deps.redis.get(deploymentEngineKey(deps.config.REDIS_PREFIX)).then(parseDeploymentEngine, () => null),
      ]);
      const response = await toResponse(bot);
      return { ...response, diagnostics: botDiagnostics, engine: toBotEngineInfo(response.settings, deployment) };
    },
  );

  app.patch(
    '/bots/:id',
    {
      schema: {
        tags,
        summary: 'Update a bot; replacing access_token resets credential health to unknown',
        params: botParamsSchema,
        body: updateBotBodySchema,
        response: { 200: botSchema, 409: errorResponseSchema, ...authErrorResponses },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const current = await requireBot(repos, caller.userId, request.params.id);
      const body = request.body;
      const pc = body.platform_config ?? {};
      const data: BotChanges = {};
      const changed: string[] = [];
      if (body.name !== undefined) {
        data.name = body.name;
        changed.push('name');
      }
      if (body.system_prompt !== undefined) {
        data.systemPrompt = body.system_prompt;
        changed.push('system_prompt');
      }
      if (body.settings !== undefined) {
        data.settings = body.settings;
        changed.push('settings');
      }
      if (body.llm_api_key !== undefined) {
        data.llmApiKeyCipher = body.llm_api_key === null ? null : secretBox.seal(body.llm_api_key);
        data.llmApiKeyHint = maskSecret(body.llm_api_key);
        changed.push('llm_api_key');
      }
      if (pc.phone_number_id !== undefined && pc.phone_number_id !== current.phoneNumberId) {
        if (current.status === 'active') await assertPhoneNumberFree(repos.bots, pc.phone_number_id, current.id);
        data.phoneNumberId = pc.phone_number_id;
        changed.push('platform_config.phone_number_id');
      }
      if (pc.business_account_id !== undefined) {
        data.businessAccountId = pc.business_account_id;
        changed.push('platform_config.business_account_id');
      }
      if (pc.access_token !== undefined) {
        data.accessTokenCipher = secretBox.seal(pc.access_token);
        data.accessTokenHint = maskSecret(pc.access_token);
        // A new token has not been judged yet; the worker flags it again on Meta error 190.
        data.credentialsStatus = 'unknown';
        data.credentialsError = null;
        data.credentialsErrorCode = null;
        data.credentialsCheckedAt = null;
        changed.push('platform_config.access_token');
      }
      if (pc.verify_token !== undefined) {
        data.verifyTokenCipher = secretBox.seal(pc.verify_token);
        data.verifyTokenHint = maskSecret(pc.verify_token);
        changed.push('platform_config.verify_token');
      }
      if (pc.app_secret !== undefined) {
        data.appSecretCipher = pc.app_secret === null ? null : secretBox.seal(pc.app_secret);
        data.appSecretHint = maskSecret(pc.app_secret);
        changed.push('platform_config.app_secret');
      }
      const bot = await changeBot(
        deps,
        {
          actor: caller.userId,
          action: 'bot.update',
          details: () => ({ fields: changed }),
          phoneNumberId: pc.phone_number_id ?? current.phoneNumberId,
        },
        (tx) => tx.bots.update(current.id, data),
      );
      return toResponse(bot);
    },
  );

  app.delete(
    '/bots/:id',
    {
      schema: {
        tags,
        summary: 'Delete a bot (it stops answering at once; history is kept)',
        params: botParamsSchema,
        response: { 204: z.null().describe('deleted'), ...authErrorResponses },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const current = await requireBot(repos, caller.userId, request.params.id);
      await changeBot(
        deps,
        { actor: caller.userId, action: 'bot.delete', details: (deleted) => ({ name: deleted.name }) },
        (tx) => tx.bots.update(current.id, { deletedAt: new Date(), status: 'inactive' }),
      );
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/bots/:id/activate',
    {
      schema: {
        tags,
        summary: 'Activate a bot: returns the webhook URL to enter in the Meta portal and any warnings',
        params: botParamsSchema,
        response: { 200: activationSchema, 409: errorResponseSchema, ...authErrorResponses },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const current = await requireBot(repos, caller.userId, request.params.id);
      await assertPhoneNumberFree(repos.bots, current.phoneNumberId, current.id);

      const webhookUrl = toWebhookUrl(config.webhookBaseUrl, current.id);
      const warnings: string[] = webhookUrlWarnings(webhookUrl);
      if (!current.appSecretCipher) warnings.push(NO_APP_SECRET_WARNING);
      let credentials: BotChanges = {};
      let accessToken: string | undefined;
      try {
        accessToken = secretBox.open(current.accessTokenCipher);
      } catch (error) {
        if (!(error instanceof SecretDecryptError)) throw error;
        warnings.push(
          'The stored access token cannot be decrypted (was SECRETS_KEY changed?); set access_token again.',
        );
      }
      if (accessToken !== undefined) {
        const check = await checkCredentials({
          baseUrl: config.GRAPH_API_BASE_URL,
          version: config.GRAPH_API_VERSION,
          phoneNumberId: current.phoneNumberId,
          accessToken,
          timeoutMs: config.GRAPH_CHECK_TIMEOUT_MS,
        });
        warnings.push(...check.warnings);
        if (check.reached)
          credentials = {
            credentialsStatus: check.status,
            credentialsError: check.error,
            credentialsErrorCode: check.errorCode,
            credentialsCheckedAt: new Date(),
          };
      }

      const bot = await changeBot(
        deps,
        {
          actor: caller.userId,
          action: 'bot.activate',
          details: (updated) => ({ warnings: warnings.length, credentials_status: updated.credentialsStatus }),
          phoneNumberId: current.phoneNumberId,
        },
        (tx) => tx.bots.update(current.id, { status: 'active', ...credentials }),
      );
      if (warnings.length) request.log.info({ botId: bot.id, warnings }, 'bot activated with warnings');
      return {
        id: bot.id,
        status: 'active' as const,
        webhook_url: webhookUrl,
        manual_setup_required: true as const,
        warnings,
      };
    },
  );

  app.post(
    '/bots/:id/deactivate',
    {
      schema: {
        tags,
        summary: 'Deactivate a bot: it stops answering at once',
        params: botParamsSchema,
        response: { 200: botSchema, ...authErrorResponses },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const current = await requireBot(repos, caller.userId, request.params.id);
      const bot = await changeBot(deps, { actor: caller.userId, action: 'bot.deactivate' }, (tx) =>
        tx.bots.update(current.id, { status: 'inactive' }),
      );
      return toResponse(bot);
    },
  );
}
