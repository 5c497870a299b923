import {
  BOT_CHANGED_CHANNEL,
  type BotChangedMessage,
  botChangedMessageSchema,
  parseBotChangedMessage,
} from '@wabot/contracts';
import type { BotRepository } from '@wabot/db';
import type { Logger } from '@wabot/logger';
import type { SecretBox } from '@wabot/secrets';
import type { Cluster, Redis } from 'ioredis';
import { type BotSettings, parseBotSettings } from './bot-settings.js';

/** What the ingress and workers need of a bot, credentials decrypted (held in memory only, never logged). */
export interface BotRuntime {
  id: string;
  workspaceId: string;
  name: string;
  active: boolean;
  phoneNumberId: string;
  businessAccountId: string | null;
  systemPrompt: string;
  accessToken: string;
  appSecret: string | null;
  verifyToken: string;
  /** The bot's own LLM provider key (settings.llm.provider), or null. */
  llmApiKey: string | null;
  settings: BotSettings;
  credentialsStatus: 'unknown' | 'ok' | 'invalid';
  version: number;
}

export interface BotRegistry {
  /** The bot, or null when it does not exist (or was deleted). Served from memory when fresh. */
  get(botId: string): Promise<BotRuntime | null>;
  /**
   * The active bot of `workspaceId` answering for `phoneNumberId`, or null. The number → bot
   * mapping is cached like bots (the bot itself comes from {@link get}, so it is always current).
   */
  findByPhoneNumber(workspaceId: string, phoneNumberId: string): Promise<BotRuntime | null>;
  /** Drop one bot from this process's cache. */
  invalidate(botId: string): void;
  /** Subscribe to change announcements; resolves once subscribed. */
  start(): Promise<void>;
  close(): Promise<void>;
  /** Number of database lookups so far (for tests and metrics). */
  readonly databaseLookups: number;
  /** Bots held in this process's cache (fresh or stale): what it can still serve while PostgreSQL is away. */
  readonly cachedBots: number;
}

export interface BotRegistryOptions {
  /** Where bots are read from on a cache miss. */
  bots: Pick<BotRepository, 'findLive' | 'findActiveIdByPhoneNumber'>;
  secretBox: SecretBox;
  /**
   * A dedicated connection (it enters subscriber mode), to a single Redis or a Cluster (which
   * subscribes on one node; PUBLISH reaches every node); omit to rely on the TTL only.
   */
  subscriber?: Redis | Cluster;
  /** Redis key prefix of this deployment; the change channel is `<prefix>:bot-changed`. */
  prefix: string;
  logger: Logger;
  /** Safety net when an announcement is missed. */
  ttlMs?: number;
  /** How long "no such bot" is remembered, so floods of random ids cannot hammer the database. */
  negativeTtlMs?: number;
  maxEntries?: number;
  /** Called with the bot id of every change announcement received (after the cache dropped it). */
  onChange?: (botId: string) => void;
}

interface Entry {
  value: BotRuntime | null;
  expiresAt: number;
}

export const botChangedChannel = (prefix: string) => `${prefix}:${BOT_CHANGED_CHANNEL}`;

/**
 * Announces a bot change to every ingress and worker (call after the database write committed).
 * Throws a ZodError, publishing nothing, when `message` does not match the channel's schema.
 */
export async function publishBotChanged(
  redis: Redis | Cluster,
  prefix: string,
  message: BotChangedMessage,
): Promise<void> {
  await redis.publish(botChangedChannel(prefix), JSON.stringify(botChangedMessageSchema.parse(message)));
}

/**
 * An in-process cache of bots in front of PostgreSQL, invalidated by Redis pub/sub announcements
 * from the admin service, with a TTL as a safety net and negative caching for unknown ids.
 * Concurrent lookups of one id share a single database query.
 */
