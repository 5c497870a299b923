export {
  type BotDiagnostics,
  type BotDiagnosticsStore,
  botDiagnosticsKey,
  createBotDiagnostics,
  type DiagnosticsRedis,
  VERIFICATION_REASONS,
  type VerificationAttempt,
  type VerificationReason,
  verificationFailureOf,
} from './bot-diagnostics.js';
export {
  type BotRegistry,
  type BotRegistryOptions,
  type BotRuntime,
  botChangedChannel,
  createBotRegistry,
  publishBotChanged,
} from './bot-registry.js';
export {
  type BotSettings,
  botSettingsSchema,
  handoffResumeAt,
  isHandoffKeyword,
  LLM_PROVIDERS,
  type LlmProvider,
  parseBotSettings,
} from './bot-settings.js';
