import { createHash } from 'node:crypto';
import type { FastifyReply } from 'fastify';

export const SESSION_COOKIE = 'wabot_session';
export const CSRF_COOKIE = 'wabot_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/**
 * The CSRF token of a session: derived from the session token (one-way), so a cookie planted by
 * another site or a sibling subdomain cannot match a session it does not know.
 */
export const csrfTokenOf = (sessionToken: string) =>
  createHash('sha256').update(`wabot-csrf:${sessionToken}`).digest('base64url');

interface CookieSettings {
  secure: boolean;
}

/** Sets `wabot_session` (httpOnly, SameSite=Lax) and its `wabot_csrf` (readable by the page, SameSite=Strict). */
export function setSessionCookies(
  reply: FastifyReply,
  sessionToken: string,
  { secure, maxAgeSeconds }: CookieSettings & { maxAgeSeconds: number },
): void {
  reply.setCookie(SESSION_COOKIE, sessionToken, {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
    maxAge: maxAgeSeconds,
  });
  reply.setCookie(CSRF_COOKIE, csrfTokenOf(sessionToken), {
    httpOnly: false,
    sameSite: 'strict',
    secure,
    path: '/',
    maxAge: maxAgeSeconds,
  });
}

/** Expires both session cookies in the browser. */
export function clearSessionCookies(reply: FastifyReply, { secure }: CookieSettings): void {
  reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure, path: '/' });
  reply.clearCookie(CSRF_COOKIE, { httpOnly: false, sameSite: 'strict', secure, path: '/' });
}
