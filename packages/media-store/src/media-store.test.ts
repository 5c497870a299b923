import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLocalMediaStore } from './local-media-store.js';
import type { MediaStore } from './media-store.js';
import { createMediaStore, DEFAULT_MEDIA_DIR, mediaStoreEnv, parseMediaStoreLocation } from './media-store-env.js';
import { createS3MediaStore } from './s3-media-store.js';
import { startS3Fake } from './testing/s3-fake.js';

const dir = await mkdtemp(path.join(os.tmpdir(), 'wabot-media-'));
const s3 = await startS3Fake({ buckets: ['media'], accessKeyId: 'AKIDTEST' });
const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' };
const stores: Record<string, MediaStore> = {
  local: createLocalMediaStore(dir),
  s3: createS3MediaStore({ bucket: 'media', prefix: 'wabot/inbound', endpoint: s3.url, credentials }),
};
afterAll(async () => {
  for (const store of Object.values(stores)) await store.close();
  await s3.close();
  await rm(dir, { recursive: true, force: true });
});

describe.each(Object.keys(stores))('%s media store', (name) => {
  const store = stores[name] as MediaStore;
  const data = Buffer.from(`bytes of ${name} ${Math.random()}`);

  it('stores a file and gives it back whole and as a stream, with its type and size', async () => {
    await store.put('bot-1/msg-1', data, 'image/png');
    expect((await store.read('bot-1/msg-1'))?.equals(data)).toBe(true);
    const opened = await store.open('bot-1/msg-1');
    expect(opened?.contentType).toBe('image/png');
    expect(opened?.size).toBe(data.length);
    expect(opened && (await buffer(opened.body)).equals(data)).toBe(true);
  });

  it('lists keys under a prefix and deletes (a missing file is no error)', async () => {
    await store.put('bot-2/a', data, 'audio/ogg');
    await store.put('bot-2/b', data, 'audio/ogg');
    await store.put('bot-3/c', data, 'audio/ogg');
    expect(await store.list('bot-2/')).toEqual(['bot-2/a', 'bot-2/b']);
    await store.delete('bot-2/a');
    await store.delete('bot-2/never-there');
    expect(await store.list('bot-2/')).toEqual(['bot-2/b']);
    expect(await store.read('bot-2/a')).toBeNull();
    expect(await store.open('bot-2/a')).toBeNull();
  });

  it('refuses keys that could leave its root', async () => {
    await expect(store.put('../escape', data, 'text/plain')).rejects.toThrow(/not a media key/);
    await expect(store.read('/etc/passwd')).rejects.toThrow(/not a media key/);
  });
});

describe('S3 through the official SDK against the fake', () => {
  it('puts under the prefix, path-style, with the content type', async () => {
    await stores.s3?.put('bot-9/m', Buffer.from('x'), 'application/pdf');
    expect(s3.keys('media')).toContain('wabot/inbound/bot-9/m');
    expect(s3.requests.some((r) => r.operation === 'PutObject' && r.key === 'wabot/inbound/bot-9/m')).toBe(true);
  });

  it('answers HeadObject and a paged ListObjectsV2 as the SDK expects', async () => {
    const client = new S3Client({ endpoint: s3.url, region: 'us-east-1', forcePathStyle: true, credentials });
    await client.send(
      new PutObjectCommand({ Bucket: 'media', Key: 'paged/a', Body: Buffer.from('abc'), ContentType: 'text/plain' }),
    );
    await client.send(new PutObjectCommand({ Bucket: 'media', Key: 'paged/b', Body: Buffer.from('de') }));
    const head = await client.send(new HeadObjectCommand({ Bucket: 'media', Key: 'paged/a' }));
    expect(head).toMatchObject({ ContentLength: 3, ContentType: 'text/plain' });
    await expect(client.send(new HeadObjectCommand({ Bucket: 'media', Key: 'paged/none' }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 404 },
    });
    const first = await client.send(new ListObjectsV2Command({ Bucket: 'media', Prefix: 'paged/', MaxKeys: 1 }));
    expect(first).toMatchObject({ IsTruncated: true, KeyCount: 1, Contents: [{ Key: 'paged/a', Size: 3 }] });
    const second = await client.send(
      new ListObjectsV2Command({ Bucket: 'media', Prefix: 'paged/', ContinuationToken: first.NextContinuationToken }),
    );
    expect(second.Contents?.map((c) => c.Key)).toEqual(['paged/b']);
    await expect(client.send(new GetObjectCommand({ Bucket: 'nope', Key: 'x' }))).rejects.toMatchObject({
      name: 'NoSuchBucket',
    });
    client.destroy();
  });

  it('a wrong access key is refused by the store (the SDK surfaces the S3 error)', async () => {
    const wrong = createS3MediaStore({
      bucket: 'media',
      prefix: '',
      endpoint: s3.url,
      credentials: { accessKeyId: 'AKIDOTHER', secretAccessKey: 'x' },
    });
    await expect(wrong.put('k', Buffer.from('x'), 'text/plain')).rejects.toThrow(/Access Key Id/);
    await wrong.close();
  });
});

describe('MEDIA_STORE', () => {
  const schema = z.object(mediaStoreEnv);
  it('is a directory by default, or s3://bucket/prefix', () => {
    // The project's git-ignored .wabot/media (this file is packages/media-store/src/…).
    const root = path.resolve(import.meta.dirname, '../../..');
    expect(schema.parse({}).MEDIA_STORE).toEqual({ kind: 'local', dir: path.join(root, '.wabot/media') });
    expect(DEFAULT_MEDIA_DIR).toBe(path.join(root, '.wabot/media'));
    expect(parseMediaStoreLocation('s3://my-bucket/a/b/')).toEqual({ kind: 's3', bucket: 'my-bucket', prefix: 'a/b' });
    expect(parseMediaStoreLocation('./media')).toEqual({ kind: 'local', dir: path.resolve('./media') });
  });

  it('names a bad value', () => {
    expect(schema.safeParse({ MEDIA_STORE: 'ftp://x/y' }).success).toBe(false);
    expect(schema.safeParse({ MEDIA_STORE: 's3://' }).success).toBe(false);
  });

  it('builds an S3 store from the standard AWS variables', async () => {
    const config = schema.parse({
      MEDIA_STORE: 's3://media/from-env',
      AWS_ENDPOINT_URL_S3: s3.url,
      AWS_ACCESS_KEY_ID: 'AKIDTEST',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_REGION: 'eu-west-1',
    });
    const store = createMediaStore(config);
    expect(store.description).toBe('s3://media/from-env');
    await store.put('k', Buffer.from('v'), 'text/plain');
    expect(s3.object('media', 'from-env/k')?.toString()).toBe('v');
    await store.close();
  });
});
