import type { Logger } from '@wabot/logger';
import type { RedisClient } from '@wabot/queue';
import type { IngressConfig } from './config.js';

/**
 * What the 200 of a webhook promises (INGRESS_DURABILITY, docs/operations.md):
 * - `fsync`: Redis confirms a write after its append-only file reached the disk
 *   (`appendonly yes`, `appendfsync always`); checked at start, a warning when Redis says otherwise.
 * - `replica`: after every write the ingress issues `WAIT <INGRESS_WAIT_REPLICAS> <INGRESS_WAIT_TIMEOUT_MS>`
 *   and answers 503 (Meta redelivers) unless that many replicas have the write.
 * - `none`: Redis's confirmation alone (with `appendfsync everysec` a crash loses up to a second).
 */
export interface Durability {
  /** Resolves once the write just confirmed by Redis is as durable as promised; rejects otherwise. */
  confirmWrite?: () => Promise<void>;
  /** Logs a warning when Redis's persistence does not keep the promise (best effort: CONFIG may be refused). */
  checkAtStart(): Promise<void>;
}

export function createDurability(
  config: Pick<IngressConfig, 'INGRESS_DURABILITY' | 'INGRESS_WAIT_REPLICAS' | 'INGRESS_WAIT_TIMEOUT_MS'>,
  redis: RedisClient,
  logger: Logger,
): Durability {
  const mode = config.INGRESS_DURABILITY;
  const replicas = config.INGRESS_WAIT_REPLICAS;
  const timeoutMs = config.INGRESS_WAIT_TIMEOUT_MS;
  return {
    ...(mode === 'replica'
      ? {
          async confirmWrite() {
            // WAIT covers every write this connection sent before it: the whole group-commit batch.
            const acked = Number(await redis.call('WAIT', String(replicas), String(timeoutMs)));
            if (acked < replicas) {
              throw new Error(
                `only ${acked} of ${replicas} Redis replica(s) confirmed the write within ${timeoutMs} ms`,
              );
            }
          },
        }
      : {}),
    async checkAtStart() {
      if (mode !== 'fsync') return;
      try {
        const [, appendonly] = (await redis.call('CONFIG', 'GET', 'appendonly')) as string[];
        const [, appendfsync] = (await redis.call('CONFIG', 'GET', 'appendfsync')) as string[];
        if (appendonly !== 'yes' || appendfsync !== 'always') {
          logger.warn(
            { appendonly, appendfsync },
            'ingress: INGRESS_DURABILITY=fsync but Redis does not fsync every write (appendonly yes, appendfsync always): a Redis crash can lose webhooks already answered 200',
          );
        }
      } catch (err) {
        logger.info({ err }, 'ingress: could not read Redis persistence settings (CONFIG refused); not checked');
      }
    },
  };
}
