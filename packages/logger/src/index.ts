export { type CaptureStream, createCaptureStream } from './capture-stream.js';
export { type ConnectionErrorLog, createConnectionErrorLog } from './connection-error-log.js';
export {
  type CreateLoggerOptions,
  createLogger,
  createServiceLogger,
  type LogFormat,
  type Logger,
  redactPaths,
  resolveLogFormat,
} from './create-logger.js';
export { createLazyChildLogger, LazyChildLogger } from './lazy-child-logger.js';
