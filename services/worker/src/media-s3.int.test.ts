import { createHash, randomBytes } from 'node:crypto';
import { type S3Fake, startS3Fake } from '@wabot/media-store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentWebhook, eventually, useWorkerKit, type WorkerKit } from './testing/worker.test-kit.js';

const fixture = useWorkerKit({ workers: 0 });
let kit: WorkerKit;
let s3: S3Fake;

beforeAll(async () => {
  kit = fixture.kit;
  s3 = await startS3Fake({ buckets: ['wabot-media'], accessKeyId: 'AKIDWORKER' });
  await kit.startWorker({
    MEDIA_STORE: { kind: 's3', bucket: 'wabot-media', prefix: 'inbound' },
    AWS_ENDPOINT_URL_S3: s3.url,
    AWS_ACCESS_KEY_ID: 'AKIDWORKER',
    AWS_SECRET_ACCESS_KEY: 'secret',
  });
});
afterAll(() => s3?.close());

describe('inbound media in an S3-compatible store (MEDIA_STORE=s3://bucket/prefix)', () => {
  it('the file is stored through the AWS SDK under the prefix, path-style, with its MIME type', async () => {
    const bot = await kit.createBot();
    const data = randomBytes(777);
    const media = kit.graph.media.register({ data, mimeType: 'image/png', token: bot.accessToken });
    await kit.deliver(bot, contentWebhook(bot, '15550400001', { type: 'image', media }));
    const row = await eventually(async () => {
      const found = await fixture.database.current.db.inboundMedia.findFirst({ where: { botId: bot.id } });
      return found?.status === 'stored' ? found : null;
    }, 15_000);
    expect(row.sha256).toBe(createHash('sha256').update(data).digest('hex'));
    expect(s3.object('wabot-media', `inbound/${row.storeKey}`)?.equals(data)).toBe(true);
    const put = s3.requests.find((r) => r.operation === 'PutObject' && r.key === `inbound/${row.storeKey}`);
    expect(put).toMatchObject({ bucket: 'wabot-media', status: 200 });
  });
});
