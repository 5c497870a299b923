export { buildApp } from './app.js';
export { type Caller, createJwtVerifier, type JwtVerifier } from './auth/jwt-verifier.js';
export { signDevToken } from './auth/sign-dev-token.js';
export { type AdminConfig, loadConfig, loadTokenCliConfig } from './config.js';
export type { AdminDeps } from './deps.js';
export { createBotId } from './domain/bot-id.js';
export { toWindowState } from './domain/window-state.js';
export { checkCredentials } from './graph/check-credentials.js';
export { type AdminQueues, createAdminQueues } from './queues.js';
