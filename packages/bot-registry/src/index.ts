export {
  type BotRegistry,
  type BotRegistryOptions,
  type BotRuntime,
  botChangedChannel,
  createBotRegistry,
  publishBotChanged,
} from './bot-registry.js';
export { type BotSettings, botSettingsSchema, parseBotSettings } from './bot-settings.js';
