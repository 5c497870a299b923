export { maskSecret } from './mask-secret.js';
export { createSecretBox, keyIdOf, type SecretBox, SecretDecryptError } from './secret-box.js';
export { DEVELOPMENT_SECRETS_KEY, loadSecretKeys } from './secrets-key.js';
