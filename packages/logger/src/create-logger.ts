import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';

/**
 * Paths pino replaces with `[redacted]` wherever they appear in a log object: credentials, auth
 * headers and signatures. Message text is never logged at info level by our code; these paths are
 * the safety net for objects logged whole.
 */
export const redactPaths = [
  'password',
  'secret',
  'token',
  'accessToken',
  'access_token',
  'appSecret',
  'app_secret',
  'verifyToken',
  'verify_token',
  'apiKey',
  'api_key',
  'authorization',
  '*.password',
  '*.secret',
  '*.token',
  '*.accessToken',
  '*.access_token',
  '*.appSecret',
  '*.app_secret',
  '*.verifyToken',
  '*.verify_token',
  '*.apiKey',
  '*.authorization',
  'platform_config.access_token',
  'platform_config.app_secret',
  'platform_config.verify_token',
  '*.platform_config.access_token',
  '*.platform_config.app_secret',
  '*.platform_config.verify_token',
  'req.headers.authorization',
  'req.headers["x-hub-signature-256"]',
  'req.headers.cookie',
  'headers.authorization',
  'headers["x-hub-signature-256"]',
];

export interface CreateLoggerOptions {
  name: string;
  level?: string;
  /** Where lines go; tests pass a stream to assert on what was logged. */
  destination?: DestinationStream;
  base?: Record<string, unknown>;
}

/** The one way services build a pino logger: JSON lines, ISO time, secrets redacted. */
export function createLogger({ name, level = 'info', destination, base }: CreateLoggerOptions): Logger {
  const options: LoggerOptions = {
    name,
    level,
    base: { service: name, ...base },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: redactPaths, censor: '[redacted]' },
    formatters: { level: (label) => ({ level: label }) },
  };
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };
