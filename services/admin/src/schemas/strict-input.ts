import type { preValidationAsyncHookHandler, RouteOptions } from 'fastify';
import { z } from 'zod';
import { ApiError } from '../domain/api-error.js';

// Wrappers whose input is their inner schema's input.
const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'nonoptional', 'readonly', 'catch']);

/**
 * The same schema with every object in it strict: a key it does not declare is refused
 * (`unrecognized_keys`) instead of silently dropped, and the generated JSON Schema says
 * `additionalProperties: false`. Checks (refine), defaults and descriptions are kept. Records,
 * lazy (recursive JSON) schemas and objects declared with an explicit catch-all (`z.looseObject`)
 * stay open on purpose. Request bodies of the admin API go through it (app.ts, one hook), so no
 * route can forget; the schemas themselves stay shared with code that parses stored rows leniently.
 */
export function strictInput<T extends z.ZodType>(schema: T, seen = new WeakMap<z.ZodType, z.ZodType>()): T {
  const done = seen.get(schema);
  if (done) return done as T;
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
  const strict = (inner: unknown) => strictInput(inner as z.ZodType, seen);
  let next: Record<string, unknown> | null = null;
  if (def.type === 'object') {
    const shape = Object.fromEntries(
      Object.entries(def.shape as Record<string, z.ZodType>).map(([k, v]) => [k, strict(v)]),
    );
    next = { ...def, shape, catchall: def.catchall ?? z.never() };
  } else if (WRAPPERS.has(def.type)) next = { ...def, innerType: strict(def.innerType) };
  else if (def.type === 'array') next = { ...def, element: strict(def.element) };
  else if (def.type === 'union') next = { ...def, options: (def.options as z.ZodType[]).map(strict) };
  else if (def.type === 'intersection') next = { ...def, left: strict(def.left), right: strict(def.right) };
  else if (def.type === 'pipe') next = { ...def, in: strict(def.in) };
  if (!next) {
    seen.set(schema, schema);
    return schema;
  }
  const result = schema.clone(next as unknown as typeof schema._zod.def) as T;
  const { id: _id, ...meta } = z.globalRegistry.get(schema) ?? {};
  if (Object.keys(meta).length > 0) z.globalRegistry.add(result, meta);
  seen.set(schema, result);
  return result;
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A route without a body takes none: no body, `null` or `{}` (what clients send for "nothing"); anything else is a 400. */
const refuseBody: preValidationAsyncHookHandler = async (request) => {
  const { body } = request;
  if (body === undefined || body === null) return;
  if (typeof body === 'object' && !Array.isArray(body)) {
    const fields = Object.keys(body);
    if (fields.length === 0) return;
    throw new ApiError(
      400,
      'validation_failed',
      `invalid request body: ${fields.map((field) => `${field} is not a known field`).join('; ')}`,
      { fields: fields.map((field) => ({ field, message: 'is not a known field' })), unknown_fields: fields },
    );
  }
  throw new ApiError(400, 'validation_failed', 'invalid request body: this route takes no body', {
    fields: [{ field: 'request body', message: 'this route takes no body' }],
  });
};

/**
 * For a write route declared without a body schema (activate, deactivate, resume, retry,
 * deletes): a body with fields is refused like an unknown field, instead of silently ignored.
 */
export function refuseUndeclaredBody(route: RouteOptions): void {
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  if (!methods.some((method) => WRITES.has(method))) return;
  const existing = route.preValidation;
  const before = existing === undefined ? [] : Array.isArray(existing) ? existing : [existing];
  route.preValidation = [...before, refuseBody];
}
