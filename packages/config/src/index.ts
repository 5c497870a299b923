export {
  commonEnv,
  envHelpers,
  graphEnv,
  listenHostOf,
  llmEnv,
  mediaStoreEnv,
  secretsEnv,
} from './env-fragments.js';
export { type ExitOnBadConfig, loadConfigOrExit } from './load-config-or-exit.js';
export { maskUrl } from './mask-url.js';
export { ConfigError, parseEnv } from './parse-env.js';
