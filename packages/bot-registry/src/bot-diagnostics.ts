import { z } from 'zod';

/** Why Meta's verification GET was refused (docs/contract.md, Diagnostics). */
export const VERIFICATION_REASONS = [
  'mode_missing',
  'mode_not_subscribe',
  'token_missing',
  /** The token matches the bot's except for letter case: Meta compares exactly. */
  'token_case_mismatch',
  'token_mismatch',
  'challenge_missing',
] as const;
export type VerificationReason = (typeof VERIFICATION_REASONS)[number];

const verificationAttemptSchema = z.object({
  at: z.string(),
  outcome: z.enum(['verified', 'rejected']),
  reason: z.enum(VERIFICATION_REASONS).nullable(),
});
export type VerificationAttempt = z.infer<typeof verificationAttemptSchema>;

/** What `GET /api/bots/:id` shows under `diagnostics`. */
export interface BotDiagnostics {
  /** The last verification GET Meta (or anyone) sent to the bot's URL. */
  last_verification: VerificationAttempt | null;
  /** When the last webhook POST for the bot was accepted (to the second). */
  last_webhook_at: string | null;
  /** POSTs refused because X-Hub-Signature-256 was missing or wrong. */
  rejected_signatures: number;
  /**
   * Events posted to this bot's URL for a phone number it does not own and no bot of its
   * workspace could take (unknown number, or the signature did not verify with its app secret).
   */
  foreign_phone_number_events: number;
}

/** Records and reads per-bot diagnostics in Redis: one hash per bot, every write fire-and-forget. */
export interface BotDiagnosticsStore {
  recordVerification(botId: string, outcome: 'verified' | 'rejected', reason: VerificationReason | null): void;
  /** Throttled in process to one write per bot per second: it runs on every accepted POST. */
  recordWebhook(botId: string): void;
  countRejectedSignature(botId: string): void;
  countForeignPhoneNumberEvents(botId: string, count: number): void;
  read(botId: string): Promise<BotDiagnostics>;
}

/** The Redis commands the store needs (a single Redis or a Cluster). */
export interface DiagnosticsRedis {
  hset(key: string, field: string, value: string): Promise<number>;
  hincrby(key: string, field: string, increment: number): Promise<number>;
  hgetall(key: string): Promise<Record<string, string>>;
}

export interface BotDiagnosticsOptions {
  now?: () => number;
  /** Told about a failed write (they never throw): e.g. a debug log line. */
  onError?: (error: unknown) => void;
}

const WEBHOOK_WRITE_INTERVAL_MS = 1_000;
const MAX_THROTTLED_BOTS = 10_000;

/** The diagnostics hash of a bot (hash-tagged by bot: one slot in a Redis Cluster). */
export const botDiagnosticsKey = (prefix: string, botId: string) => `${prefix}:bot:{${botId}}:diagnostics`;

/** The Redis-backed {@link BotDiagnosticsStore} (the ingress and worker write, the admin reads). */
export function createBotDiagnostics(
  redis: DiagnosticsRedis,
  prefix: string,
  options: BotDiagnosticsOptions = {},
): BotDiagnosticsStore {
  const now = options.now ?? Date.now;
  const onError = options.onError ?? (() => {});
  const lastWebhookWrite = new Map<string, number>();
  const settle = (write: Promise<unknown>) => {
    write.catch(onError);
  };
  return {
    recordVerification(botId, outcome, reason) {
      const attempt: VerificationAttempt = { at: new Date(now()).toISOString(), outcome, reason };
      settle(redis.hset(botDiagnosticsKey(prefix, botId), 'last_verification', JSON.stringify(attempt)));
    },
    recordWebhook(botId) {
      const at = now();
      if (at - (lastWebhookWrite.get(botId) ?? 0) < WEBHOOK_WRITE_INTERVAL_MS) return;
      if (lastWebhookWrite.size >= MAX_THROTTLED_BOTS) lastWebhookWrite.clear();
      lastWebhookWrite.set(botId, at);
      settle(redis.hset(botDiagnosticsKey(prefix, botId), 'last_webhook_at', new Date(at).toISOString()));
    },
    countRejectedSignature(botId) {
      settle(redis.hincrby(botDiagnosticsKey(prefix, botId), 'rejected_signatures', 1));
    },
    countForeignPhoneNumberEvents(botId, count) {
      if (count > 0) settle(redis.hincrby(botDiagnosticsKey(prefix, botId), 'foreign_phone_number_events', count));
    },
    async read(botId) {
      const hash = await redis.hgetall(botDiagnosticsKey(prefix, botId));
      return {
        last_verification: parseAttempt(hash.last_verification),
        last_webhook_at: hash.last_webhook_at ?? null,
        rejected_signatures: Number(hash.rejected_signatures ?? 0),
        foreign_phone_number_events: Number(hash.foreign_phone_number_events ?? 0),
      };
    },
  };
}

function parseAttempt(value: string | undefined): VerificationAttempt | null {
  if (value === undefined) return null;
  try {
    const parsed = verificationAttemptSchema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Why a verification GET does not verify, or null when it does: Meta sends `hub.mode=subscribe`,
 * the `hub.verify_token` typed into its portal and a `hub.challenge` to echo. `tokensEqual` is
 * the constant-time comparison the caller uses for the token.
 */
export function verificationFailureOf(
  query: { mode: unknown; token: unknown; challenge: unknown },
  verifyToken: string,
  tokensEqual: (a: string, b: string) => boolean,
): VerificationReason | null {
  if (query.mode === undefined || query.mode === '') return 'mode_missing';
  if (query.mode !== 'subscribe') return 'mode_not_subscribe';
  if (typeof query.token !== 'string' || query.token === '') return 'token_missing';
  if (!tokensEqual(query.token, verifyToken))
    return query.token.toLowerCase() === verifyToken.toLowerCase() ? 'token_case_mismatch' : 'token_mismatch';
  if (typeof query.challenge !== 'string') return 'challenge_missing';
  return null;
}
