import type { WorkerConfig } from '../../config.js';

/**
 * The platform's own endpoints an HTTP tool must never reach, even on an allowed host: the
 * database, Redis (or its cluster seeds) and this worker's health and metrics port.
 */
export function platformEndpoints(
  config: Pick<WorkerConfig, 'DATABASE_URL' | 'REDIS_URL' | 'REDIS_CLUSTER_NODES' | 'WORKER_PORT'>,
): string[] {
  return [
    config.DATABASE_URL,
    config.REDIS_URL,
    ...(config.REDIS_CLUSTER_NODES ?? []),
    ...['127.0.0.1', 'localhost', '[::1]'].map((host) => `${host}:${config.WORKER_PORT}`),
  ];
}