export function createBotRegistry(options: BotRegistryOptions): BotRegistry {
  const {
    bots,
    secretBox,
    subscriber,
    prefix,
    logger,
    ttlMs = 30_000,
    negativeTtlMs = 5_000,
    maxEntries = 50_000,
    onChange,
  } = options;
  const cache = new Map<string, Entry>();
  // `<workspace>\u0000<phone number id>` → bot id (null: none), for events routed by number.
  const byNumber = new Map<string, { botId: string | null; expiresAt: number }>();
  const inflight = new Map<string, Promise<BotRuntime | null>>();
  const channel = botChangedChannel(prefix);
  let lookups = 0;
  // Bumped by every invalidation: a lookup that started before one may have read the old row, so
  // its result is returned to its callers but not cached.
  let generation = 0;

  const forget = (botId: string) => {
    generation++;
    cache.delete(botId);
    // A change may give a number a bot (activation) or take it away: map numbers afresh.
    byNumber.clear();
    inflight.delete(botId);
  };

  const remember = (botId: string, value: BotRuntime | null) => {
    cache.delete(botId);
    if (cache.size >= maxEntries) {
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) cache.delete(oldest);
    }
    cache.set(botId, { value, expiresAt: Date.now() + (value ? ttlMs : negativeTtlMs) });
  };

  const load = async (botId: string): Promise<BotRuntime | null> => {
    lookups++;
    const row = await bots.findLive(botId);
    if (!row) return null;
    return {
      id: row.id,
      workspaceId: row.workspaceId,
      name: row.name,
      active: row.status === 'active',
      phoneNumberId: row.phoneNumberId,
      businessAccountId: row.businessAccountId,
      systemPrompt: row.systemPrompt,
      accessToken: secretBox.open(row.accessTokenCipher),
      appSecret: row.appSecretCipher ? secretBox.open(row.appSecretCipher) : null,
      verifyToken: secretBox.open(row.verifyTokenCipher),
      llmApiKey: row.llmApiKeyCipher ? secretBox.open(row.llmApiKeyCipher) : null,
      settings: parseBotSettings(row.settings),
      credentialsStatus: row.credentialsStatus,
      version: row.version,
    };
  };

  const onMessage = (received: string, payload: string) => {
    if (received !== channel) return;
    const message = parseBotChangedMessage(payload);
    if (!message) {
      logger.warn({ channel }, 'bot registry: ignored a malformed change announcement');
      return;
    }
    const { botId } = message;
    forget(botId);
    onChange?.(botId);
  };

  const onReady = () => {
    // After a reconnect announcements may have been missed: start from a clean cache.
    generation++;
    cache.clear();
    byNumber.clear();
    inflight.clear();
  };

  const get = async (botId: string): Promise<BotRuntime | null> => {
    const hit = cache.get(botId);
    if (hit && hit.expiresAt > Date.now()) return hit.value;
    const pending = inflight.get(botId);
    if (pending) return pending;
    const started = generation;
    const promise = load(botId)
      .then(
        (value) => {
          if (generation === started) remember(botId, value);
          return value;
        },
        (error: unknown) => {
          // PostgreSQL away: a bot cached before (and not announced changed since, or it would
          // have been dropped) is still the bot; serve it stale rather than fail.
          if (hit?.value && generation === started) return hit.value;
          throw error;
        },
      )
      .finally(() => {
        if (inflight.get(botId) === promise) inflight.delete(botId);
      });
    inflight.set(botId, promise);
    return promise;
  };

  return {
    get databaseLookups() {
      return lookups;
    },
    get cachedBots() {
      let count = 0;
      for (const entry of cache.values()) if (entry.value) count++;
      return count;
    },
    get,
    async findByPhoneNumber(workspaceId, phoneNumberId) {
      const key = `${workspaceId}\u0000${phoneNumberId}`;
      const owns = (bot: BotRuntime | null) =>
        bot?.active === true && bot.workspaceId === workspaceId && bot.phoneNumberId === phoneNumberId;
      const hit = byNumber.get(key);
      if (hit && hit.expiresAt > Date.now()) {
        if (hit.botId === null) return null;
        const bot = await get(hit.botId);
        // The bot changed since (number, status): ask the database again.
        if (owns(bot)) return bot;
      }
      lookups++;
      const botId = await bots.findActiveIdByPhoneNumber(workspaceId, phoneNumberId);
      if (byNumber.size >= maxEntries) byNumber.clear();
      byNumber.set(key, { botId, expiresAt: Date.now() + (botId ? ttlMs : negativeTtlMs) });
      if (botId === null) return null;
      const bot = await get(botId);
      return owns(bot) ? bot : null;
    },
    invalidate: forget,
    async start() {
      if (!subscriber) return;
      subscriber.on('message', onMessage);
      subscriber.on('ready', onReady);
      await subscriber.subscribe(channel);
    },
    async close() {
      cache.clear();
      inflight.clear();
      if (subscriber) {
        subscriber.off('message', onMessage);
        subscriber.off('ready', onReady);
        subscriber.disconnect();
      }
    },
  };
}
