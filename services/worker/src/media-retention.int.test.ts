import { randomBytes, randomUUID } from 'node:crypto';
import { MEDIA_RETENTION_SCHEDULER } from '@wabot/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { handleMediaRetention } from './handlers/handle-media-retention.js';
import { eventually, useWorkerKit, type WorkerKit } from './testing/worker.test-kit.js';

const fixture = useWorkerKit();
const { database } = fixture;
let kit: WorkerKit;
let schedulers: { key: string; name: string; every?: number | null | undefined }[] = [];
beforeAll(async () => {
  kit = fixture.kit;
  // The runtime scheduled the job (its first run comes at once): note the schedule, then stop it
  // and let any run in flight finish, so the tests below call the handler alone.
  const { queue } = fixture.runtime.deps.outbound;
  schedulers = await queue.getJobSchedulers();
  await queue.removeJobScheduler(MEDIA_RETENTION_SCHEDULER);
  await eventually(async () => {
    const jobs = await queue.getJobs(['active', 'waiting', 'delayed', 'prioritized']);
    return jobs.every((job) => job.name !== 'media-retention') ? true : null;
  });
});

const DAY = 24 * 3600 * 1000;

/** A stored inbound file of `botId` fetched `ageDays` ago (row and bytes, as the worker leaves them). */
async function storedFile(botId: string, ageDays: number) {
  const db = database.current.db;
  const conversation = await db.conversation.create({
    data: { botId, userKey: `1555${randomBytes(4).toString('hex')}`, lastMessageAt: new Date() },
  });
  const message = await db.message.create({
    data: {
      botId,
      conversationId: conversation.id,
      direction: 'inbound',
      metaMessageId: `wamid.${randomUUID()}`,
      type: 'image',
      text: 'look\n[Image]',
      status: 'handled',
    },
  });
  const storeKey = `${botId}/${message.id}`;
  await fixture.runtime.deps.media.store.put(storeKey, randomBytes(64), 'image/jpeg');
  await db.inboundMedia.create({
    data: {
      messageId: message.id,
      botId,
      kind: 'image',
      mediaId: '99',
      mimeType: 'image/jpeg',
      fileSize: 64,
      sha256: 'cd'.repeat(32),
      caption: 'look',
      status: 'stored',
      storeKey,
      fetchedAt: new Date(Date.now() - ageDays * DAY),
    },
  });
  return { messageId: message.id, storeKey };
}

describe('media retention (settings.media_retention_days)', () => {
  it('removes files older than each bot keeps them; the messages keep their metadata with deleted_at', async () => {
    const store = fixture.runtime.deps.media.store;
    const byDefault = await kit.createBot(); // 90 days
    const week = await kit.createBot({ media_retention_days: 7 });
    const forever = await kit.createBot({ media_retention_days: null });
    const old = await storedFile(byDefault.id, 91);
    const recent = await storedFile(byDefault.id, 30);
    const weekOld = await storedFile(week.id, 8);
    const ancient = await storedFile(forever.id, 3000);

    const result = await handleMediaRetention(fixture.runtime.deps);
    expect(result).toEqual({ removed: 2, failed: 0 });

    for (const gone of [old, weekOld]) {
      expect(await store.read(gone.storeKey)).toBeNull();
      const row = await database.current.db.inboundMedia.findUnique({ where: { messageId: gone.messageId } });
      expect(row).toMatchObject({ storeKey: null, status: 'stored', mimeType: 'image/jpeg', caption: 'look' });
      expect(row?.deletedAt).toBeInstanceOf(Date);
    }
    for (const kept of [recent, ancient]) {
      expect(await store.read(kept.storeKey)).not.toBeNull();
      const row = await database.current.db.inboundMedia.findUnique({ where: { messageId: kept.messageId } });
      expect(row).toMatchObject({ storeKey: kept.storeKey, deletedAt: null });
    }
    // A second run finds nothing more to do.
    expect(await handleMediaRetention(fixture.runtime.deps)).toEqual({ removed: 0, failed: 0 });
  });

  it('a file the store cannot delete stays for the next run, its row untouched', async () => {
    const bot = await kit.createBot({ media_retention_days: 1 });
    const file = await storedFile(bot.id, 2);
    const deps = fixture.runtime.deps;
    const failing = {
      ...deps,
      media: {
        ...deps.media,
        store: {
          ...deps.media.store,
          delete: async () => {
            throw new Error('store unreachable');
          },
        },
      },
    };
    expect(await handleMediaRetention(failing)).toMatchObject({ removed: 0, failed: 1 });
    const row = await database.current.db.inboundMedia.findUnique({ where: { messageId: file.messageId } });
    expect(row).toMatchObject({ storeKey: file.storeKey, deletedAt: null });
    expect(await handleMediaRetention(deps)).toMatchObject({ removed: 1 });
  });

  it('every worker upserts one job scheduler for it on the outbound queue', async () => {
    const retention = schedulers.filter((s) => s.key === MEDIA_RETENTION_SCHEDULER);
    expect(retention).toHaveLength(1);
    expect(retention[0]).toMatchObject({ name: 'media-retention', every: kit.config.MEDIA_RETENTION_INTERVAL_MS });
  });
});
