import type { Logger } from '@wabot/logger';
import closeWithGrace from 'close-with-grace';

export interface RunningService {
  /** Stop accepting work, drain what is in flight, close connections. */
  close(): Promise<void>;
}

/**
 * Starts a service and installs graceful shutdown: on SIGTERM/SIGINT (or an uncaught error) it
 * calls `close()` once and exits 0 when that finished within `timeoutMs`, 1 otherwise.
 */
export async function runService(
  name: string,
  logger: Logger,
  start: () => Promise<RunningService>,
  timeoutMs = 10_000,
): Promise<void> {
  let service: RunningService | undefined;
  closeWithGrace({ delay: timeoutMs, logger: false }, async ({ signal, err }) => {
    if (err) logger.error({ err }, `${name}: fatal error, shutting down`);
    else logger.info({ signal }, `${name}: shutting down`);
    await service?.close();
    logger.info(`${name}: stopped`);
    if (err) process.exitCode = 1;
  });
  try {
    service = await start();
  } catch (err) {
    logger.fatal({ err }, `${name}: failed to start`);
    process.exit(1);
  }
}
