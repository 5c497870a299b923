import type { Logger } from 'pino';

/**
 * The error state of one connection (a Redis client, a BullMQ queue's, a pg pool). A connection
 * that is down emits `error` on every reconnect attempt, many times a second: logging each would
 * flood the log, muting them hides an outage. So only state changes are logged.
 */
export interface ConnectionErrorLog {
  /** An `error` event: logged at warn if the connection was healthy, otherwise only counted. */
  error(error: unknown): void;
  /** The connection works again (ready / connected): logged at info if an error was logged, and the next error is logged again. */
  recovered(): void;
}

/** Creates the error log of the connection named `connection` (e.g. `redis wabot-worker`, `pg pool`). */
export function createConnectionErrorLog(
  logger: Pick<Logger, 'warn' | 'info'>,
  connection: string,
): ConnectionErrorLog {
  let failing = false;
  let suppressed = 0;
  return {
    error(err) {
      if (failing) {
        suppressed++;
        return;
      }
      failing = true;
      suppressed = 0;
      logger.warn({ connection, err }, `${connection}: connection error (further errors are logged once it recovered)`);
    },
    recovered() {
      if (!failing) return;
      failing = false;
      logger.info({ connection, suppressedErrors: suppressed }, `${connection}: connection recovered`);
    },
  };
}
