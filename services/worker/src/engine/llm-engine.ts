import { ACTION_TOOLS, type ActionName, fitAction, type RequestedAction } from '@wabot/whatsapp';
import {
  generateText,
  jsonSchema,
  type ModelMessage,
  type StopCondition,
  stepCountIs,
  type ToolSet,
  tool,
  zodSchema,
} from 'ai';
import type { z } from 'zod';
import {
  EngineAborted,
  type EngineAttachment,
  type EngineReply,
  type EngineRequest,
  type ReplyPart,
  type ToolCallRecord,
  type ToolDefinition,
} from './bot-engine.js';
import { toEngineError } from './llm-errors.js';
import { createResilientModel, type LlmTarget, type ResilienceOptions } from './llm-model.js';

export interface LlmEngineOptions extends ResilienceOptions {
  /** Most model calls in one turn's tool loop (each tool round trip is one more). */
  maxSteps?: number;
}

const isActionName = (name: string): name is ActionName => Object.hasOwn(ACTION_TOOLS, name);

/** A model's action call with its arguments checked, or null when they do not fit the schema. */
function toRequestedAction(name: ActionName, input: unknown): RequestedAction | null {
  switch (name) {
    case 'send_buttons': {
      const args = ACTION_TOOLS.send_buttons.args.safeParse(input);
      return args.success ? { name, args: args.data } : null;
    }
    case 'send_list': {
      const args = ACTION_TOOLS.send_list.args.safeParse(input);
      return args.success ? { name, args: args.data } : null;
    }
    case 'send_cta_url': {
      const args = ACTION_TOOLS.send_cta_url.args.safeParse(input);
      return args.success ? { name, args: args.data } : null;
    }
    case 'send_media': {
      const args = ACTION_TOOLS.send_media.args.safeParse(input);
      return args.success ? { name, args: args.data } : null;
    }
    case 'request_location': {
      const args = ACTION_TOOLS.request_location.args.safeParse(input);
      return args.success ? { name, args: args.data } : null;
    }
    case 'react': {
      const args = ACTION_TOOLS.react.args.safeParse(input);
      return args.success ? { name, args: args.data } : null;
    }
    case 'handoff': {
      const args = ACTION_TOOLS.handoff.args.safeParse(input);
      return args.success ? { name, args: args.data } : null;
    }
  }
}

/** A turn's message for the model: its text, with its file as an image or file part (settings.llm.vision). */
function toUserMessage(content: string, attachment: EngineAttachment | null | undefined): ModelMessage {
  if (!attachment) return { role: 'user', content };
  const file =
    attachment.kind === 'image'
      ? { type: 'image' as const, image: attachment.data, mediaType: attachment.mediaType }
      : {
          type: 'file' as const,
          data: attachment.data,
          mediaType: attachment.mediaType,
          ...(attachment.filename ? { filename: attachment.filename } : {}),
        };
  return { role: 'user', content: [{ type: 'text', text: content }, file] };
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 500);

/** An action tool: answered at once, since the action is sent after the turn. */
function queuedTool(description: string, schema: z.ZodType) {
  return tool({
    description,
    inputSchema: zodSchema(schema),
    execute: async () => ({ status: 'queued: sent to the user after this turn' }),
  });
}

/**
 * The tools of one turn: the WhatsApp actions (answered "queued" at once: they are sent after the
 * turn, so they need no round trip) and the request's extra tools, each call timed and recorded;
 * a failing tool answers the model `{error}` so it can apologise or hand over.
 */
function toolsOf(extra: ToolDefinition[], records: ToolCallRecord[], signal: AbortSignal | undefined): ToolSet {
  const tools: ToolSet = {};
  for (const [name, action] of Object.entries(ACTION_TOOLS)) tools[name] = queuedTool(action.description, action.args);
  for (const definition of extra) {
    if (isActionName(definition.name) || tools[definition.name]) continue;
    tools[definition.name] = tool({
      description: definition.description,
      inputSchema: jsonSchema(definition.parameters),
      execute: async (args: unknown, { abortSignal }) => {
        const started = performance.now();
        const duration = () => Math.round(performance.now() - started);
        try {
          const output = await definition.run(args, abortSignal ?? signal ?? new AbortController().signal);
          records.push({ tool: definition.name, status: 'ok', duration_ms: duration() });
          return output;
        } catch (error) {
          if (signal?.aborted) throw error;
          const message = errorText(error);
          records.push({ tool: definition.name, status: 'error', duration_ms: duration(), error: message });
          return { error: message };
        }
      },
    });
  }
  return tools;
}

