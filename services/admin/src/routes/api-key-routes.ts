import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { API_KEY_PREFIX } from '../auth/authenticate.js';
import { hashOpaqueToken, newOpaqueToken } from '../auth/opaque-token.js';
import type { AdminDeps } from '../deps.js';
import { requireAccount } from '../domain/accounts.js';
import { notFound } from '../domain/api-error.js';
import { callerOf } from '../plugins/caller.js';
import { apiKeyParamsSchema, apiKeySchema, createApiKeyBodySchema, createdApiKeySchema } from '../schemas/auth.js';
import { authErrorResponses, errorResponseSchema, iso, isoOrNull } from '../schemas/common.js';

/** How much of a key the list shows: the prefix and 8 random characters. */
const SHOWN_LENGTH = API_KEY_PREFIX.length + 8;

/** Personal API keys for scripts: shown once at creation, stored as their SHA-256, revocable. */
export function registerApiKeyRoutes(root: FastifyInstance, deps: AdminDeps): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { repositories: repos } = deps;
  const tags = ['auth'];
  const accountErrors = { 403: errorResponseSchema, ...authErrorResponses };

  app.post(
    '/auth/api-keys',
    {
      schema: {
        tags,
        summary: 'Create a personal API key (the key is in this response only)',
        body: createApiKeyBodySchema,
        response: { 201: createdApiKeySchema, ...accountErrors },
      },
    },
    async (request, reply) => {
      const account = await requireAccount(repos, callerOf(request).userId);
      const key = newOpaqueToken(API_KEY_PREFIX);
      const created = await repos.apiKeys.create({
        accountId: account.id,
        name: request.body.name,
        prefix: key.slice(0, SHOWN_LENGTH),
        keyHash: hashOpaqueToken(key),
      });
      request.log.info({ api_key_id: created.id, user_id: account.id }, 'API key created');
      return reply.code(201).send({ id: created.id, name: created.name, key, created_at: iso(created.createdAt) });
    },
  );

  app.get(
    '/auth/api-keys',
    {
      schema: {
        tags,
        summary: "The caller's API keys (never the keys themselves)",
        response: { 200: z.array(apiKeySchema), ...accountErrors },
      },
    },
    async (request) => {
      // A bearer-JWT caller without an account simply has no keys.
      const account = await repos.accounts.findById(callerOf(request).userId);
      const keys = account ? await repos.apiKeys.listOf(account.id) : [];
      return keys.map((k) => ({
        id: k.id,
        name: k.name,
        prefix: k.prefix,
        created_at: iso(k.createdAt),
        last_used_at: isoOrNull(k.lastUsedAt),
      }));
    },
  );

  app.delete(
    '/auth/api-keys/:id',
    {
      schema: {
        tags,
        summary: 'Revoke an API key (requests with it get 401 at once)',
        params: apiKeyParamsSchema,
        response: { 204: z.null().describe('revoked'), ...accountErrors },
      },
    },
    async (request, reply) => {
      const account = await repos.accounts.findById(callerOf(request).userId);
      if (!account || !(await repos.apiKeys.delete(account.id, request.params.id))) throw notFound('API key');
      request.log.info({ api_key_id: request.params.id, user_id: account.id }, 'API key revoked');
      return reply.code(204).send(null);
    },
  );
}
