import type { BotRuntime } from '@wabot/bot-registry';
import type { EngineConfig } from '../engine/create-engine.js';
import { resolveLlmTarget } from '../engine/create-engine.js';
import type { VisionMode } from './turn-media.js';

/** Providers whose AI SDK adapters take PDF file parts (the OpenAI-compatible one takes images only). */
const PDF_PROVIDERS = new Set(['openai', 'anthropic', 'google']);

/**
 * How a bot's turn gives files to the model: nothing without `settings.llm.vision`; a labelled
 * stand-in description on the offline engine; images, and PDFs where the provider reads them.
 */
export function visionModeOf(bot: Pick<BotRuntime, 'settings' | 'llmApiKey'>, config: EngineConfig): VisionMode {
  if (!bot.settings.llm.vision) return 'none';
  let target: ReturnType<typeof resolveLlmTarget>;
  try {
    target = resolveLlmTarget(bot.settings.llm, bot.llmApiKey, config);
  } catch {
    // A provider without its key: the engine reports it; the model gets no files.
    return 'none';
  }
  if (!target) return 'offline';
  return PDF_PROVIDERS.has(target.provider) ? 'images_and_pdf' : 'images';
}
