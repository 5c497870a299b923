import type { FastifyInstance, preValidationAsyncHookHandler } from 'fastify';
import { z } from 'zod';
import { ApiError } from '../domain/api-error.js';
import { strictInput } from '../schemas/strict-input.js';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const unknownFields = (fields: string[]) =>
  new ApiError(
    400,
    'validation_failed',
    `invalid request body: ${fields.map((f) => `${f} is not a known field`).join('; ')}`,
    {
      fields: fields.map((field) => ({ field, message: 'is not a known field' })),
      unknown_fields: fields,
    },
  );

/** A route without a body takes none: no body, `null` or `{}` (what clients send for "nothing"); anything else is refused. */
const refuseBody: preValidationAsyncHookHandler = async (request) => {
  const { body } = request;
  if (body === undefined || body === null) return;
  if (typeof body === 'object' && !Array.isArray(body)) {
    const fields = Object.keys(body);
    if (fields.length > 0) throw unknownFields(fields);
    return;
  }
  throw new ApiError(400, 'validation_failed', 'invalid request body: this route takes no body', {
    fields: [{ field: 'request body', message: 'this route takes no body' }],
  });
};

/**
 * Strict request bodies for every route of the app, in this one place (docs/contract.md): a body
 * schema goes through {@link strictInput}, so an undeclared field — a typo, or one the client may
 * not set (id, status, workspace_id on update...) — is a 400 naming it and the OpenAPI document
 * says `additionalProperties: false`; a write route without a body schema refuses any field.
 * Register before the routes.
 */
export function registerStrictBodies(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const body = route.schema?.body;
    if (body instanceof z.ZodType) {
      route.schema = { ...route.schema, body: strictInput(body) };
      return;
    }
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (body === undefined && methods.some((method) => WRITES.has(method))) {
      const existing = route.preValidation;
      route.preValidation =
        existing === undefined ? [refuseBody] : [...(Array.isArray(existing) ? existing : [existing]), refuseBody];
    }
  });
}
