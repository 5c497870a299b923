import { ConfigError } from '@wabot/config';
import { createBotRepository, createDatabaseClient } from '@wabot/db';
import { createRedisConnection, redisTargetOf } from '@wabot/queue';
import { createSecretBox, loadSecretKeys } from '@wabot/secrets';
import { loadConfig } from './config.js';
import { resealBotCredentials } from './domain/reseal-credentials.js';

/**
 * `node services/admin/dist/reseal-cli.js`: re-encrypts bot credentials still sealed with an older
 * key (SECRETS_KEY_PREVIOUS) with the current SECRETS_KEY. Prints a summary; exit 1 when some bot's
 * credentials could not be opened with any key in the ring.
 */
async function main(): Promise<number> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`reseal: ${error.message}\n`);
    return 2;
  }
  const keys = loadSecretKeys({
    SECRETS_KEY: config.SECRETS_KEY,
    SECRETS_KEY_PREVIOUS: config.SECRETS_KEY_PREVIOUS,
    production: config.NODE_ENV === 'production',
  });
  const db = createDatabaseClient(config.DATABASE_URL, { poolSize: 2 });
  const redis = createRedisConnection(redisTargetOf(config), 'client');
  try {
    const result = await resealBotCredentials(
      createBotRepository(db),
      createSecretBox(keys.current, keys.previous),
      redis,
      config.REDIS_PREFIX,
    );
    process.stdout.write(
      `re-sealed ${result.resealed.length} bot(s) with the current key; ${result.current} already current; ${result.unreadable.length} unreadable\n`,
    );
    for (const { botId, reason } of result.unreadable) process.stdout.write(`  ${botId}: ${reason}\n`);
    return result.unreadable.length ? 1 : 0;
  } finally {
    await db.$disconnect();
    redis.disconnect();
  }
}

process.exitCode = await main();
