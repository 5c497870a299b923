import type { AccountModel, Repositories } from '@wabot/db';
import { ApiError } from './api-error.js';

/** An account as the API shows it: never its password hash or OIDC identity. */
export const toUser = (account: AccountModel) => ({ id: account.id, email: account.email, name: account.name });

export const passwordLoginDisabled = () =>
  new ApiError(403, 'password_login_disabled', 'this deployment signs in through its identity provider (OIDC)');

/** The caller's account; 403 for a bearer-JWT caller that has none (API keys and invitations belong to accounts). */
export async function requireAccount(repos: Pick<Repositories, 'accounts'>, userId: string): Promise<AccountModel> {
  const account = await repos.accounts.findById(userId);
  if (!account)
    throw new ApiError(403, 'account_required', 'this needs a signed-in account (a bearer JWT alone has none)');
  return account;
}
