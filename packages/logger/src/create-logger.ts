import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';
import pinoPretty from 'pino-pretty';

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
  /** `pretty`: one coloured line per entry for a person at a terminal; `json` (default): one JSON object per line. */
  format?: LogFormat;
}

export type LogFormat = 'json' | 'pretty';

/**
 * The format for LOG_FORMAT: `auto` is pretty when the output is a terminal (a person reads it)
 * and JSON otherwise (a collector parses it).
 */
export function resolveLogFormat(setting: 'auto' | LogFormat, isTerminal: boolean): LogFormat {
  if (setting !== 'auto') return setting;
  return isTerminal ? 'pretty' : 'json';
}

/** The one way services build a pino logger: JSON lines, ISO time, secrets redacted. */
export function createLogger({
  name,
  level = 'info',
  destination,
  base,
  format = 'json',
}: CreateLoggerOptions): Logger {
  const options: LoggerOptions = {
    name,
    level,
    base: { service: name, ...base },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: redactPaths, censor: '[redacted]' },
    formatters: { level: (label) => ({ level: label }) },
  };
  if (format === 'pretty') {
    // Synchronous (no worker thread), after redaction: the same lines as JSON, only readable.
    const pretty = pinoPretty({
      colorize: true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname,service,name',
      singleLine: true,
      sync: true,
      ...(destination ? { destination } : {}),
    });
    return pino(options, pretty);
  }
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };

/**
 * A service's logger from its parsed configuration: LOG_LEVEL, and LOG_FORMAT resolved against
 * whether the process writes to a terminal.
 */
export function createServiceLogger(
  name: string,
  config: { LOG_LEVEL: string; LOG_FORMAT: 'auto' | LogFormat },
  isTerminal: boolean = process.stdout.isTTY,
): Logger {
  return createLogger({ name, level: config.LOG_LEVEL, format: resolveLogFormat(config.LOG_FORMAT, isTerminal) });
}
