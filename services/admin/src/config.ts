import { randomBytes } from 'node:crypto';
import { commonEnv, envHelpers, graphEnv, parseEnv, secretsEnv } from '@wabot/config';
import { mediaStoreEnv } from '@wabot/media-store';
import { z } from 'zod';

/** An unset variable and an empty one mean the same thing (`JWT_SECRET=` in a .env file). */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

const jwtEnv = {
  /**
   * HS256 key of admin tokens. `./run` sets this installation's own random key (from the
   * git-ignored .wabot/local-secrets.env); unset outside production, a random key per process.
   */
  JWT_SECRET: optional(z.string().min(32, 'must be at least 32 characters')),
  /** A real identity provider's key set (RS256/ES256/EdDSA tokens); HS256 tokens still need JWT_SECRET. */
  JWT_JWKS_URL: optional(envHelpers.url(['http:', 'https:'])),
  JWT_ISSUER: optional(z.string().min(1)),
  JWT_AUDIENCE: optional(z.string().min(1)),
};

/** Sign-in for people (docs/operations.md, "Accounts and sign-in"). */
const signInEnv = {
  /** Where people reach this admin service: invitation links, the setup link, the OIDC redirect. Default http://127.0.0.1:<ADMIN_PORT>. */
  ADMIN_PUBLIC_URL: optional(envHelpers.url(['http:', 'https:'])),
  /** A browser session ends after this long without a request (sliding). */
  SESSION_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 365)
    .default(24 * 14),
  /** Signs the short-lived OIDC state cookie; every admin instance needs the same one. Unset outside production: a random key per process. */
  SESSION_SECRET: optional(z.string().min(32, 'must be at least 32 characters')),
  INVITATION_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(24 * 7),
  /** Failed password sign-ins per client IP and email per window before 429. */
  LOGIN_RATE_LIMIT_MAX: z.coerce.number().int().min(1).default(5),
  LOGIN_RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(1000).default(60_000),
  /**
   * The one-time first-owner token while no account exists (`./run start` passes a fresh one at
   * each start and prints the link). Unset outside production: the admin makes one and logs the link.
   */
  SETUP_TOKEN: optional(z.string().min(32, 'must be at least 32 characters')),
  /** OIDC sign-in (authorization code + PKCE) instead of passwords, when the three are set. */
  OIDC_ISSUER_URL: optional(envHelpers.url(['http:', 'https:'])),
  OIDC_CLIENT_ID: optional(z.string().min(1)),
  OIDC_CLIENT_SECRET: optional(z.string().min(1)),
  /** Default <ADMIN_PUBLIC_URL>/api/auth/oidc/callback; register it with the identity provider. */
  OIDC_REDIRECT_URL: optional(envHelpers.url(['http:', 'https:'])),
};

