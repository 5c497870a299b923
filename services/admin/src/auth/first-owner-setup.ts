import type { Repositories } from '@wabot/db';
import type { Logger } from '@wabot/logger';
import { hashOpaqueToken, newOpaqueToken } from './opaque-token.js';

export interface FirstOwnerSetupSettings {
  NODE_ENV: string;
  /** The token to use (`./run start` passes a fresh one and prints the link itself). */
  SETUP_TOKEN?: string | undefined;
  publicUrl: string;
}

/**
 * While no account exists, stores the one-time first-owner token (its SHA-256; a new one at each
 * start replaces the last) and returns the setup link; null once someone has set up.
 *
 * The link is a bootstrap credential, so it is written to the log only when the admin made the
 * token itself outside production (`./run service admin`): with SETUP_TOKEN the operator already
 * has it (`./run start` prints it once to its terminal), and production without SETUP_TOKEN makes
 * none, since a log is no place for it.
 */
export async function prepareFirstOwnerSetup(
  repos: Pick<Repositories, 'accounts' | 'setupToken'>,
  settings: FirstOwnerSetupSettings,
  logger: Logger,
): Promise<string | null> {
  if (await repos.accounts.any()) return null;
  if (!settings.SETUP_TOKEN && settings.NODE_ENV === 'production') {
    logger.warn('no account exists yet: set SETUP_TOKEN (32+ characters) and open <ADMIN_PUBLIC_URL>/setup?token=<it>');
    return null;
  }
  const token = settings.SETUP_TOKEN ?? newOpaqueToken();
  await repos.setupToken.replace(hashOpaqueToken(token));
  const url = `${settings.publicUrl}/setup?token=${encodeURIComponent(token)}`;
  if (settings.SETUP_TOKEN) logger.info('no account exists yet: the first-owner setup link uses SETUP_TOKEN');
  else
    logger.warn(
      { first_owner_setup_url: url },
      'no account exists yet: open first_owner_setup_url once to create the first owner',
    );
  return url;
}
