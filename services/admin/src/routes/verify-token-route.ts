import { SecretDecryptError } from '@wabot/secrets';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AdminDeps } from '../deps.js';
import { ApiError } from '../domain/api-error.js';
import { requireBot } from '../domain/tenancy.js';
import { callerOf } from '../plugins/caller.js';
import { botParamsSchema } from '../schemas/bot.js';
import { authErrorResponses, errorResponseSchema } from '../schemas/common.js';

/**
 * The bot's verify token in clear, for a member to paste into Meta's "Verify and save": unlike the
 * access token and the app secret it is a value the user chose and must type elsewhere, so the
 * console can reveal it. Not cached; every other response still shows only its hint.
 */
export function registerVerifyTokenRoute(root: FastifyInstance, deps: AdminDeps): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/bots/:id/verify-token',
    {
      schema: {
        tags: ['bots'],
        summary: "The bot's verify token in clear (the value to enter in the Meta portal)",
        params: botParamsSchema,
        response: { 200: z.object({ verify_token: z.string() }), 409: errorResponseSchema, ...authErrorResponses },
      },
    },
    async (request, reply) => {
      const bot = await requireBot(deps.repositories, callerOf(request).userId, request.params.id);
      reply.header('cache-control', 'no-store');
      try {
        return { verify_token: deps.secretBox.open(bot.verifyTokenCipher) };
      } catch (error) {
        if (!(error instanceof SecretDecryptError)) throw error;
        throw new ApiError(
          409,
          'secret_unreadable',
          'the stored verify token cannot be decrypted (was SECRETS_KEY changed?); set verify_token again',
        );
      }
    },
  );
}