const OIDC_KEYS = ['OIDC_ISSUER_URL', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const;

const adminConfigSchema = z
  .object({
    ...commonEnv,
    ...graphEnv,
    ...secretsEnv,
    ...jwtEnv,
    ...signInEnv,
    ...mediaStoreEnv,
    ADMIN_PORT: envHelpers.port(3001),
    PUBLIC_WEBHOOK_BASE_URL: envHelpers.url(['http:', 'https:']).default('http://localhost:3000'),
    /** Requests per window per bearer token (per IP without one), shared by every admin instance through Redis. */
    API_RATE_LIMIT_MAX: z.coerce.number().int().min(1).default(6000),
    API_RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(1000).default(60_000),
    /** How long activation waits for the Graph API before it reports "unreachable" as a warning. */
    GRAPH_CHECK_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(3_000),
    BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
    /** GET /api/events: a `: ping` comment this often keeps idle streams (and proxies) open. */
    EVENTS_HEARTBEAT_MS: z.coerce.number().int().min(10).default(15_000),
    /** The console's build (index.html and assets/); @wabot/console's dist by default. */
    CONSOLE_DIR: optional(z.string().min(1)),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.JWT_SECRET && !env.JWT_JWKS_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_SECRET'],
        message: 'required in production (or set JWT_JWKS_URL for an identity provider)',
      });
    }
    const oidcSet = OIDC_KEYS.filter((key) => env[key] !== undefined);
    if (oidcSet.length > 0 && oidcSet.length < OIDC_KEYS.length) {
      for (const key of OIDC_KEYS.filter((k) => env[k] === undefined))
        ctx.addIssue({ code: 'custom', path: [key], message: `required with ${oidcSet.join(', ')} (OIDC sign-in)` });
    }
    if (env.NODE_ENV === 'production' && oidcSet.length > 0 && !env.SESSION_SECRET)
      ctx.addIssue({
        code: 'custom',
        path: ['SESSION_SECRET'],
        message: 'required in production with OIDC (signs the sign-in state cookie)',
      });
    if (env.NODE_ENV === 'production' && env.OIDC_ISSUER_URL?.startsWith('http:'))
      ctx.addIssue({ code: 'custom', path: ['OIDC_ISSUER_URL'], message: 'must be https in production' });
  })
  .transform((env) => ({
    ...env,
    /**
     * The HS256 key actually used: JWT_SECRET, or outside production a random key of this process
     * (no token minted elsewhere verifies; nothing committed in the source is a key).
     */
    jwtSecret: env.JWT_SECRET ?? (env.NODE_ENV === 'production' ? undefined : randomBytes(32).toString('hex')),
    webhookBaseUrl: env.PUBLIC_WEBHOOK_BASE_URL.replace(/\/+$/, ''),
    ...signInSettings(env),
  }));

function signInSettings(env: {
  NODE_ENV: string;
  ADMIN_PORT: number;
  ADMIN_PUBLIC_URL?: string | undefined;
  SESSION_SECRET?: string | undefined;
  OIDC_ISSUER_URL?: string | undefined;
  OIDC_CLIENT_ID?: string | undefined;
  OIDC_CLIENT_SECRET?: string | undefined;
  OIDC_REDIRECT_URL?: string | undefined;
}) {
  const publicUrl = (env.ADMIN_PUBLIC_URL ?? `http://127.0.0.1:${env.ADMIN_PORT}`).replace(/\/+$/, '');
  const { OIDC_ISSUER_URL: issuer, OIDC_CLIENT_ID: clientId, OIDC_CLIENT_SECRET: clientSecret } = env;
  return {
    /** ADMIN_PUBLIC_URL without a trailing slash. */
    publicUrl,
    /** Cookies marked Secure (HTTPS only) in production. */
    secureCookies: env.NODE_ENV === 'production',
    /** SESSION_SECRET, or outside production a random key of this process. */
    sessionSecret: env.SESSION_SECRET ?? randomBytes(32).toString('hex'),
    oidc:
      issuer && clientId && clientSecret
        ? {
            issuer,
            clientId,
            clientSecret,
            redirectUrl: env.OIDC_REDIRECT_URL ?? `${publicUrl}/api/auth/oidc/callback`,
          }
        : null,
  };
}

export type AdminConfig = Readonly<z.infer<typeof adminConfigSchema>>;

/** The admin service's configuration, parsed once from `env`; every bad key reported together. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AdminConfig {
  return parseEnv(adminConfigSchema, env);
}

const tokenCliConfigSchema = z
  .object({
    NODE_ENV: commonEnv.NODE_ENV,
    JWT_SECRET: jwtEnv.JWT_SECRET,
    JWT_ISSUER: jwtEnv.JWT_ISSUER,
    JWT_AUDIENCE: jwtEnv.JWT_AUDIENCE,
  })
  .superRefine((env, ctx) => {
    if (!env.JWT_SECRET)
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_SECRET'],
        message:
          "required: ./run token sets this installation's key (.wabot/local-secrets.env); elsewhere set the admin service's JWT_SECRET",
      });
  })
  .transform((env) => ({ ...env, jwtSecret: env.JWT_SECRET ?? '' }));

export type TokenCliConfig = Readonly<z.infer<typeof tokenCliConfigSchema>>;

/** What `./run token` needs: the same HS256 key (and issuer/audience) the admin service verifies with. */
export function loadTokenCliConfig(env: Record<string, string | undefined> = process.env): TokenCliConfig {
  return parseEnv(tokenCliConfigSchema, env);
}
