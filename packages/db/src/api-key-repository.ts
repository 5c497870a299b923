import type { DatabaseOrTransaction } from './create-database-client.js';
import type { AccountModel, ApiKeyModel } from './generated/prisma/models.js';

export interface NewApiKey {
  accountId: string;
  name: string;
  prefix: string;
  keyHash: string;
}

/** Personal API keys, found by the SHA-256 of the key (the key itself is never stored). */
export function createApiKeyRepository(db: DatabaseOrTransaction) {
  return {
    create(key: NewApiKey): Promise<ApiKeyModel> {
      return db.apiKey.create({ data: key });
    },

    /** The key with this hash and its account, or null (revoked keys are deleted). */
    findByHash(keyHash: string): Promise<(ApiKeyModel & { account: AccountModel }) | null> {
      return db.apiKey.findUnique({ where: { keyHash }, include: { account: true } });
    },

    /** The account's keys, newest first. */
    listOf(accountId: string): Promise<ApiKeyModel[]> {
      return db.apiKey.findMany({ where: { accountId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
    },

    /** Records a use at `now` unless one was recorded after `usedAfter` (one write a minute, not one a request). */
    async markUsed(id: string, now: Date, usedAfter: Date): Promise<void> {
      await db.apiKey.updateMany({
        where: { id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: usedAfter } }] },
        data: { lastUsedAt: now },
      });
    },

    /** Revokes (deletes) one of the account's keys; false when it has no such key. */
    async delete(accountId: string, id: string): Promise<boolean> {
      return (await db.apiKey.deleteMany({ where: { id, accountId } })).count === 1;
    },
  };
}

export type ApiKeyRepository = ReturnType<typeof createApiKeyRepository>;
