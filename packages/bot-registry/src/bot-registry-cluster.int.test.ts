import { randomBytes, randomUUID } from 'node:crypto';
import { createBotRepository } from '@wabot/db';
import { createCaptureStream, createLogger } from '@wabot/logger';
import { createSecretBox } from '@wabot/secrets';
import { createTestBot, eventually, toClusterNode, useTestDatabase, useTestRedisCluster } from '@wabot/testing';
import { Cluster, Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { type BotRegistry, createBotRegistry, publishBotChanged } from './index.js';

// The registry's change announcements on a real Redis Cluster: each registry's subscriber is a
// Cluster connection (subscribed on one node it picks), announcements are published on any node.
const database = useTestDatabase();
const cluster = useTestRedisCluster();
const secretBox = createSecretBox(randomBytes(32));
const logger = createLogger({ name: 'bot-registry-cluster-test', destination: createCaptureStream() });

const closers: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function startRegistry(changes: string[]): Promise<BotRegistry> {
  // What createRedisConnection(target, 'worker') gives on a cluster: waits for Redis, never gives up.
  const subscriber = new Cluster(cluster.current.nodes.map(toClusterNode), {
    redisOptions: { maxRetriesPerRequest: null },
  });
  const registry = createBotRegistry({
    bots: createBotRepository(database.current.db),
    secretBox,
    subscriber,
    prefix: cluster.current.prefix,
    logger,
    onChange: (botId) => changes.push(botId),
  });
  await registry.start();
  closers.push(() => registry.close());
  return registry;
}

describe('createBotRegistry with a Cluster subscriber', () => {
  it('drops a changed bot in every process, whichever node the announcement is published on', async () => {
    const workspace = await database.current.db.workspace.create({ data: { name: 'cluster registry' } });
    const bot = await createTestBot(database.current.db, secretBox, {
      workspaceId: workspace.id,
      id: randomUUID(),
      status: 'active',
      appSecret: 'old-secret',
      verifyToken: 'Verify-1',
      accessToken: 'EAAG-access-token',
    });
    const ingressChanges: string[] = [];
    const workerChanges: string[] = [];
    const ingress = await startRegistry(ingressChanges);
    const worker = await startRegistry(workerChanges);
    for (const registry of [ingress, worker]) expect(await registry.get(bot.id)).toMatchObject({ active: true });

    await database.current.db.bot.update({
      where: { id: bot.id },
      data: { status: 'inactive', appSecretCipher: secretBox.seal('new-secret'), version: 2 },
    });
    await publishBotChanged(cluster.current.client, cluster.current.prefix, { botId: bot.id, version: 2 });
    for (const registry of [ingress, worker]) {
      await eventually(async () => (await registry.get(bot.id))?.active === false, 3_000, 'the change');
      expect(await registry.get(bot.id)).toMatchObject({ appSecret: 'new-secret', version: 2 });
    }

    // Published straight into each master: the subscribers sit on one node each, PUBLISH reaches all.
    const announced = cluster.current.nodes.map(() => randomUUID());
    for (const [i, node] of cluster.current.nodes.entries()) {
      const direct = new Redis({ ...toClusterNode(node), lazyConnect: true });
      closers.push(() => direct.disconnect());
      await publishBotChanged(direct, cluster.current.prefix, { botId: announced[i] ?? '', version: 1 });
    }
    for (const changes of [ingressChanges, workerChanges]) {
      await eventually(() => announced.every((id) => changes.includes(id)), 3_000, 'every announcement');
      // Messages published on different nodes reach a subscriber in no guaranteed order.
      expect(changes[0]).toBe(bot.id);
      expect(changes.slice(1).sort()).toEqual([...announced].sort());
    }
  });
});
