import type { FastifyRequest } from 'fastify';
import type { Authentication } from '../auth/authenticate.js';
import type { Caller } from '../auth/jwt-verifier.js';
import { unauthorized } from '../domain/api-error.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication hook on every /api route. */
    caller: Caller | null;
    /** How the caller authenticated (null on public routes and anonymous optional ones). */
    auth: Authentication | null;
  }
}

/** The authenticated caller of an /api request. */
export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw unauthorized('missing bearer token');
  return request.caller;
}
