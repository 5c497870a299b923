import type { BotToolRepository, ToolCallRepository } from '@wabot/db';
import {
  type HttpToolRunner,
  type HttpToolSpec,
  type StoredToolHeaders,
  storedToolHeadersSchema,
  type ToolResult,
  toToolOutput,
} from '@wabot/http-tools';
import type { Logger } from '@wabot/logger';
import type { SecretBox } from '@wabot/secrets';

/** One call of a tool, as the turn records it. */
export interface ToolCall extends ToolResult {
  /** The bot_tools row called (null when the tool is gone by the time the call is recorded). */
  toolId: string | null;
}

/**
 * A failed tool call; its message is what the model is told (the engine answers it `{error}`),
 * e.g. `the tool answered HTTP 404: {"error":"no such order"}`.
 */
export class ToolCallFailed extends Error {
  constructor(readonly call: ToolCall) {
    super(failureText(call));
    this.name = 'ToolCallFailed';
  }
}

/** An HTTP tool as the engine offers it to the model (the engine's `ToolDefinition` shape). */
interface HttpToolDefinition {
  toolId: string;
  /** Function name (^[a-zA-Z0-9_-]{1,64}$, never a WhatsApp action's). */
  name: string;
  description: string;
  /** JSON Schema (an object schema) of the arguments; the runner validates them, not the SDK. */
  parameters: Record<string, unknown>;
  /**
   * Calls the tool with the model's arguments: resolves with what the model is given
   * (`{status, body, truncated?}`), rejects with {@link ToolCallFailed} when the call failed and
   * with `signal`'s reason when the turn was superseded. Every call lands in the toolset's `calls`.
   */
  run(args: unknown, signal?: AbortSignal): Promise<Record<string, unknown>>;
  /** The same call, resolving with the whole {@link ToolCall} for every outcome (rejects only on abort). */
  call(args: unknown, signal?: AbortSignal): Promise<ToolCall>;
}

/** A bot's HTTP tools for one turn, and the calls made through them. */
interface TurnToolset {
  /** By name; pass them to the engine (EngineRequest.tools). */
  definitions: HttpToolDefinition[];
  /** Every call made through `definitions`, in the order they finished: for {@link BotTools.recordToolCalls}. */
  readonly calls: readonly ToolCall[];
}

/** The turn a call belongs to: the bot and the id of the turn's last inbound message. */
interface TurnRef {
  botId: string;
  turnId: string;
}

/** The bot a turn's tools are loaded for: its id and the version its tools were read at. */
interface BotRef {
  id: string;
  /** Bumped by every change of the bot or of one of its tools (docs/contract.md, HTTP tools). */
  version: number;
}

export interface BotTools {
  /**
   * The bot's HTTP tools for one turn, with their header values opened (in this process only).
   * Read from PostgreSQL once per bot version: a tool change bumps the bot's version.
   */
  loadBotTools(bot: BotRef): Promise<TurnToolset>;
  /**
   * Stores the calls made for a turn. Never rejects: a failure is logged and resolves false, so
   * a reply is never retried (and its tools called again) because the record could not be written.
   */
  recordToolCalls(turn: TurnRef, calls: readonly ToolCall[]): Promise<boolean>;
}

export interface BotToolsDeps {
  tools: Pick<BotToolRepository, 'listByBot'>;
  toolCalls: Pick<ToolCallRepository, 'record'>;
  secretBox: SecretBox;
  runner: HttpToolRunner;
  logger: Logger;
}

const MAX_ERROR_CHARS = 1_000;
/** Bots whose tools one worker keeps (the oldest read is dropped first). */
const CACHED_BOTS = 5_000;
/** How much of a failing tool's answer the model is told. */
const MAX_FAILURE_BODY_CHARS = 2_000;

function failureText(call: ToolCall): string {
  const error = call.error ?? 'the tool call failed';
  const body = call.body.trim();
  if (!body) return error;
  return `${error}: ${body.length > MAX_FAILURE_BODY_CHARS ? `${body.slice(0, MAX_FAILURE_BODY_CHARS)}…` : body}`;
}

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

