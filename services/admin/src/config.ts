import { randomBytes } from 'node:crypto';
import { commonEnv, envHelpers, graphEnv, parseEnv, secretsEnv } from '@wabot/config';
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

const adminConfigSchema = z
  .object({
    ...commonEnv,
    ...graphEnv,
    ...secretsEnv,
    ...jwtEnv,
    ADMIN_PORT: envHelpers.port(3001),
    PUBLIC_WEBHOOK_BASE_URL: envHelpers.url(['http:', 'https:']).default('http://localhost:3000'),
    /** Requests per window per bearer token (per IP without one), shared by every admin instance through Redis. */
    API_RATE_LIMIT_MAX: z.coerce.number().int().min(1).default(6000),
    API_RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(1000).default(60_000),
    /** How long activation waits for the Graph API before it reports "unreachable" as a warning. */
    GRAPH_CHECK_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(3_000),
    BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
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
  })
  .transform((env) => ({
    ...env,
    /**
     * The HS256 key actually used: JWT_SECRET, or outside production a random key of this process
     * (no token minted elsewhere verifies; nothing committed in the source is a key).
     */
    jwtSecret: env.JWT_SECRET ?? (env.NODE_ENV === 'production' ? undefined : randomBytes(32).toString('hex')),
    webhookBaseUrl: env.PUBLIC_WEBHOOK_BASE_URL.replace(/\/+$/, ''),
  }));

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