/** The loop ends once a step called only WhatsApp actions (nothing the model needs to read back). */
const onlyActionsCalled: StopCondition<ToolSet> = ({ steps }) => {
  const calls = steps.at(-1)?.toolCalls ?? [];
  return calls.length > 0 && calls.every((call) => isActionName(call.toolName) && !call.invalid);
};
const handedOff: StopCondition<ToolSet> = ({ steps }) =>
  steps.at(-1)?.toolCalls.some((call) => call.toolName === 'handoff' && !call.invalid) ?? false;

/**
 * The engine over the AI SDK (docs/adr/0006-llm-library.md): one `generateText` tool loop per
 * turn on the target's provider, with the WhatsApp actions and the request's extra tools. The
 * reply's parts are the model's texts and action calls in the order it produced them, each action
 * fitted to Meta's limits (replaced by text, or dropped and recorded); `handoff` ends the turn.
 */
export function createLlmEngine(options: LlmEngineOptions) {
  const maxSteps = options.maxSteps ?? 5;
  return {
    async reply(request: EngineRequest, target: LlmTarget): Promise<EngineReply> {
      const { signal } = request;
      const records: ToolCallRecord[] = [];
      const resilient = createResilientModel(target, options);
      const messages: ModelMessage[] = [
        ...request.history.map((turn): ModelMessage => ({ role: turn.role, content: turn.content })),
        ...request.messages.map((content, i) => toUserMessage(content, request.attachments?.[i])),
      ];
      const { temperature } = request.settings.llm;
      let result: Awaited<ReturnType<typeof generateText<ToolSet>>>;
      try {
        result = await generateText({
          model: resilient.model,
          ...(request.systemPrompt ? { system: request.systemPrompt } : {}),
          messages,
          tools: toolsOf(request.tools ?? [], records, signal),
          stopWhen: [stepCountIs(maxSteps), onlyActionsCalled, handedOff],
          maxRetries: 0,
          ...(temperature !== undefined ? { temperature } : {}),
          ...(signal ? { abortSignal: signal } : {}),
        });
      } catch (error) {
        if (signal?.aborted) throw new EngineAborted();
        throw toEngineError(
          error,
          {
            provider: target.provider,
            model: resilient.answeredBy(),
            timeoutMs: options.timeoutMs,
            apiKey: target.apiKey,
          },
          false,
        );
      }
      if (signal?.aborted) throw new EngineAborted();

      const parts: ReplyPart[] = [];
      const addText = (text: string) => {
        if (!text.trim()) return;
        const last = parts.at(-1);
        if (last?.type === 'text') last.text = `${last.text}${text}`;
        else parts.push({ type: 'text', text });
      };
      const actionRecords: ToolCallRecord[] = [];
      for (const step of result.steps) {
        for (const content of step.content) {
          if (content.type === 'text') addText(content.text);
          if (content.type !== 'tool-call' || !isActionName(content.toolName)) continue;
          const requested = content.invalid ? null : toRequestedAction(content.toolName, content.input);
          if (!requested) {
            actionRecords.push({ tool: content.toolName, status: 'error', duration_ms: 0, error: 'invalid_arguments' });
            continue;
          }
          const fitted = fitAction(requested);
          if (fitted.outcome === 'action') {
            parts.push({ type: 'action', action: fitted.action });
            actionRecords.push({ tool: content.toolName, status: 'ok', duration_ms: 0 });
          } else if (fitted.outcome === 'text') {
            addText(fitted.text);
            actionRecords.push({ tool: content.toolName, status: 'ok', duration_ms: 0, error: fitted.reason });
          } else {
            actionRecords.push({ tool: content.toolName, status: 'error', duration_ms: 0, error: fitted.reason });
          }
        }
      }
      const usage = result.totalUsage;
      const cached = usage.inputTokenDetails?.cacheReadTokens;
      return {
        parts,
        usage: {
          provider: target.provider,
          model: resilient.answeredBy(),
          inputTokens: usage.inputTokens ?? 0,
          outputTokens: usage.outputTokens ?? 0,
          ...(cached ? { cachedInputTokens: cached } : {}),
        },
        toolCalls: [...records, ...actionRecords],
      };
    },
  };
}
