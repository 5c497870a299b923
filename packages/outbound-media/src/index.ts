export { createLocalMediaFiles, type MediaFiles, MediaTooLargeError } from './media-files.js';
