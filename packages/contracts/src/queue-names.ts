import type { QueueName } from './queues.js';

/**
 * Logical queue names (the typed keys of {@link queueDefinitions}) and the physical BullMQ queue
 * names they live under. Every producer and consumer goes through {@link physicalQueueName}.
 *
 * BullMQ keys are `<prefix>:<queue name>:<suffix>`, so a `{hash tag}` in the queue name puts all
 * of one queue's keys in one Redis Cluster slot, as BullMQ's scripts require.
 */

/** The logical queue that is split into shards (one per bot hash, each run one job at a time). */
export type ShardedQueueName = 'webhook-events';
/** The logical queues that have exactly one physical queue. */
export type SingleQueueName = Exclude<QueueName, ShardedQueueName>;

export const DEFAULT_WEBHOOK_SHARDS = 16;
export const MAX_WEBHOOK_SHARDS = 256;

const singleQueueNames: Record<SingleQueueName, string> = {
  conversations: '{conversations}',
  outbound: '{outbound}',
};

const checkShard = (shard: number, shards = MAX_WEBHOOK_SHARDS) => {
  if (!Number.isInteger(shard) || shard < 0 || shard >= shards) {
    throw new RangeError(`webhook shard must be an integer in [0, ${shards}), got ${shard}`);
  }
};

const checkShards = (shards: number) => {
  if (!Number.isInteger(shards) || shards < 1 || shards > MAX_WEBHOOK_SHARDS) {
    throw new RangeError(`webhook shards must be an integer in [1, ${MAX_WEBHOOK_SHARDS}], got ${shards}`);
  }
};

/**
 * The physical BullMQ queue name of a logical queue: `{webhooks-<shard>}` for each shard of
 * `webhook-events`, `{conversations}`, `{outbound}`. Throws on a shard out of range.
 */
export function physicalQueueName(queue: ShardedQueueName, shard: number): string;
export function physicalQueueName(queue: SingleQueueName): string;
export function physicalQueueName(queue: QueueName, shard?: number): string {
  if (queue === 'webhook-events') {
    if (shard === undefined) throw new RangeError('queue webhook-events is sharded: a shard is required');
    checkShard(shard);
    return `{webhooks-${shard}}`;
  }
  if (shard !== undefined) throw new RangeError(`queue ${queue} is not sharded`);
  return singleQueueNames[queue];
}

/** The physical names of every shard of `webhook-events`, in shard order. */
export function webhookQueueNames(shards: number): string[] {
  checkShards(shards);
  return Array.from({ length: shards }, (_, shard) => physicalQueueName('webhook-events', shard));
}

const utf8 = new TextEncoder();

/**
 * The stage-1 shard of a bot: FNV-1a (32 bit) over the id's UTF-8 bytes, mixed by MurmurHash3's
 * finalizer so the low bits spread well, modulo `shards`. Stable across processes, versions and
 * platforms (the ingress writes with it, and nothing else decides where a bot's webhooks go).
 */
export function webhookShardOf(botId: string, shards: number): number {
  checkShards(shards);
  let hash = 0x811c9dc5;
  for (const byte of utf8.encode(botId)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return (hash >>> 0) % shards;
}

/**
 * Where a deployment records its WEBHOOK_SHARDS (`<prefix>:{meta}:webhook-shards`): ingress and
 * worker compare their own value with it at start, so they never disagree on where a bot's
 * webhooks go.
 */
export const webhookShardsKey = (prefix: string) => `${prefix}:{meta}:webhook-shards`;
