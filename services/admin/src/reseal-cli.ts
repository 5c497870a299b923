import { ConfigError } from '@wabot/config';
import { createBotRepository, createBotToolRepository, createDatabaseClient } from '@wabot/db';
import { createRedisConnection, redisTargetOf } from '@wabot/queue';
import { createSecretBox, loadSecretKeys } from '@wabot/secrets';
import { loadConfig } from './config.js';
import { resealBotCredentials } from './domain/reseal-credentials.js';
import { resealToolHeaders } from './domain/reseal-tool-headers.js';

/**
 * `node services/admin/dist/reseal-cli.js`: re-encrypts bot credentials and HTTP tool header values
 * still sealed with an older key (SECRETS_KEY_PREVIOUS) with the current SECRETS_KEY. Prints a
 * summary; exit 1 when some bot's credentials or tool's headers could not be opened with any key.
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
    const secretBox = createSecretBox(keys.current, keys.previous);
    const result = await resealBotCredentials(createBotRepository(db), secretBox, redis, config.REDIS_PREFIX);
    process.stdout.write(
      `re-sealed ${result.resealed.length} bot(s) with the current key; ${result.current} already current; ${result.unreadable.length} unreadable\n`,
    );
    for (const { botId, reason } of result.unreadable) process.stdout.write(`  ${botId}: ${reason}\n`);
    const tools = await resealToolHeaders(createBotToolRepository(db), secretBox);
    process.stdout.write(
      `re-sealed ${tools.resealed.length} tool(s) with the current key; ${tools.current} already current; ${tools.unreadable.length} unreadable\n`,
    );
    for (const { toolId, botId, reason } of tools.unreadable)
      process.stdout.write(`  tool ${toolId} of ${botId}: ${reason}\n`);
    return result.unreadable.length || tools.unreadable.length ? 1 : 0;
  } finally {
    await db.$disconnect();
    redis.disconnect();
  }
}

process.exitCode = await main();
