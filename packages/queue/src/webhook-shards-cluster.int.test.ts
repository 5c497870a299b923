import { physicalQueueName, webhookShardOf } from '@wabot/contracts';
import { useTestRedisCluster } from '@wabot/testing';
import { Worker } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { createRedisConnection } from './redis-connection.js';
import { createProducer, createShardedProducer } from './typed-queue.js';
import { verifyWebhookShards, WebhookShardsMismatchError } from './webhook-shards.js';

// The stage-1 layout on a real Redis Cluster: every shard queue, {conversations} and the shard-count
// key each stay in one slot, so BullMQ's scripts and ours run (no CROSSSLOT).
const cluster = useTestRedisCluster();
const SHARDS = 16;

describe('stage-1 queues on a Redis Cluster', () => {
  it('adds to and consumes every shard queue, with global concurrency 1, and records WEBHOOK_SHARDS', async () => {
    const { prefix, seeds } = cluster.current;
    const target = { url: 'redis://127.0.0.1:6379', clusterNodes: seeds.split(',') };
    const connection = createRedisConnection(target, 'worker');
    const webhooks = createShardedProducer(connection, prefix, SHARDS);
    const conversations = createProducer('conversations', connection, prefix);
    const seen: number[] = [];
    const workers = webhooks.producers.map((producer, shard) => {
      const worker = new Worker(
        producer.queue.name,
        async () => {
          seen.push(shard);
        },
        { connection, prefix, concurrency: 1 },
      );
      worker.on('error', () => {});
      return worker;
    });
    try {
      expect(await verifyWebhookShards(connection, prefix, SHARDS)).toEqual({ recorded: true });
      await expect(verifyWebhookShards(connection, prefix, 4)).rejects.toBeInstanceOf(WebhookShardsMismatchError);
      await Promise.all(webhooks.producers.map((producer) => producer.queue.setGlobalConcurrency(1)));
      // A bot id per shard (ids are hashed: draw until every shard has one).
      const botOf = new Map<number, string>();
      for (let n = 0; botOf.size < SHARDS; n++) {
        const id = `bt_cluster${n}`;
        botOf.set(webhookShardOf(id, SHARDS), botOf.get(webhookShardOf(id, SHARDS)) ?? id);
      }
      for (const botId of botOf.values()) {
        await webhooks
          .forBot(botId)
          .add('meta-webhook', { botId, rawBody: '{}', receivedAt: Date.now(), requestId: botId });
      }
      await conversations.add('drain-conversation', { botId: 'bt_cluster0', userKey: '1' });
      await expect.poll(() => seen.length, { timeout: 15_000 }).toBe(SHARDS);
      expect([...seen].sort((a, b) => a - b)).toEqual([...Array(SHARDS).keys()]);
      expect(await conversations.queue.getWaitingCount()).toBe(1);
      expect(webhooks.producers.map((p) => p.queue.name)).toContain(physicalQueueName('webhook-events', 15));
    } finally {
      await Promise.all(workers.map((worker) => worker.close()));
      await Promise.all([webhooks.close(), conversations.close()]);
      connection.disconnect();
    }
  });
});
