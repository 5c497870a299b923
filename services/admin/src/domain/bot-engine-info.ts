import type { BotSettings } from '@wabot/bot-registry';
import type { DeploymentEngine } from '@wabot/contracts';

/** Which engine answers a bot, as `GET /api/bots/:id` shows it. */
export interface BotEngineInfo {
  /** `bot`: its settings.llm provider; `deployment`: the workers' LLM_*; `offline`: canned replies; `unknown`: no worker has started yet. */
  source: 'bot' | 'deployment' | 'offline' | 'unknown';
  provider: string | null;
  model: string | null;
  /** True when the replies are the built-in offline engine's canned ones, not a model's. */
  canned: boolean;
  /** What to tell the user, when there is something to tell. */
  note: string | null;
}

const CANNED =
  "No LLM configured: replies are canned (the built-in offline engine). Set LLM_BASE_URL (and LLM_API_KEY, LLM_MODEL) for the workers, or settings.llm with a provider and the bot's llm_api_key.";

/** The engine a bot runs on: its own provider, else what the workers recorded at start. */
export function toBotEngineInfo(settings: BotSettings, deployment: DeploymentEngine | null): BotEngineInfo {
  const { llm } = settings;
  if (llm.provider)
    return { source: 'bot', provider: llm.provider, model: llm.model ?? null, canned: false, note: null };
  if (!deployment)
    return { source: 'unknown', provider: null, model: null, canned: false, note: 'No worker has started yet.' };
  if (deployment.engine === 'offline')
    return { source: 'offline', provider: null, model: null, canned: true, note: CANNED };
  return {
    source: 'deployment',
    provider: 'openai-compatible',
    model: llm.model ?? deployment.model,
    canned: false,
    note: null,
  };
}
