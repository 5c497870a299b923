import type { DatabaseOrTransaction } from './create-database-client.js';
import type { AccountModel } from './generated/prisma/models.js';
import { isUuid } from './uuid.js';

export interface NewAccount {
  /** Stored lower-cased. */
  email: string;
  name: string;
  passwordHash?: string | null;
  oidc?: { issuer: string; subject: string } | null;
}

// Account ids are UUIDs; a membership's user id may also be a JWT `sub` of any shape, which the
// uuid column would reject in a query.

/** People who sign in (password or OIDC). Emails are compared lower-cased. */
export function createAccountRepository(db: DatabaseOrTransaction) {
  return {
    /** Creates an account (a unique violation on `email` or on the OIDC identity when taken). */
    create(account: NewAccount): Promise<AccountModel> {
      return db.account.create({
        data: {
          email: account.email.toLowerCase(),
          name: account.name,
          passwordHash: account.passwordHash ?? null,
          oidcIssuer: account.oidc?.issuer ?? null,
          oidcSubject: account.oidc?.subject ?? null,
        },
      });
    },

    /** True when at least one account exists (the first owner has been set up). */
    async any(): Promise<boolean> {
      return (await db.account.findFirst({ select: { id: true } })) !== null;
    },

    findById(id: string): Promise<AccountModel | null> {
      if (!isUuid(id)) return Promise.resolve(null);
      return db.account.findUnique({ where: { id } });
    },

    /** The accounts among `ids` (ids that are not account ids are skipped). */
    findByIds(ids: string[]): Promise<AccountModel[]> {
      const accountIds = ids.filter((id) => isUuid(id));
      if (accountIds.length === 0) return Promise.resolve([]);
      return db.account.findMany({ where: { id: { in: accountIds } } });
    },

    findByEmail(email: string): Promise<AccountModel | null> {
      return db.account.findUnique({ where: { email: email.toLowerCase() } });
    },

    findByOidc(issuer: string, subject: string): Promise<AccountModel | null> {
      return db.account.findUnique({ where: { oidcIssuer_oidcSubject: { oidcIssuer: issuer, oidcSubject: subject } } });
    },

    /** Links an account to an OIDC identity. */
    linkOidc(id: string, issuer: string, subject: string): Promise<AccountModel> {
      return db.account.update({ where: { id }, data: { oidcIssuer: issuer, oidcSubject: subject } });
    },
  };
}

export type AccountRepository = ReturnType<typeof createAccountRepository>;
