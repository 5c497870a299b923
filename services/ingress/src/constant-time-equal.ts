import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * Case-sensitive string equality whose time depends on neither the contents nor the lengths of
 * the inputs (both are hashed to 32 bytes first), for comparing secrets such as verify tokens.
 */
export function constantTimeEqual(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}
