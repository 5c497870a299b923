import { createHash } from 'node:crypto';
import { openAsBlob } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';

/**
 * Where operators' uploaded files wait for their send (issue #18): written durably before the
 * admin API answers 202, read by the worker when it uploads them to Meta. The one implementation
 * is a local directory (`MEDIA_STORE`); the interface is small so that another store (the inbound
 * media store, S3) can take its place.
 */
export interface MediaFiles {
  /**
   * Writes `source` under `key`, durably (written, fsynced, then renamed into place), counting and
   * hashing as it goes. Past `maxBytes` it stops, removes what it wrote and throws
   * {@link MediaTooLargeError}. `head` is the file's first bytes (up to 4100, for type detection).
   */
  write(
    key: string,
    source: AsyncIterable<Uint8Array>,
    options: { maxBytes: number },
  ): Promise<{ sizeBytes: number; sha256: string; head: Uint8Array }>;
  /** The file under `key` as a Blob read from the store as it is consumed. */
  read(key: string, mimeType?: string): Promise<Blob>;
  /** Removes the file under `key` (nothing when it is gone already). */
  remove(key: string): Promise<void>;
}

export class MediaTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`the file is larger than ${maxBytes} bytes`);
    this.name = 'MediaTooLargeError';
  }
}

const KEY = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/;
const HEAD_BYTES = 4100;

/** {@link MediaFiles} in a local directory (created when missing); keys are relative paths of `[A-Za-z0-9_-]` segments. */
export function createLocalMediaFiles(directory: string): MediaFiles {
  const root = resolve(directory);
  const pathOf = (key: string) => {
    if (!KEY.test(key)) throw new Error(`not a media key: ${JSON.stringify(key)}`);
    const path = join(root, ...key.split('/'));
    if (!path.startsWith(root + sep)) throw new Error(`not a media key: ${JSON.stringify(key)}`);
    return path;
  };
  return {
    async write(key, source, { maxBytes }) {
      const path = pathOf(key);
      const partial = `${path}.part`;
      await mkdir(dirname(path), { recursive: true });
      const file = await open(partial, 'w');
      const hash = createHash('sha256');
      const head: Uint8Array[] = [];
      let headBytes = 0;
      let sizeBytes = 0;
      try {
        for await (const chunk of source) {
          sizeBytes += chunk.byteLength;
          if (sizeBytes > maxBytes) throw new MediaTooLargeError(maxBytes);
          if (headBytes < HEAD_BYTES) {
            head.push(chunk.subarray(0, HEAD_BYTES - headBytes));
            headBytes += Math.min(chunk.byteLength, HEAD_BYTES - headBytes);
          }
          hash.update(chunk);
          await file.write(chunk);
        }
        await file.sync();
      } catch (error) {
        await file.close().catch(() => {});
        await rm(partial, { force: true });
        throw error;
      }
      await file.close();
      await rename(partial, path);
      // The rename is durable once the directory entry is.
      const dir = await open(dirname(path), 'r');
      await dir.sync().finally(() => dir.close());
      return { sizeBytes, sha256: hash.digest('hex'), head: Buffer.concat(head) };
    },
    async read(key, mimeType) {
      return openAsBlob(pathOf(key), mimeType === undefined ? {} : { type: mimeType });
    },
    async remove(key) {
      await rm(pathOf(key), { force: true });
    },
  };
}

/**
 * A whole-file store (the shape of the inbound media store, `@wabot/media-store`'s `MediaStore`:
 * a local directory or S3), which {@link mediaFilesOver} adapts.
 */
export interface WholeFileStore {
  put(key: string, data: Uint8Array, contentType: string): Promise<void>;
  read(key: string): Promise<Uint8Array | null>;
  delete(key: string): Promise<void>;
}

/**
 * {@link MediaFiles} over a whole-file store: the upload is counted, hashed and held in memory up
 * to `maxBytes` (at most Meta's 100 MB), then put in one call. How the two stores become one.
 */
export function mediaFilesOver(store: WholeFileStore): MediaFiles {
  return {
    async write(key, source, { maxBytes }) {
      const hash = createHash('sha256');
      const chunks: Uint8Array[] = [];
      let sizeBytes = 0;
      for await (const chunk of source) {
        sizeBytes += chunk.byteLength;
        if (sizeBytes > maxBytes) throw new MediaTooLargeError(maxBytes);
        hash.update(chunk);
        chunks.push(chunk);
      }
      const data = Buffer.concat(chunks);
      await store.put(key, data, 'application/octet-stream');
      return { sizeBytes, sha256: hash.digest('hex'), head: data.subarray(0, HEAD_BYTES) };
    },
    async read(key, mimeType) {
      const data = await store.read(key);
      if (data === null) throw new Error(`no media file ${key}`);
      return new Blob([data], mimeType === undefined ? {} : { type: mimeType });
    },
    remove: (key) => store.delete(key),
  };
}

/**
 * The operators' files in MEDIA_STORE: streamed to disk for a directory (fsynced, never held
 * whole), through `store` (the deployment's MediaStore) otherwise, e.g. S3, held in memory up to
 * Meta's limit while stored. One store for inbound and outbound files.
 */
export function mediaFilesIn(
  location: { kind: 'local'; dir: string } | { kind: 's3' },
  store: WholeFileStore,
): MediaFiles {
  return location.kind === 'local' ? createLocalMediaFiles(location.dir) : mediaFilesOver(store);
}
