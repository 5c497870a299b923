import type { DatabaseOrTransaction } from './create-database-client.js';
import type { ToolCallStatus } from './generated/prisma/enums.js';
import type { ToolCallModel } from './generated/prisma/models.js';
import { type KeysetPage, keysetArgs } from './keyset-page.js';

/** One call of an HTTP tool made while generating a turn's reply. */
export interface NewToolCall {
  /** Null when the tool row is gone. */
  toolId: string | null;
  toolName: string;
  argumentsBytes: number;
  status: ToolCallStatus;
  httpStatus: number | null;
  durationMs: number;
  error: string | null;
  at: Date;
}

export interface ToolCallFilter {
  turnId?: string | undefined;
  toolId?: string | undefined;
  status?: ToolCallStatus | undefined;
}

/** The record of HTTP tool calls (`tool_calls`), per turn. */
export function createToolCallRepository(db: DatabaseOrTransaction) {
  return {
    /**
     * Stores the calls of one turn (`turnId`: the id of its last inbound message; a foreign key, so
     * an unknown id is refused).
     */
    async record(turn: { botId: string; turnId: string }, calls: readonly NewToolCall[]): Promise<void> {
      if (calls.length === 0) return;
      await db.toolCall.createMany({
        data: calls.map((call) => ({
          botId: turn.botId,
          turnId: turn.turnId,
          toolId: call.toolId,
          toolName: call.toolName,
          argumentsBytes: call.argumentsBytes,
          status: call.status,
          httpStatus: call.httpStatus,
          durationMs: call.durationMs,
          error: call.error,
          createdAt: call.at,
        })),
      });
    },

    /** One page of the bot's calls, newest first, narrowed by `filter`. */
    listByBot(botId: string, filter: ToolCallFilter, page: KeysetPage): Promise<ToolCallModel[]> {
      const args = keysetArgs('createdAt', page);
      return db.toolCall.findMany({
        where: {
          botId,
          ...(filter.turnId ? { turnId: filter.turnId } : {}),
          ...(filter.toolId ? { toolId: filter.toolId } : {}),
          ...(filter.status ? { status: filter.status } : {}),
          ...args.where,
        },
        orderBy: args.orderBy,
        take: args.take,
      });
    },
  };
}

export type ToolCallRepository = ReturnType<typeof createToolCallRepository>;
