import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ApiError } from '../domain/api-error.js';

interface ErrorBody {
  error: { code: string; message: string; details: Record<string, unknown> };
}

const errorBody = (code: string, message: string, details: Record<string, unknown> = {}): ErrorBody => ({
  error: { code, message, details },
});

interface FieldProblem {
  field: string;
  message: string;
}

const LOCATION_NAMES: Record<string, string> = {
  body: 'request body',
  querystring: 'query string',
  params: 'path parameters',
  headers: 'headers',
};

const instancePathParts = (instancePath: string) => instancePath.replace(/^\//, '').split('/').filter(Boolean);

/** `/platform_config/phone_number_id` → `platform_config.phone_number_id`; the root is the location itself. */
const fieldOf = (instancePath: string, location: string) => instancePathParts(instancePath).join('.') || location;

/** zod says "expected string, received undefined" for a missing field; people say "is required". */
const humanMessage = (message: string) => (/received undefined$/.test(message) ? 'is required' : message);

const fastifyCodes: Record<string, { code: string; message: string }> = {
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'invalid_body', message: 'request body is empty but content-type is JSON' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'unsupported_media_type',
    message: 'send JSON (content-type: application/json)',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'payload_too_large', message: 'request body is too large' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'invalid_body', message: 'content-length does not match the body' },
};

/**
 * The one error handler of the admin app: every failure becomes `{error:{code, message, details}}`.
 * Validation errors list each bad field; 5xx responses carry only the request id, the cause is logged.
 */
export function registerErrorHandler(
  app: FastifyInstance,
  options: {
    /** Answers what is not an API route first (the console's client routes); undefined passes. */
    notFound?: (request: FastifyRequest, reply: FastifyReply) => FastifyReply | undefined;
  } = {},
): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ApiError) {
      return reply.code(error.statusCode).send(errorBody(error.code, error.message, error.details));
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const location = error.validationContext ?? 'body';
      const fields: FieldProblem[] = [];
      const unknownFields: string[] = [];
      for (const issue of error.validation) {
        const keys = issue.keyword === 'unrecognized_keys' ? issue.params.keys : undefined;
        if (Array.isArray(keys)) {
          // One entry per unknown field, by its full path: `platform_config.status`, not the object.
          const parent = instancePathParts(issue.instancePath);
          for (const key of keys) {
            const field = [...parent, String(key)].join('.');
            unknownFields.push(field);
            fields.push({ field, message: 'is not a known field' });
          }
        } else
          fields.push({
            field: fieldOf(issue.instancePath, location),
            message: humanMessage(issue.message ?? 'is invalid'),
          });
      }
      const summary = fields.map((f) => `${f.field} ${f.message}`).join('; ');
      return reply.code(400).send(
        errorBody('validation_failed', `invalid ${LOCATION_NAMES[location] ?? location}: ${summary}`, {
          fields,
          ...(unknownFields.length > 0 ? { unknown_fields: unknownFields } : {}),
        }),
      );
    }
    const known = error.code ? fastifyCodes[error.code] : undefined;
    const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status < 500) {
      if (known) return reply.code(status).send(errorBody(known.code, known.message));
      if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY')
        return reply.code(400).send(errorBody('invalid_json', 'request body is not valid JSON'));
      if (status === 429) return reply.code(429).send(errorBody('rate_limited', error.message));
      return reply.code(status).send(errorBody(error.code?.toLowerCase() ?? 'bad_request', error.message));
    }
    request.log.error({ err: error }, 'request failed');
    return reply
      .code(500)
      .send(errorBody('internal_error', `internal error; quote request id ${request.id} when reporting it`));
  });

  app.setNotFoundHandler(
    (request, reply) =>
      options.notFound?.(request, reply) ??
      reply.code(404).send(errorBody('not_found', `no route ${request.method} ${request.url.split('?')[0]}`)),
  );
}
