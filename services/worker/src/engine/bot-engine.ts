import type { BotSettings } from '@wabot/bot-registry';
import type { WhatsAppAction } from '@wabot/whatsapp';

/** One earlier message of the conversation, as the engine sees it. */
export interface EngineTurn {
  role: 'user' | 'assistant';
  content: string;
}

export interface EngineRequest {
  /** The bot's system_prompt. */
  systemPrompt: string;
  /** Recent turns, oldest first, already bounded by the bot's history settings. */
  history: EngineTurn[];
  /**
   * The turn: its inbound messages normalized to text (docs/contract.md, Bot engine), oldest
   * first — one message, or a burst answered together (bot settings.turn).
   */
  messages: string[];
  /**
   * Files the model gets as content (settings.llm.vision): by index, the attachment of
   * `messages[i]` or null. Absent: text only.
   */
  attachments?: (EngineAttachment | null)[] | undefined;
  settings: BotSettings;
  /** The bot's own provider key (write-only bot field `llm_api_key`), used with `settings.llm.provider`. */
  llmApiKey?: string | null | undefined;
  /** Tools the model may call besides the WhatsApp actions (e.g. the bot's HTTP tools). */
  tools?: ToolDefinition[] | undefined;
  /** Aborted when a newer message supersedes the turn: the engine stops and rejects. */
  signal?: AbortSignal | undefined;
}

/** An inbound file given to the model: an image, or a document (PDF) where the provider reads them. */
export interface EngineAttachment {
  kind: 'image' | 'file';
  /** MIME type without parameters, e.g. image/jpeg, application/pdf. */
  mediaType: string;
  data: Uint8Array;
  filename?: string | undefined;
}

/**
 * A tool the model may call in the turn's tool loop; its result (or error) goes back to the model.
 * `parameters` is the JSON Schema of the arguments object.
 */
export interface ToolDefinition {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
  /** Runs the tool; rejects on failure (the model is then told the error). Stops when `signal` aborts. */
  run(args: unknown, signal: AbortSignal): Promise<unknown>;
}

/** One tool call of a turn, as recorded on the reply (WhatsApp actions included, with no duration). */
export interface ToolCallRecord {
  tool: string;
  status: 'ok' | 'error';
  duration_ms: number;
  /** Why it failed (what the model was told), or why an action was not sent. */
  error?: string;
}

/**
 * One part of a reply, in the order the model produced it: text (split into WhatsApp-sized
 * messages later) or a WhatsApp action already fitted to Meta's limits (`fitAction`).
 */
export type ReplyPart = { type: 'text'; text: string } | { type: 'action'; action: WhatsAppAction };

/** Token usage of one engine turn, as the provider reported it. */
export interface EngineUsage {
  provider: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  /** Input tokens served from the provider's cache, where it reports them. */
  cachedInputTokens?: number;
}

/** The engine's answer to one turn. */
export interface EngineReply {
  parts: ReplyPart[];
  /** Null for the offline engine, or when the provider reports none. */
  usage: EngineUsage | null;
  /** The turn's tool calls: the extra tools in the order they ran, then the WhatsApp actions (absent: none). */
  toolCalls?: ToolCallRecord[];
}

/** Produces the bot's reply to one turn. Rejects with {@link EngineError} on failure. */
export interface BotEngine {
  readonly name: string;
  reply(request: EngineRequest): Promise<EngineReply>;
  close(): Promise<void>;
}

/** An engine failure; the job is retried by BullMQ (the message is not lost). */
export class EngineError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    /** The server's Retry-After, when it sent one. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

/** The engine call was aborted: a newer message superseded its turn, or a person took the conversation over. */
export class EngineAborted extends Error {
  constructor(readonly reason: 'superseded' | 'handed_over' = 'superseded') {
    super(
      reason === 'superseded'
        ? 'engine call aborted: a newer message superseded the turn'
        : 'engine call aborted: the conversation was handed to a person',
    );
    this.name = 'EngineAborted';
  }
}
