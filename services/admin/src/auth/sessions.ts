import type { AccountModel, Repositories } from '@wabot/db';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { hashOpaqueToken, newOpaqueToken } from './opaque-token.js';
import { clearSessionCookies, SESSION_COOKIE, setSessionCookies } from './session-cookies.js';

/** A session's expiry slides forward at most this often (one write a minute, not one a request). */
const TOUCH_INTERVAL_MS = 60_000;

interface LiveSession {
  id: string;
  account: AccountModel;
}

export interface Sessions {
  /**
   * Starts a session of the account and sets its cookies on `reply`; a session the browser still
   * held (another sign-in on the same browser) ends, so no old token outlives its cookie.
   */
  start(request: FastifyRequest, reply: FastifyReply, accountId: string): Promise<void>;
  /** The live session of a cookie token, its expiry slid forward (cookies re-set when it was); null when none. */
  resolve(token: string, reply: FastifyReply): Promise<LiveSession | null>;
  /** Ends one session and clears the cookies. */
  end(reply: FastifyReply, sessionId: string): Promise<void>;
  /** Ends every session of the account (clears this browser's cookies too). */
  endAll(reply: FastifyReply, accountId: string): Promise<void>;
}

/** Browser sessions: a random token in the cookie, its SHA-256 in PostgreSQL, a sliding expiry. */
export function createSessions(
  repos: Pick<Repositories, 'sessions'>,
  { ttlHours, secure, now = () => new Date() }: { ttlHours: number; secure: boolean; now?: () => Date },
): Sessions {
  const ttlMs = ttlHours * 3_600_000;
  const cookieSettings = { secure, maxAgeSeconds: Math.floor(ttlMs / 1000) };
  return {
    async start(request, reply, accountId) {
      const previous = request.cookies[SESSION_COOKIE];
      if (previous) await repos.sessions.deleteByTokenHash(hashOpaqueToken(previous));
      const token = newOpaqueToken();
      const at = now();
      await repos.sessions.deleteExpiredOf(accountId, at);
      await repos.sessions.create(accountId, hashOpaqueToken(token), new Date(at.getTime() + ttlMs));
      setSessionCookies(reply, token, cookieSettings);
    },
    async resolve(token, reply) {
      const at = now();
      const session = await repos.sessions.findLive(hashOpaqueToken(token), at);
      if (!session) return null;
      if (at.getTime() - session.lastSeenAt.getTime() >= TOUCH_INTERVAL_MS) {
        const slid = await repos.sessions.touch(
          session.id,
          at,
          new Date(at.getTime() + ttlMs),
          new Date(at.getTime() - TOUCH_INTERVAL_MS),
        );
        if (slid) setSessionCookies(reply, token, cookieSettings);
      }
      return { id: session.id, account: session.account };
    },
    async end(reply, sessionId) {
      await repos.sessions.delete(sessionId);
      clearSessionCookies(reply, { secure });
    },
    async endAll(reply, accountId) {
      await repos.sessions.deleteAllOf(accountId);
      clearSessionCookies(reply, { secure });
    },
  };
}
