import { MEDIA_RULES, MEDIA_TYPES } from '@wabot/whatsapp';

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

const MB = 1024 * 1024;
const limits = MEDIA_TYPES.map((type) => `${type} ≤ ${MEDIA_RULES[type].maxBytes / MB} MB`).join(', ');

/**
 * The multipart/form-data form of `POST /api/conversations/{id}/messages` (an operator's upload),
 * which the route reads part by part and so has no zod schema: the generator would show the JSON
 * body under that content type. docs/contract.md has the same rules.
 */
const UPLOAD_FORM = {
  schema: {
    type: 'object',
    required: ['type', 'file'],
    properties: {
      type: { type: 'string', enum: [...MEDIA_TYPES], description: 'send it before file' },
      caption: { type: 'string', maxLength: 1024, description: 'image, video and document only' },
      filename: { type: 'string', maxLength: 240, description: "document only; default: the uploaded file's name" },
      file: {
        type: 'string',
        format: 'binary',
        description: `the file; its bytes must be one of the type's MIME types (${MEDIA_TYPES.map((type) => `${type}: ${MEDIA_RULES[type].mimeTypes.join(', ')}`).join('; ')}); at most ${limits}`,
      },
    },
  },
};

/** Puts the upload form under multipart/form-data of the operator message route. */
export function withOperatorUploadForm<T extends { paths?: object | undefined }>(document: T): T {
  const paths: unknown = document.paths;
  const route = isRecord(paths) ? paths['/api/conversations/{id}/messages'] : undefined;
  const post = isRecord(route) ? route.post : undefined;
  const body = isRecord(post) ? post.requestBody : undefined;
  if (isRecord(body) && isRecord(body.content)) body.content['multipart/form-data'] = UPLOAD_FORM;
  return document;
}
