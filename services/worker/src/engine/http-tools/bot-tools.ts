import type { Database } from '@wabot/db';
import {
  type HttpToolRunner,
  type StoredToolHeaders,
  storedToolHeadersSchema,
  type ToolResult,
} from '@wabot/http-tools';
import type { Logger } from '@wabot/logger';
import type { SecretBox } from '@wabot/secrets';

/** One call of a tool, as the turn records it. */
export interface ToolCall extends ToolResult {
  /** The bot_tools row called (null when the tool is gone by the time the call is recorded). */
  toolId: string | null;
}

/** An HTTP tool as the engine offers it to the model. */
export interface ToolDefinition {
  toolId: string;
  /** Function name (^[a-zA-Z0-9_-]{1,64}$, never a built-in action's). */
  name: string;
  description: string;
  /** JSON Schema (an object schema) of the arguments. */
  parameters: Record<string, unknown>;
  /**
   * Calls the tool with the model's arguments. Resolves for every outcome, failures included
   * (give the model `toToolOutput(call)` either way); rejects only when `signal` aborts.
   */
  run(args: unknown, signal?: AbortSignal): Promise<ToolCall>;
}

/** The turn a call belongs to: the bot and the id of the turn's last inbound message. */
export interface TurnRef {
  botId: string;
  turnId: string;
}

export interface BotTools {
  /** The bot's HTTP tools, by name, with their header values opened (in this process only). */
  loadBotTools(botId: string): Promise<ToolDefinition[]>;
  /**
   * Stores the calls made for a turn. Never rejects: a failure is logged and resolves false, so
   * a reply is never retried (and its tools called again) because the record could not be written.
   */
  recordToolCalls(turn: TurnRef, calls: readonly ToolCall[]): Promise<boolean>;
}

export interface BotToolsDeps {
  db: Database;
  secretBox: SecretBox;
  runner: HttpToolRunner;
  logger: Logger;
}

const MAX_ERROR_CHARS = 1_000;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Stored headers opened; null when one of them cannot be (SECRETS_KEY changed without SECRETS_KEY_PREVIOUS). */
function openHeaders(secretBox: SecretBox, stored: StoredToolHeaders): Record<string, string> | null {
  try {
    return Object.fromEntries(Object.entries(stored).map(([name, { cipher }]) => [name, secretBox.open(cipher)]));
  } catch {
    return null;
  }
}

/**
 * The engine's access to a bot's HTTP tools: loading them (header values decrypted here, in the
 * worker, and never logged) as definitions that call through the guarded runner, and recording
 * every call on its turn (`tool_calls`).
 */
export function createBotTools(deps: BotToolsDeps): BotTools {
  const { db, secretBox, runner, logger } = deps;

  return {
    async loadBotTools(botId) {
      const rows = await db.botTool.findMany({ where: { botId }, orderBy: { name: 'asc' } });
      return rows.map((row): ToolDefinition => {
        const parameters = isRecord(row.parameters) ? row.parameters : {};
        const stored = storedToolHeadersSchema.safeParse(row.headers);
        const headers = stored.success ? openHeaders(secretBox, stored.data) : null;
        if (headers === null)
          logger.warn({ botId, toolId: row.id, tool: row.name }, 'tool headers cannot be decrypted; calls will fail');
        const spec = {
          name: row.name,
          url: row.url,
          method: row.method,
          parameters,
          headers: headers ?? {},
          timeoutMs: row.timeoutMs,
          maxResponseBytes: row.maxResponseBytes,
        };
        return {
          toolId: row.id,
          name: row.name,
          description: row.description,
          parameters,
          async run(args, signal) {
            if (headers === null) {
              // Calling without its credentials would only earn an opaque 401: say what is wrong.
              const argumentsBytes = Buffer.byteLength(JSON.stringify(args ?? {}));
              return {
                toolId: row.id,
                tool: row.name,
                ok: false,
                outcome: 'unavailable',
                status: null,
                body: '',
                truncated: false,
                durationMs: 0,
                argumentsBytes,
                error: 'the tool is unavailable: its stored credentials cannot be decrypted',
                at: new Date(),
              };
            }
            return { ...(await runner.run(spec, args, signal)), toolId: row.id };
          },
        };
      });
    },

    async recordToolCalls(turn, calls) {
      if (calls.length === 0) return true;
      try {
        await db.toolCall.createMany({
          data: calls.map((call) => ({
            botId: turn.botId,
            turnId: turn.turnId,
            toolId: call.toolId,
            toolName: call.tool,
            argumentsBytes: call.argumentsBytes,
            status: call.outcome,
            httpStatus: call.status,
            durationMs: call.durationMs,
            error: call.error === undefined ? null : call.error.slice(0, MAX_ERROR_CHARS),
            createdAt: call.at,
          })),
        });
        return true;
      } catch (err) {
        logger.error(
          { err, botId: turn.botId, turnId: turn.turnId, calls: calls.length },
          'could not record tool calls',
        );
        return false;
      }
    },
  };
}
