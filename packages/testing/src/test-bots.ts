import { randomBytes } from 'node:crypto';
import { createBotRepository, type Database } from '@wabot/db';
import { maskSecret, type SecretBox } from '@wabot/secrets';

export interface TestBotSeed {
  workspaceId: string;
  id?: string;
  status?: 'active' | 'inactive';
  phoneNumberId?: string;
  accessToken?: string;
  /** null: a bot without an app secret (unsigned webhooks accepted). */
  appSecret?: string | null;
  verifyToken?: string;
  systemPrompt?: string;
  settings?: Record<string, unknown>;
  /** The bot's own LLM provider key (default: none). */
  llmApiKey?: string | null;
}

export interface TestBot {
  id: string;
  workspaceId: string;
  phoneNumberId: string;
  accessToken: string;
  appSecret: string | null;
  verifyToken: string;
  systemPrompt: string;
}

/**
 * Inserts a bot row the way the admin service stores one (credentials sealed with `secretBox`,
 * hints masked), with random credentials and a random phone number id unless given; returns the
 * plaintext credentials for the test to use.
 */
export async function createTestBot(db: Database, secretBox: SecretBox, seed: TestBotSeed): Promise<TestBot> {
  const id = seed.id ?? `bt_t${randomBytes(9).toString('hex')}`;
  const accessToken = seed.accessToken ?? `EAAT${randomBytes(16).toString('hex')}`;
  const appSecret = seed.appSecret === undefined ? randomBytes(16).toString('hex') : seed.appSecret;
  const verifyToken = seed.verifyToken ?? `Verify-${randomBytes(6).toString('hex')}`;
  const phoneNumberId = seed.phoneNumberId ?? `1${randomBytes(6).readUIntBE(0, 6)}`;
  const systemPrompt = seed.systemPrompt ?? `You are test bot ${id}.`;
  await createBotRepository(db).create({
    id,
    workspaceId: seed.workspaceId,
    name: `bot ${id}`,
    systemPrompt,
    status: seed.status ?? 'active',
    phoneNumberId,
    accessTokenCipher: secretBox.seal(accessToken),
    appSecretCipher: appSecret === null ? null : secretBox.seal(appSecret),
    verifyTokenCipher: secretBox.seal(verifyToken),
    accessTokenHint: maskSecret(accessToken),
    appSecretHint: maskSecret(appSecret),
    verifyTokenHint: maskSecret(verifyToken),
    llmApiKeyCipher: seed.llmApiKey ? secretBox.seal(seed.llmApiKey) : null,
    llmApiKeyHint: maskSecret(seed.llmApiKey),
    settings: JSON.parse(JSON.stringify(seed.settings ?? {})),
  });
  return { id, workspaceId: seed.workspaceId, phoneNumberId, accessToken, appSecret, verifyToken, systemPrompt };
}