/** A stored tool as a turn offers it, its header values opened (or not, when no key opens them). */
interface StoredTool {
  toolId: string;
  description: string;
  spec: HttpToolSpec & { parameters: Record<string, unknown> };
  headersOpened: boolean;
}

/** The result of a tool that cannot be called as stored: said to the model, never sent anywhere. */
const unavailableCall = (spec: HttpToolSpec, toolId: string, args: unknown): ToolCall => ({
  toolId,
  tool: spec.name,
  ok: false,
  outcome: 'unavailable',
  status: null,
  body: '',
  truncated: false,
  durationMs: 0,
  argumentsBytes: Buffer.byteLength(JSON.stringify(args ?? {})),
  error: 'the tool is unavailable: its stored credentials cannot be decrypted',
  at: new Date(),
});

/**
 * The engine's access to a bot's HTTP tools: loading them per turn (header values decrypted here,
 * in the worker, and never logged) as definitions that call through the guarded runner and
 * collect their calls, and recording those calls on the turn (`tool_calls`).
 */
export function createBotTools(deps: BotToolsDeps): BotTools {
  const { secretBox, runner, logger } = deps;
  const cache = new Map<string, { version: number; specs: Promise<StoredTool[]> }>();

  const readToolSpecs = async (botId: string): Promise<StoredTool[]> =>
    (await deps.tools.listByBot(botId)).map((row) => {
      const parameters = isRecord(row.parameters) ? row.parameters : {};
      const stored = storedToolHeadersSchema.safeParse(row.headers);
      const headers = stored.success ? openHeaders(secretBox, stored.data) : null;
      if (headers === null)
        logger.warn({ botId, toolId: row.id, tool: row.name }, 'tool headers cannot be decrypted; calls will fail');
      return {
        toolId: row.id,
        description: row.description,
        headersOpened: headers !== null,
        spec: {
          name: row.name,
          url: row.url,
          method: row.method,
          parameters,
          headers: headers ?? {},
          timeoutMs: row.timeoutMs,
          maxResponseBytes: row.maxResponseBytes,
        },
      };
    });

  /** The bot's tools at `bot.version`: read once per version, a failed read is not kept. */
  const toolSpecsOf = (bot: BotRef): Promise<StoredTool[]> => {
    const cached = cache.get(bot.id);
    if (cached && cached.version === bot.version) return cached.specs;
    const specs = readToolSpecs(bot.id);
    cache.delete(bot.id);
    cache.set(bot.id, { version: bot.version, specs });
    if (cache.size > CACHED_BOTS) {
      const oldest = cache.keys().next();
      if (!oldest.done) cache.delete(oldest.value);
    }
    specs.catch(() => {
      if (cache.get(bot.id)?.specs === specs) cache.delete(bot.id);
    });
    return specs;
  };

  return {
    async loadBotTools(bot) {
      const specs = await toolSpecsOf(bot);
      const calls: ToolCall[] = [];
      const definitions = specs.map(({ toolId, spec, description, headersOpened }): HttpToolDefinition => {
        // Calling without its credentials would only earn an opaque 401: say what is wrong instead.
        const call = async (args: unknown, signal?: AbortSignal): Promise<ToolCall> => {
          const made = headersOpened
            ? { ...(await runner.run(spec, args, signal)), toolId }
            : unavailableCall(spec, toolId, args);
          calls.push(made);
          return made;
        };
        return {
          toolId,
          name: spec.name,
          description,
          parameters: spec.parameters,
          call,
          async run(args, signal) {
            const made = await call(args, signal);
            if (!made.ok) throw new ToolCallFailed(made);
            return toToolOutput(made);
          },
        };
      });
      return { definitions, calls };
    },

    async recordToolCalls(turn, calls) {
      if (calls.length === 0) return true;
      try {
        await deps.toolCalls.record(
          turn,
          calls.map((call) => ({
            toolId: call.toolId,
            toolName: call.tool,
            argumentsBytes: call.argumentsBytes,
            status: call.outcome,
            httpStatus: call.status,
            durationMs: call.durationMs,
            error: call.error === undefined ? null : call.error.slice(0, MAX_ERROR_CHARS),
            at: call.at,
          })),
        );
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
