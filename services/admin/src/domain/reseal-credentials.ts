import { publishBotChanged } from '@wabot/bot-registry';
import type { BotRepository } from '@wabot/db';
import type { RedisClient } from '@wabot/queue';
import type { SecretBox } from '@wabot/secrets';

export interface ResealResult {
  /** Bots whose credentials were re-encrypted with the current key. */
  resealed: string[];
  /** Bots already on the current key. */
  current: number;
  /** Bots whose credentials no key in the ring opens (id and reason); left as they are. */
  unreadable: { botId: string; reason: string }[];
}

/**
 * Key rotation, step 2: after SECRETS_KEY was replaced (the old key moved to SECRETS_KEY_PREVIOUS),
 * re-encrypts every bot's credentials that are still sealed with an older key, so the old key can
 * later be dropped from the ring. Each bot is updated on its own (version bumped, change announced),
 * only if it did not change meanwhile; running it again is harmless.
 */
export async function resealBotCredentials(
  bots: Pick<BotRepository, 'listCiphers' | 'resealIfUnchanged'>,
  secretBox: SecretBox,
  redis: RedisClient,
  prefix: string,
): Promise<ResealResult> {
  const result: ResealResult = { resealed: [], current: 0, unreadable: [] };
  for (const bot of await bots.listCiphers()) {
    const ciphers = [
      bot.accessTokenCipher,
      bot.verifyTokenCipher,
      ...(bot.appSecretCipher ? [bot.appSecretCipher] : []),
      ...(bot.llmApiKeyCipher ? [bot.llmApiKeyCipher] : []),
    ];
    try {
      if (!ciphers.some((cipher) => secretBox.needsRotation(cipher))) {
        result.current++;
        continue;
      }
      const reseal = (cipher: string) => secretBox.seal(secretBox.open(cipher));
      const resealed = await bots.resealIfUnchanged(bot.id, bot.version, {
        accessTokenCipher: reseal(bot.accessTokenCipher),
        verifyTokenCipher: reseal(bot.verifyTokenCipher),
        appSecretCipher: bot.appSecretCipher ? reseal(bot.appSecretCipher) : null,
        llmApiKeyCipher: bot.llmApiKeyCipher ? reseal(bot.llmApiKeyCipher) : null,
      });
      if (resealed) {
        result.resealed.push(bot.id);
        await publishBotChanged(redis, prefix, { botId: bot.id, version: bot.version + 1 });
      }
    } catch (error) {
      result.unreadable.push({ botId: bot.id, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  return result;
}
