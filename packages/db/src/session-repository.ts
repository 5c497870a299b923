import type { DatabaseOrTransaction } from './create-database-client.js';
import type { AccountModel, SessionModel } from './generated/prisma/models.js';

/** Browser sessions, found by the SHA-256 of their cookie token (the token itself is never stored). */
export function createSessionRepository(db: DatabaseOrTransaction) {
  return {
    create(accountId: string, tokenHash: string, expiresAt: Date): Promise<SessionModel> {
      return db.session.create({ data: { accountId, tokenHash, expiresAt } });
    },

    /** The unexpired session with this token hash, with its account; null otherwise. */
    findLive(tokenHash: string, now: Date): Promise<(SessionModel & { account: AccountModel }) | null> {
      return db.session.findFirst({ where: { tokenHash, expiresAt: { gt: now } }, include: { account: true } });
    },

    /**
     * Slides the expiry forward to `expiresAt` when the session was last seen before `seenBefore`
     * (so a busy session is written at most once per interval); true when it was.
     */
    async touch(id: string, now: Date, expiresAt: Date, seenBefore: Date): Promise<boolean> {
      const { count } = await db.session.updateMany({
        where: { id, lastSeenAt: { lt: seenBefore }, expiresAt: { gt: now } },
        data: { lastSeenAt: now, expiresAt },
      });
      return count === 1;
    },

    async delete(id: string): Promise<void> {
      await db.session.deleteMany({ where: { id } });
    },

    /** Ends the session with this token hash, if any. */
    async deleteByTokenHash(tokenHash: string): Promise<void> {
      await db.session.deleteMany({ where: { tokenHash } });
    },

    /** Ends every session of the account; the number ended. */
    async deleteAllOf(accountId: string): Promise<number> {
      return (await db.session.deleteMany({ where: { accountId } })).count;
    },

    /** Deletes the account's sessions that expired before `before` (each sign-in tidies up its own); the number deleted. */
    async deleteExpiredOf(accountId: string, before: Date): Promise<number> {
      return (await db.session.deleteMany({ where: { accountId, expiresAt: { lt: before } } })).count;
    },
  };
}

export type SessionRepository = ReturnType<typeof createSessionRepository>;
