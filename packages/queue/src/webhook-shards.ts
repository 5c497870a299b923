import { webhookShardsKey } from '@wabot/contracts';
import type { Redis } from 'ioredis';

/** This process's WEBHOOK_SHARDS differs from the one the deployment recorded in Redis. */
export class WebhookShardsMismatchError extends Error {
  constructor(
    readonly configured: number,
    readonly recorded: string,
    readonly key: string,
  ) {
    super(
      `WEBHOOK_SHARDS is ${configured} here but ${recorded} for this deployment (Redis key ${key}): ` +
        'every ingress, worker and admin of one REDIS_PREFIX must use the same value. Set WEBHOOK_SHARDS to ' +
        `${recorded}, or change the deployment's value only with every stage-1 queue empty (see docs/operations.md)`,
    );
    this.name = 'WebhookShardsMismatchError';
  }
}

/**
 * Records `shards` as the deployment's WEBHOOK_SHARDS (`<prefix>:{meta}:webhook-shards`, SET NX)
 * or, when one is recorded, compares with it; throws {@link WebhookShardsMismatchError} when they
 * differ (a bot's webhooks would then go to a queue no worker reads, or be split across two
 * shards and lose their order). Resolves `recorded: true` when this call wrote the value.
 */
export async function verifyWebhookShards(
  redis: Redis,
  prefix: string,
  shards: number,
): Promise<{ recorded: boolean }> {
  const key = webhookShardsKey(prefix);
  const set = await redis.set(key, String(shards), 'NX');
  if (set === 'OK') return { recorded: true };
  const current = await redis.get(key);
  // Deleted between the two commands (an operator resetting it): ours is as good as any.
  if (current === null) return verifyWebhookShards(redis, prefix, shards);
  if (current !== String(shards)) throw new WebhookShardsMismatchError(shards, current, key);
  return { recorded: false };
}

/**
 * {@link verifyWebhookShards} now, or as soon as Redis answers: any failure other than a mismatch
 * (Redis unreachable, a timeout) is retried every `retryMs` (on an unref'd timer). Resolves once
 * verified; rejects with {@link WebhookShardsMismatchError} only.
 */
export function verifyWebhookShardsWhenReachable(
  redis: Redis,
  prefix: string,
  shards: number,
  { retryMs = 1_000 }: { retryMs?: number } = {},
): Promise<{ recorded: boolean }> {
  return new Promise((resolve, reject) => {
    const attempt = () => {
      verifyWebhookShards(redis, prefix, shards).then(resolve, (error: unknown) => {
        if (error instanceof WebhookShardsMismatchError) reject(error);
        else setTimeout(attempt, retryMs).unref();
      });
    };
    attempt();
  });
}
