import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { createLocalMediaStore } from './local-media-store.js';
import type { MediaStore } from './media-store.js';
import { createS3MediaStore } from './s3-media-store.js';

/** The default MEDIA_STORE: `.wabot/media` at the project root (git-ignored), from src/ or dist/ alike. */
export const DEFAULT_MEDIA_DIR = fileURLToPath(new URL('../../../.wabot/media', import.meta.url));

/** Where MEDIA_STORE points: a directory, or a bucket and key prefix. */
export type MediaStoreLocation = { kind: 'local'; dir: string } | { kind: 's3'; bucket: string; prefix: string };

const S3_URL = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/;

/** `s3://bucket/prefix` or a directory path (relative paths from the working directory). */
export function parseMediaStoreLocation(value: string): MediaStoreLocation | null {
  if (value.startsWith('s3://')) {
    const match = S3_URL.exec(value);
    if (!match?.[1]) return null;
    return { kind: 's3', bucket: match[1], prefix: (match[2] ?? '').replace(/^\/+|\/+$/g, '') };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return null;
  return { kind: 'local', dir: path.resolve(value) };
}

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((v) => v || undefined);

/**
 * MEDIA_STORE and the standard AWS variables an S3 store uses (docs/contract.md, Configuration).
 * Credentials left unset fall to the SDK's default chain (profiles, instance roles).
 */
export const mediaStoreEnv = {
  MEDIA_STORE: z
    .string()
    .trim()
    .default(DEFAULT_MEDIA_DIR)
    .transform((value, ctx) => {
      const location = parseMediaStoreLocation(value || DEFAULT_MEDIA_DIR);
      if (!location) {
        ctx.addIssue({ code: 'custom', message: 'must be a directory path or s3://<bucket>/<prefix>' });
        return z.NEVER;
      }
      return location;
    }),
  /** An S3-compatible endpoint (MinIO, R2, Ceph...); path-style requests unless AWS_S3_FORCE_PATH_STYLE=false. */
  AWS_ENDPOINT_URL_S3: z.url({ protocol: /^https?$/ }).optional(),
  AWS_ENDPOINT_URL: z.url({ protocol: /^https?$/ }).optional(),
  AWS_REGION: optionalText,
  AWS_ACCESS_KEY_ID: optionalText,
  AWS_SECRET_ACCESS_KEY: optionalText,
  AWS_S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).optional(),
};

export type MediaStoreConfig = z.infer<z.ZodObject<typeof mediaStoreEnv>>;

/** The MediaStore a service's config names. */
export function createMediaStore(config: MediaStoreConfig): MediaStore {
  const location = config.MEDIA_STORE;
  if (location.kind === 'local') return createLocalMediaStore(location.dir);
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey } = config;
  return createS3MediaStore({
    bucket: location.bucket,
    prefix: location.prefix,
    endpoint: config.AWS_ENDPOINT_URL_S3 ?? config.AWS_ENDPOINT_URL,
    region: config.AWS_REGION,
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
    forcePathStyle:
      config.AWS_S3_FORCE_PATH_STYLE === undefined ? undefined : config.AWS_S3_FORCE_PATH_STYLE === 'true',
  });
}
