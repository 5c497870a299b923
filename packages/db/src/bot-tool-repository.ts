import type { DatabaseOrTransaction, JsonInput } from './create-database-client.js';
import type { Prisma } from './generated/prisma/client.js';
import type { BotToolModel } from './generated/prisma/models.js';

/** A new HTTP tool row: header values already sealed (packages/secrets), never plaintext. */
export type NewBotTool = Prisma.BotToolUncheckedCreateInput;

/** Columns a change may set. */
export type BotToolChanges = Omit<Prisma.BotToolUncheckedUpdateInput, 'id' | 'botId' | 'createdAt'>;

/** The sealed header values of a tool, for key rotation. */
export interface BotToolHeaders {
  id: string;
  botId: string;
  headers: unknown;
  updatedAt: Date;
}

/** HTTP tools of bots (`bot_tools`): what the engine offers the model, header values sealed. */
export function createBotToolRepository(db: DatabaseOrTransaction) {
  return {
    /** The bot's tools, by name. */
    listByBot(botId: string): Promise<BotToolModel[]> {
      return db.botTool.findMany({ where: { botId }, orderBy: { name: 'asc' } });
    },

    /** The tool if it belongs to the bot, else null. */
    findInBot(botId: string, toolId: string): Promise<BotToolModel | null> {
      return db.botTool.findFirst({ where: { id: toolId, botId } });
    },

    countByBot(botId: string): Promise<number> {
      return db.botTool.count({ where: { botId } });
    },

    /** Inserts a tool (a unique violation on `name` when the bot has one of that name). */
    create(tool: NewBotTool): Promise<BotToolModel> {
      return db.botTool.create({ data: tool });
    },

    /** Applies `changes`; resolves with the stored row. */
    update(id: string, changes: BotToolChanges): Promise<BotToolModel> {
      return db.botTool.update({ where: { id }, data: changes });
    },

    /** Deletes the tool (its recorded calls stay, by name); resolves with the deleted row. */
    delete(id: string): Promise<BotToolModel> {
      return db.botTool.delete({ where: { id } });
    },

    /** The sealed headers of every tool. */
    listHeaders(): Promise<BotToolHeaders[]> {
      return db.botTool.findMany({ select: { id: true, botId: true, headers: true, updatedAt: true } });
    },

    /** Replaces the sealed headers only if the tool is unchanged since `updatedAt`. Returns whether it did. */
    async replaceHeadersIfUnchanged(id: string, updatedAt: Date, headers: JsonInput): Promise<boolean> {
      const updated = await db.botTool.updateMany({ where: { id, updatedAt }, data: { headers } });
      return updated.count === 1;
    },
  };
}

export type BotToolRepository = ReturnType<typeof createBotToolRepository>;
