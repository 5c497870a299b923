export { type CaptureStream, createCaptureStream } from './capture-stream.js';
export { type CreateLoggerOptions, createLogger, type Logger, redactPaths } from './create-logger.js';
