import { z } from 'zod';

/** The LLM providers a bot can run on (settings.llm.provider). */
export const LLM_PROVIDERS = ['openai', 'anthropic', 'google', 'openai-compatible'] as const;
export type LlmProvider = (typeof LLM_PROVIDERS)[number];

/** Per-bot settings stored in `bots.settings` (JSON). Unknown keys are dropped; missing ones take defaults. */
export const botSettingsSchema = z.object({
  /**
   * The bot's model (docs/contract.md, Bot engine). With `provider` the bot runs on that provider
   * with its own key (the bot's write-only `llm_api_key`); without it the deployment's `LLM_*`
   * variables apply (OpenAI-compatible), `model` and `temperature` overriding theirs.
   */
  llm: z
    .object({
      provider: z.enum(LLM_PROVIDERS).optional(),
      model: z.string().min(1).max(200).optional(),
      /** The provider's API base URL (required for openai-compatible: Ollama, vLLM, OpenRouter, LiteLLM). */
      base_url: z
        .url({ protocol: /^https?$/ })
        .max(2000)
        .optional(),
      /** Asked instead when the model fails (after its retries) or is unknown. */
      fallback_model: z.string().min(1).max(200).optional(),
      /**
       * The model accepts images: inbound images (and PDFs where the provider reads documents)
       * reach it as image / file input, besides the caption and placeholder (docs/contract.md, Media).
       */
      vision: z.boolean().optional(),
      temperature: z.number().min(0).max(2).optional(),
    })
    .refine((llm) => !llm.provider || llm.model, { message: 'model is required with a provider', path: ['model'] })
    .refine((llm) => llm.provider !== 'openai-compatible' || llm.base_url, {
      message: 'base_url is required for provider openai-compatible',
      path: ['base_url'],
    })
    .default({}),
  history: z
    .object({
      /** Most recent messages (both directions) given to the engine. */
      turns: z.number().int().min(0).max(200).default(20),
      /** Upper bound on the characters of that history. */
      chars: z.number().int().min(0).max(200_000).default(12_000),
    })
    .default({ turns: 20, chars: 12_000 }),
  /** Sent instead of a free-form reply when the 24-hour customer-service window is closed. */
  fallback_template: z
    .object({
      name: z.string().min(1).max(512),
      language: z.string().min(2).max(15),
      parameters: z.array(z.string().max(1024)).max(20).default([]),
    })
    .nullable()
    .default(null),
  /**
   * Days inbound media files are kept in MEDIA_STORE, counted from their fetch; then the retention
   * job removes them and the message keeps its metadata (`media.deleted_at`). null keeps them.
   */
  media_retention_days: z.number().int().min(1).max(3650).nullable().default(90),
  /** Messages per second for this bot's phone number across the whole fleet (Meta's default is 80). */
  rate_limit_per_second: z.number().min(0.1).max(1000).default(80),
  /** Show WhatsApp's typing indicator while the engine works. */
  typing_indicator: z.boolean().default(false),
  /**
   * Turns (docs/contract.md, Turns): messages of one user arriving within `debounce_ms` of each
   * other, at most `max_wait_ms` after the first, are answered together by one engine call. 0 =
   * every message is its own turn.
   */
  turn: z
    .object({
      debounce_ms: z.number().int().min(0).max(60_000).default(0),
      max_wait_ms: z.number().int().min(0).max(300_000).default(10_000),
    })
    .default({ debounce_ms: 0, max_wait_ms: 10_000 }),
  /**
   * Human takeover (docs/contract.md, Conversations): an inbound text equal to one of `keywords`
   * (trimmed, any case) hands the conversation to a person; `auto_resume_after_s` after the last
   * operator message (or the handoff) the bot takes it back, sending `notice` when set; a
   * handoff nobody is assigned to for `unassigned_alert_after_s` raises `handoff.waiting`.
   */
  handoff: z
    .object({
      keywords: z.array(z.string().trim().min(1).max(100)).max(50).default([]),
      auto_resume_after_s: z
        .number()
        .int()
        .min(1)
        .max(30 * 24 * 3600)
        .nullable()
        .default(null),
      notice: z.string().trim().min(1).max(4096).nullable().default(null),
      /** An unassigned handoff older than this raises `handoff.waiting` once (null: never). */
      unassigned_alert_after_s: z
        .number()
        .int()
        .min(1)
        .max(30 * 24 * 3600)
        .nullable()
        .default(null),
    })
    .default({ keywords: [], auto_resume_after_s: null, notice: null, unassigned_alert_after_s: null }),
});
export type BotSettings = z.infer<typeof botSettingsSchema>;

/**
 * When the bot takes a handed-over conversation back on its own: `auto_resume_after_s` after
 * `from` (the handoff, or the last operator message); null when it does not.
 */
export function handoffResumeAt(settings: Pick<BotSettings, 'handoff'>, from: Date): Date | null {
  const after = settings.handoff.auto_resume_after_s;
  return after === null ? null : new Date(from.getTime() + after * 1000);
}

/** True when an inbound text is one of the bot's handoff keywords (trimmed, any case). */
export function isHandoffKeyword(settings: Pick<BotSettings, 'handoff'>, text: string): boolean {
  const said = text.trim().toLowerCase();
  return said.length > 0 && settings.handoff.keywords.some((keyword) => keyword.trim().toLowerCase() === said);
}

/** Settings from the database, tolerating rows written by older versions (bad values fall back to defaults). */
export function parseBotSettings(value: unknown): BotSettings {
  const parsed = botSettingsSchema.safeParse(withSnakeCaseKeys(value ?? {}));
  return parsed.success ? parsed.data : botSettingsSchema.parse({});
}

// Keys rows written before the API's settings became snake_case still carry.
const LEGACY_KEYS: Record<string, string> = {
  fallbackTemplate: 'fallback_template',
  rateLimitPerSecond: 'rate_limit_per_second',
  typingIndicator: 'typing_indicator',
};

/** A stored settings object with its camelCase keys of older versions renamed (the new key wins). */
function withSnakeCaseKeys(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const renamed: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) {
    const target = LEGACY_KEYS[key];
    if (target === undefined) renamed[key] = entry;
    else if (!(target in value)) renamed[target] = entry;
  }
  return renamed;
}
