import { type ConnectionErrorLog, createConnectionErrorLog, type Logger } from '@wabot/logger';
import type { Cluster, Redis } from 'ioredis';

type Connection = Redis | Cluster;

const logs = new WeakMap<Connection, ConnectionErrorLog>();

/**
 * The error log of one Redis connection, shared by everything that reports its errors: the
 * connection itself and the BullMQ queues and workers built on it (which re-emit its errors), so an
 * outage is one warn line per connection, not one per queue. It recovers when the connection is
 * ready again.
 */
function errorLogOf(redis: Connection, logger: Pick<Logger, 'warn' | 'info'>, name = 'redis'): ConnectionErrorLog {
  let log = logs.get(redis);
  if (!log) {
    log = createConnectionErrorLog(logger, name);
    redis.on('ready', log.recovered);
    logs.set(redis, log);
  }
  return log;
}

/** Logs a Redis connection's `error` events once per state change (see `createConnectionErrorLog`); `name` names it in the log. */
export function logRedisErrors(redis: Connection, logger: Pick<Logger, 'warn' | 'info'>, name = 'redis'): void {
  redis.on('error', errorLogOf(redis, logger, name).error);
}

/**
 * Logs the `error` events of a BullMQ queue or worker on `connection` once per state change of
 * that connection. Attach one to every queue and worker: an `error` event without a listener
 * crashes the process.
 */
export function logQueueErrors(
  emitter: { on(event: 'error', listener: (error: Error) => void): unknown },
  connection: Connection,
  logger: Pick<Logger, 'warn' | 'info'>,
): void {
  emitter.on('error', errorLogOf(connection, logger).error);
}

const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EPIPE',
  'EHOSTUNREACH',
]);

/** True for an error of the connection itself (refused, reset, timed out, closed), not of a command. */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = 'code' in error ? error.code : undefined;
  if (typeof code === 'string' && CONNECTION_ERROR_CODES.has(code)) return true;
  return /Connection is closed|connect ECONNREFUSED|Stream isn't writeable|ClusterAllFailedError/i.test(error.message);
}

/**
 * The listener for a BullMQ worker's `error` events: connection errors go to the connection's
 * once-per-state-change log (an outage is one warn line, not one per poll); any other error is
 * passed to `other` every time.
 */
export function workerErrorListener(
  connection: Connection,
  logger: Pick<Logger, 'warn' | 'info'>,
  other: (error: Error) => void,
): (error: Error) => void {
  const connectionLog = errorLogOf(connection, logger);
  return (error) => (isConnectionError(error) ? connectionLog.error(error) : other(error));
}
