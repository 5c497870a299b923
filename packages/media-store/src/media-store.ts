import type { Readable } from 'node:stream';

/** A stored file opened for reading. */
export interface StoredMedia {
  body: Readable;
  /** Bytes, as stored. */
  size: number;
  contentType: string;
}

/**
 * Where fetched media is kept (`MEDIA_STORE`, docs/contract.md): a local directory or an S3
 * bucket. Keys are relative (`<bot id>/<message id>`); the store adds its own root or prefix.
 */
export interface MediaStore {
  /** `local:<dir>` or `s3://<bucket>/<prefix>`, for logs and diagnostics (no credentials). */
  readonly description: string;
  /** Stores `data` under `key`, replacing any earlier file. */
  put(key: string, data: Uint8Array, contentType: string): Promise<void>;
  /** The file as a stream; null when there is none. */
  open(key: string): Promise<StoredMedia | null>;
  /** The whole file; null when there is none. */
  read(key: string): Promise<Buffer | null>;
  /** Removes the file; a missing file is no error. */
  delete(key: string): Promise<void>;
  /** Keys under `prefix` (relative, as given to put), in key order. */
  list(prefix?: string): Promise<string[]>;
  close(): Promise<void>;
}

const SAFE_KEY = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

/** Rejects keys that could leave the store's root (`..`, absolute paths, odd characters). */
export function assertMediaKey(key: string): void {
  if (!SAFE_KEY.test(key) || key.split('/').some((segment) => segment === '.' || segment === '..')) {
    throw new Error(`not a media key: ${JSON.stringify(key)}`);
  }
}
