/**
 * HS256 key used when JWT_SECRET is unset outside production, shared by the admin service and
 * `./run token` so local tokens just work. Production refuses to start without a real key.
 */
export const DEVELOPMENT_JWT_SECRET = 'wabot-development-jwt-secret-do-not-use-in-production';
