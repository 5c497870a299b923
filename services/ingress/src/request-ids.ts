import { randomBytes } from 'node:crypto';

/**
 * Request ids that stay unique across processes and restarts without a random draw per request:
 * a random per-process prefix (48 bits) and a counter. The id travels in logs and in the job.
 */
export function createRequestIdGenerator(): () => string {
  const prefix = randomBytes(6).toString('base64url');
  let next = 0;
  return () => `${prefix}-${(next++).toString(36)}`;
}
