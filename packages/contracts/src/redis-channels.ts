import { z } from 'zod';

/** Pub/sub channel on which bot changes are announced; payload is {@link BotChangedMessage} as JSON. */
export const BOT_CHANGED_CHANNEL = 'bot-changed';

/** A bot change announcement: publishers validate with it, subscribers parse with it. */
export const botChangedMessageSchema = z.object({
  botId: z.string().min(1),
  /** The bot's version after the change; caches holding an older one drop it. */
  version: z.number().int().nonnegative(),
});
export type BotChangedMessage = z.infer<typeof botChangedMessageSchema>;

/**
 * Parses an announcement as received (JSON text): the message, or null when it is not JSON or
 * not a {@link BotChangedMessage} (a subscriber logs and ignores it, never crashes).
 */
export function parseBotChangedMessage(payload: string): BotChangedMessage | null {
  let message: unknown;
  try {
    message = JSON.parse(payload);
  } catch {
    return null;
  }
  const parsed = botChangedMessageSchema.safeParse(message);
  return parsed.success ? parsed.data : null;
}
