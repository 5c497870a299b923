import type { DatabaseOrTransaction } from './create-database-client.js';
import type { Prisma } from './generated/prisma/client.js';
import type { BotModel } from './generated/prisma/models.js';
import { type KeysetPage, keysetArgs } from './keyset-page.js';

/** A new bot row: credentials already sealed (packages/secrets), never plaintext. */
export type NewBot = Prisma.BotUncheckedCreateInput;

/** Columns a change may set; `version` is bumped by {@link BotRepository.update} itself. */
export type BotChanges = Omit<Prisma.BotUncheckedUpdateInput, 'id' | 'workspaceId' | 'version' | 'createdAt'>;

/** The sealed credentials of a bot, for key rotation. */
export interface BotCiphers {
  id: string;
  version: number;
  accessTokenCipher: string;
  appSecretCipher: string | null;
  verifyTokenCipher: string;
  llmApiKeyCipher: string | null;
}

const liveForMember = (userId: string) =>
  ({ deletedAt: null, workspace: { memberships: { some: { userId } } } }) satisfies Prisma.BotWhereInput;

/** Bots: their configuration, sealed credentials, credential health and version. */
export function createBotRepository(db: DatabaseOrTransaction) {
  return {
    /** The bot unless it does not exist or was deleted. */
    findLive(id: string): Promise<BotModel | null> {
      return db.bot.findFirst({ where: { id, deletedAt: null } });
    },

    /** The live bot if it belongs to one of `userId`'s workspaces, else null. */
    findLiveForMember(id: string, userId: string): Promise<BotModel | null> {
      return db.bot.findFirst({ where: { id, ...liveForMember(userId) } });
    },

    /** One page of the live bots of `userId`'s workspaces (of one when `workspaceId` is set), newest first. */
    listLiveForMember(userId: string, workspaceId: string | undefined, page: KeysetPage): Promise<BotModel[]> {
      const args = keysetArgs('createdAt', page);
      return db.bot.findMany({
        where: { ...liveForMember(userId), ...(workspaceId ? { workspaceId } : {}), ...args.where },
        orderBy: args.orderBy,
        take: args.take,
      });
    },

    /** Ids of every live bot of `userId`'s workspaces. */
    async liveIdsForMember(userId: string): Promise<string[]> {
      const rows = await db.bot.findMany({ where: liveForMember(userId), select: { id: true } });
      return rows.map((row) => row.id);
    },

    /** The id of the live, active bot of `workspaceId` that answers for this phone number id, if any. */
    async findActiveIdByPhoneNumber(workspaceId: string, phoneNumberId: string): Promise<string | null> {
      const row = await db.bot.findFirst({
        where: { workspaceId, phoneNumberId, status: 'active', deletedAt: null },
        select: { id: true },
      });
      return row?.id ?? null;
    },

    /** True when a live, active bot (other than `exceptBotId`) answers for this phone number id. */
    async isPhoneNumberActive(phoneNumberId: string, exceptBotId?: string): Promise<boolean> {
      const taken = await db.bot.findFirst({
        where: {
          phoneNumberId,
          status: 'active',
          deletedAt: null,
          ...(exceptBotId ? { id: { not: exceptBotId } } : {}),
        },
        select: { id: true },
      });
      return taken !== null;
    },

    /** Inserts a bot; resolves with the stored row. */
    create(bot: NewBot): Promise<BotModel> {
      return db.bot.create({ data: bot });
    },

    /** Applies `changes` and bumps `version` (caches key on it); resolves with the stored row. */
    update(id: string, changes: BotChanges): Promise<BotModel> {
      return db.bot.update({ where: { id }, data: { ...changes, version: { increment: 1 } } });
    },

    /** The sealed credentials of every bot, deleted ones included. */
    listCiphers(): Promise<BotCiphers[]> {
      return db.bot.findMany({
        select: {
          id: true,
          version: true,
          accessTokenCipher: true,
          appSecretCipher: true,
          verifyTokenCipher: true,
          llmApiKeyCipher: true,
        },
      });
    },

    /**
     * Replaces the sealed credentials (bumping `version`) only if the bot is still at `version`.
     * Returns whether it did.
     */
    async resealIfUnchanged(
      id: string,
      version: number,
      ciphers: Pick<BotCiphers, 'accessTokenCipher' | 'appSecretCipher' | 'verifyTokenCipher' | 'llmApiKeyCipher'>,
    ): Promise<boolean> {
      const updated = await db.bot.updateMany({
        where: { id, version },
        data: { ...ciphers, version: { increment: 1 } },
      });
      return updated.count === 1;
    },

    /**
     * Flags the bot's credentials as invalid unless the bot changed since `version` (its token may
     * have been replaced meanwhile). Returns the new version, or null when nothing was flagged.
     */
    async flagCredentialsInvalid(
      id: string,
      version: number,
      failure: { code: number; message: string },
    ): Promise<number | null> {
      const result = await db.bot.updateMany({
        where: { id, version, credentialsStatus: { not: 'invalid' } },
        data: {
          credentialsStatus: 'invalid',
          credentialsError: failure.message.slice(0, 1000),
          credentialsErrorCode: failure.code,
          credentialsCheckedAt: new Date(),
          version: { increment: 1 },
        },
      });
      return result.count > 0 ? version + 1 : null;
    },
  };
}

export type BotRepository = ReturnType<typeof createBotRepository>;
