export { createLocalMediaStore } from './local-media-store.js';
export { assertMediaKey, type MediaStore, type StoredMedia } from './media-store.js';
export {
  createMediaStore,
  DEFAULT_MEDIA_DIR,
  type MediaStoreConfig,
  type MediaStoreLocation,
  mediaStoreEnv,
  parseMediaStoreLocation,
} from './media-store-env.js';
export { createS3MediaStore, type S3MediaStoreOptions } from './s3-media-store.js';
