export {
  createLocalMediaFiles,
  type MediaFiles,
  MediaTooLargeError,
  mediaFilesIn,
  mediaFilesOver,
  type WholeFileStore,
} from './media-files.js';
