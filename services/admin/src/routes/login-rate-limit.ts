import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

/**
 * The rate-limit key of a sign-in attempt: client IP and email, hashed (the key lands in Redis),
 * so guessing one person's password is slowed without locking everyone behind a shared NAT out.
 */
export function loginRateLimitKey(request: FastifyRequest): string {
  const body = request.body;
  const email =
    typeof body === 'object' && body !== null && 'email' in body && typeof body.email === 'string'
      ? body.email.toLowerCase()
      : '';
  return createHash('sha256').update(`login\n${request.ip}\n${email}`).digest('base64url').slice(0, 32);
}
