import { createHash, timingSafeEqual } from 'node:crypto';
import type { Repositories } from '@wabot/db';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, unauthorized } from '../domain/api-error.js';
import type { Caller, JwtVerifier } from './jwt-verifier.js';
import { hashOpaqueToken } from './opaque-token.js';
import { CSRF_COOKIE, CSRF_HEADER, clearSessionCookies, csrfTokenOf, SESSION_COOKIE } from './session-cookies.js';
import type { Sessions } from './sessions.js';

/** How a request proved who it is. */
type AuthMethod = 'session' | 'api_key' | 'jwt';

export interface Authentication {
  caller: Caller;
  method: AuthMethod;
  /** With `session`: the session (for logout) and its cookie token (for the CSRF check). */
  session?: { id: string; token: string };
}

/** Who a request is from, or null when it carries no credentials at all; 401 for bad ones. */
export type Authenticator = (request: FastifyRequest, reply: FastifyReply) => Promise<Authentication | null>;

/** `Authorization: Bearer wbk_...`: a personal API key, not a JWT. */
export const API_KEY_PREFIX = 'wbk_';
const API_KEY_BEARER = /^Bearer\s+(wbk_\S*)\s*$/i;
const API_KEY_FORMAT = /^wbk_[A-Za-z0-9_-]{20,200}$/;

/** An API key's last use is written at most this often. */
const LAST_USED_INTERVAL_MS = 60_000;

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `none`: a public route (no credentials read); `optional`: credentials used when sent. Default: required. */
    auth?: 'none' | 'optional';
  }
}

/**
 * The one authentication of /api: `Authorization: Bearer wbk_...` (an API key, looked up by its
 * hash), `Authorization: Bearer <JWT>` (exactly as before: HS256 or the identity provider's JWKS),
 * or the `wabot_session` cookie. The Authorization header wins when both are sent.
 */
export function createAuthenticator({
  verifyJwt,
  repositories: repos,
  sessions,
  secureCookies,
  now = () => new Date(),
}: {
  verifyJwt: JwtVerifier;
  repositories: Pick<Repositories, 'apiKeys'>;
  sessions: Sessions;
  secureCookies: boolean;
  now?: () => Date;
}): Authenticator {
  return async (request, reply) => {
    const authorization = request.headers.authorization;
    if (authorization) {
      const apiKey = API_KEY_BEARER.exec(authorization)?.[1];
      if (apiKey) {
        const key = API_KEY_FORMAT.test(apiKey) ? await repos.apiKeys.findByHash(hashOpaqueToken(apiKey)) : null;
        if (!key) throw unauthorized('API key is unknown or revoked');
        const at = now();
        if (!key.lastUsedAt || at.getTime() - key.lastUsedAt.getTime() >= LAST_USED_INTERVAL_MS)
          await repos.apiKeys.markUsed(key.id, at, new Date(at.getTime() - LAST_USED_INTERVAL_MS));
        return { caller: { userId: key.accountId }, method: 'api_key' };
      }
      return { caller: await verifyJwt(authorization), method: 'jwt' };
    }
    const token = request.cookies[SESSION_COOKIE];
    if (token) {
      const session = await sessions.resolve(token, reply);
      if (!session) {
        clearSessionCookies(reply, { secure: secureCookies });
        throw unauthorized('session expired or signed out; sign in again');
      }
      return { caller: { userId: session.account.id }, method: 'session', session: { id: session.id, token } };
    }
    return null;
  };
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Double-submit CSRF check of a cookie-authenticated change: the `x-csrf-token` header must equal
 * the `wabot_csrf` cookie, and both the value derived from this session's token.
 */
function checkCsrf(request: FastifyRequest, sessionToken: string): void {
  const header = request.headers[CSRF_HEADER];
  const cookie = request.cookies[CSRF_COOKIE];
  const expected = digest(csrfTokenOf(sessionToken));
  const ok = typeof header === 'string' && header === cookie && timingSafeEqual(digest(header), expected);
  if (!ok)
    throw new ApiError(
      403,
      'csrf_failed',
      `send the ${CSRF_COOKIE} cookie's value in the ${CSRF_HEADER} header with every change made with a session cookie`,
    );
}

/**
 * Adds the authentication hook to the /api scope: every route needs credentials unless its
 * config says `auth: 'none'` (public) or `'optional'`; a cookie-authenticated POST/PUT/PATCH/DELETE
 * also needs the CSRF header.
 */
export function registerAuthentication(api: FastifyInstance, authenticate: Authenticator): void {
  api.addHook('onRequest', async (request, reply) => {
    const mode = request.routeOptions.config.auth;
    if (mode === 'none') return;
    const authentication = await authenticate(request, reply);
    if (!authentication) {
      if (mode === 'optional') return;
      throw unauthorized(
        'missing bearer token: send "Authorization: Bearer <JWT or API key>", or sign in for a session cookie',
      );
    }
    if (authentication.session && UNSAFE_METHODS.has(request.method)) checkCsrf(request, authentication.session.token);
    request.auth = authentication;
    request.caller = authentication.caller;
  });
}
