/** Pub/sub channel on which the admin service announces bot changes; payload is {@link BotChangedMessage}. */
export const BOT_CHANGED_CHANNEL = 'bot-changed';

export interface BotChangedMessage {
  botId: string;
  /** The bot's version after the change; caches holding an older one drop it. */
  version: number;
}
