import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AdminDeps } from '../deps.js';
import { notFound } from '../domain/api-error.js';
import { callerOf } from '../plugins/caller.js';
import { authErrorResponses } from '../schemas/common.js';

const messageParamsSchema = z.object({ id: z.uuid('must be a message id (uuid)') });

/**
 * `Content-Disposition` for a document: `attachment` with its file name (an ASCII fallback and the
 * RFC 5987 UTF-8 form), so a browser saves it rather than rendering whatever it claims to be.
 */
export function contentDisposition(kind: string, filename: string | null): string {
  if (kind !== 'document') return 'inline';
  if (!filename) return 'attachment';
  const fallback = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/** The files of inbound media messages (docs/contract.md, Media). */
export function registerMediaRoutes(root: FastifyInstance, deps: AdminDeps): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { repositories: repos, mediaStore } = deps;

  app.get(
    '/messages/:id/media',
    {
      schema: {
        tags: ['conversations'],
        summary:
          "The file of an inbound media message, with its MIME type (members of the message's workspace only; 404 when no file is stored)",
        params: messageParamsSchema,
        response: { 200: z.unknown().describe('the file (binary) with its MIME type'), ...authErrorResponses },
      },
    },
    async (request, reply) => {
      const media = await repos.media.findForMember(request.params.id, callerOf(request).userId);
      if (media?.status !== 'stored' || media.storeKey === null) throw notFound('media');
      const file = await mediaStore.open(media.storeKey);
      if (!file) throw notFound('media');
      return (
        reply
          .header('content-type', media.mimeType ?? file.contentType)
          .header('content-length', file.size)
          .header('content-disposition', contentDisposition(media.kind, media.filename))
          .header('x-content-type-options', 'nosniff')
          // What a user sent is never a page of ours: no scripts, even if its type says HTML or SVG.
          .header('content-security-policy', "default-src 'none'; sandbox")
          .header('cache-control', 'private, no-store')
          .send(file.body)
      );
    },
  );
}
