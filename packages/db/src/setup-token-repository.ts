import type { DatabaseOrTransaction } from './create-database-client.js';

/** The first-owner setup token: one row, its SHA-256 only, valid until used. */
export function createSetupTokenRepository(db: DatabaseOrTransaction) {
  return {
    /** Replaces the token (a new start while no account exists) and makes it unused again. */
    async replace(tokenHash: string): Promise<void> {
      await db.setupToken.upsert({
        where: { id: 1 },
        create: { id: 1, tokenHash },
        update: { tokenHash, usedAt: null, createdAt: new Date() },
      });
    },

    /** `unused` with the token's hash, `used` once it was used, `none` when none was ever made. */
    async state(): Promise<{ kind: 'none' } | { kind: 'used' } | { kind: 'unused'; tokenHash: string }> {
      const row = await db.setupToken.findUnique({ where: { id: 1 } });
      if (!row) return { kind: 'none' };
      return row.usedAt ? { kind: 'used' } : { kind: 'unused', tokenHash: row.tokenHash };
    },

    /** Marks the token used when `tokenHash` is the unused one; false otherwise (wrong, or used meanwhile). */
    async use(tokenHash: string, now: Date): Promise<boolean> {
      const { count } = await db.setupToken.updateMany({
        where: { id: 1, tokenHash, usedAt: null },
        data: { usedAt: now },
      });
      return count === 1;
    },
  };
}

export type SetupTokenRepository = ReturnType<typeof createSetupTokenRepository>;
