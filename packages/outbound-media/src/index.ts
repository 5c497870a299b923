export {
  createLocalMediaFiles,
  type MediaFiles,
  MediaTooLargeError,
  mediaFilesOver,
  type WholeFileStore,
} from './media-files.js';
