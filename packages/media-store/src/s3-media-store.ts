import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { assertMediaKey, type MediaStore } from './media-store.js';

export interface S3MediaStoreOptions {
  bucket: string;
  /** Prepended to every key (no leading or trailing slash needed). */
  prefix: string;
  /** An S3-compatible endpoint (MinIO, R2, ...): requests then go path-style. Unset: AWS itself. */
  endpoint?: string | undefined;
  region?: string | undefined;
  /** Explicit credentials (tests); otherwise the SDK's default chain (AWS_ACCESS_KEY_ID, profiles, roles). */
  credentials?: { accessKeyId: string; secretAccessKey: string } | undefined;
  /** Path-style addressing; default: on with a custom endpoint. */
  forcePathStyle?: boolean | undefined;
}

const notFound = (error: unknown) =>
  error instanceof NoSuchKey || (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404);

/** A MediaStore in an S3 bucket through the official AWS SDK v3. */
export function createS3MediaStore(options: S3MediaStoreOptions): MediaStore {
  const prefix = options.prefix.replace(/^\/+|\/+$/g, '');
  const client = new S3Client({
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    region: options.region ?? 'us-east-1',
    forcePathStyle: options.forcePathStyle ?? options.endpoint !== undefined,
    ...(options.credentials ? { credentials: options.credentials } : {}),
    // S3-compatible stores differ in the newer default checksums; plain requests work everywhere.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const Bucket = options.bucket;
  const keyOf = (key: string) => {
    assertMediaKey(key);
    return prefix ? `${prefix}/${key}` : key;
  };
  const get = async (key: string) => {
    try {
      return await client.send(new GetObjectCommand({ Bucket, Key: keyOf(key) }));
    } catch (error) {
      if (notFound(error)) return null;
      throw error;
    }
  };
  return {
    description: `s3://${Bucket}/${prefix}`,
    async put(key, data, contentType) {
      await client.send(
        new PutObjectCommand({
          Bucket,
          Key: keyOf(key),
          Body: data,
          ContentType: contentType,
          ContentLength: data.byteLength,
        }),
      );
    },
    async open(key) {
      const object = await get(key);
      if (!object) return null;
      if (!(object.Body instanceof Readable)) throw new Error('S3 GetObject returned no Node.js stream');
      return {
        body: object.Body,
        size: object.ContentLength ?? 0,
        contentType: object.ContentType ?? 'application/octet-stream',
      };
    },
    async read(key) {
      const object = await get(key);
      if (!object?.Body) return null;
      return Buffer.from(await object.Body.transformToByteArray());
    },
    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket, Key: keyOf(key) }));
    },
    async list(relative = '') {
      const keys: string[] = [];
      const root = prefix ? `${prefix}/` : '';
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket, Prefix: `${root}${relative}`, ContinuationToken: token }),
        );
        for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key.slice(root.length));
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return keys.sort();
    },
    close: async () => {
      client.destroy();
    },
  };
}
