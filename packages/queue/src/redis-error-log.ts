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
