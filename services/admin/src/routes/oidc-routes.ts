import { isUniqueViolation } from '@wabot/db';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { OidcIdentity, OidcPending, OidcSignIn } from '../auth/oidc-sign-in.js';
import type { Sessions } from '../auth/sessions.js';
import type { AdminDeps } from '../deps.js';
import { ApiError, notFound } from '../domain/api-error.js';
import { oidcCallbackQuerySchema } from '../schemas/auth.js';
import { errorResponseSchema } from '../schemas/common.js';

const STATE_COOKIE = 'wabot_oidc';
const STATE_COOKIE_PATH = '/api/auth/oidc';
/** The sign-in must come back from the provider within this long. */
const STATE_TTL_SECONDS = 600;

const pendingSchema = z.object({
  state: z.string().min(1),
  nonce: z.string().min(1),
  verifier: z.string().min(43),
  exp: z.number().int(),
});

const stateInvalid = () =>
  new ApiError(400, 'oidc_state_invalid', 'the sign-in expired or was started in another browser; start it again');

/**
 * OIDC sign-in (when OIDC_ISSUER_URL, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are set): start
 * redirects to the provider, the callback checks state, PKCE and the ID token, links the account
 * by (issuer, subject) — or creates it on first sign-in —, starts a session and redirects to `/`.
 */
export function registerOidcRoutes(
  root: FastifyInstance,
  deps: AdminDeps,
  { signIn, sessions }: { signIn: OidcSignIn | null; sessions: Sessions },
): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { config } = deps;
  const tags = ['auth'];
  const requireOidc = () => {
    if (!signIn) throw notFound('OIDC sign-in (not configured)');
    return signIn;
  };
  const stateCookie = {
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: config.secureCookies,
    path: STATE_COOKIE_PATH,
  };

  app.get(
    '/auth/oidc/start',
    {
      config: { auth: 'none' },
      schema: {
        tags,
        summary: 'Redirect to the identity provider to sign in (authorization code + PKCE)',
        security: [],
        response: {
          302: z.null().describe('to the identity provider'),
          404: errorResponseSchema,
          503: errorResponseSchema,
        },
      },
    },
    async (_request, reply) => {
      const { url, pending } = await requireOidc().start();
      const value = JSON.stringify({ ...pending, exp: Math.floor(Date.now() / 1000) + STATE_TTL_SECONDS });
      reply.setCookie(STATE_COOKIE, value, { ...stateCookie, signed: true, maxAge: STATE_TTL_SECONDS });
      return reply.redirect(url, 302);
    },
  );

  app.get(
    '/auth/oidc/callback',
    {
      config: { auth: 'none' },
      schema: {
        tags,
        summary: "The identity provider's redirect back: signs in and redirects to /",
        security: [],
        querystring: oidcCallbackQuerySchema,
        response: {
          302: z.null().describe('signed in: to the console'),
          400: errorResponseSchema,
          403: errorResponseSchema,
          404: errorResponseSchema,
          409: errorResponseSchema,
          503: errorResponseSchema,
        },
      },
    },
    async (request, reply) => {
      const oidc = requireOidc();
      try {
        return await finishSignIn(request, reply, oidc, request.query);
      } catch (error) {
        // The browser sees the reason; so does the operator wiring up the provider.
        if (error instanceof ApiError) request.log.info({ code: error.code }, `OIDC sign-in refused: ${error.message}`);
        throw error;
      }
    },
  );

  async function finishSignIn(request: FastifyRequest, reply: FastifyReply, oidc: OidcSignIn, callback: CallbackQuery) {
    const pending = readPending(request.cookies[STATE_COOKIE], (value) => request.unsignCookie(value));
    reply.clearCookie(STATE_COOKIE, stateCookie);
    if (callback.error)
      throw new ApiError(
        400,
        'oidc_failed',
        `the identity provider refused the sign-in (${callback.error.replace(/[^a-z_]/g, '')})`,
      );
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(callback)) if (value !== undefined) query.set(key, value);
    const identity = await oidc.finish(query, pending);
    const account = await accountOf(deps, identity);
    await sessions.start(request, reply, account.id);
    request.log.info({ user_id: account.id }, 'signed in through OIDC');
    return reply.redirect('/', 302);
  }
}

type CallbackQuery = z.infer<typeof oidcCallbackQuerySchema>;

function readPending(
  cookie: string | undefined,
  unsign: (value: string) => { valid: boolean; value: string | null },
): OidcPending {
  if (!cookie) throw stateInvalid();
  const unsigned = unsign(cookie);
  if (!unsigned.valid || unsigned.value === null) throw stateInvalid();
  let parsed: z.infer<typeof pendingSchema>;
  try {
    parsed = pendingSchema.parse(JSON.parse(unsigned.value));
  } catch {
    throw stateInvalid();
  }
  if (parsed.exp < Date.now() / 1000) throw stateInvalid();
  return { state: parsed.state, nonce: parsed.nonce, verifier: parsed.verifier };
}

/**
 * The account of an OIDC identity: linked by (issuer, subject); else an account with the same
 * email, linked only when the provider says the email is verified; else a new account.
 */
async function accountOf({ repositories: repos }: AdminDeps, identity: OidcIdentity) {
  const linked = await repos.accounts.findByOidc(identity.issuer, identity.subject);
  if (linked) return linked;
  if (!identity.email)
    throw new ApiError(403, 'oidc_email_missing', 'the identity provider shared no email address (scope "email")');
  const byEmail = await repos.accounts.findByEmail(identity.email);
  if (byEmail) {
    if (!identity.emailVerified || byEmail.oidcSubject !== null)
      throw new ApiError(
        409,
        'account_exists',
        `an account for ${identity.email} exists and cannot be linked to this sign-in (the provider must report the email as verified)`,
      );
    return repos.accounts.linkOidc(byEmail.id, identity.issuer, identity.subject);
  }
  try {
    return await repos.accounts.create({
      email: identity.email,
      name: identity.name ?? identity.email,
      oidc: { issuer: identity.issuer, subject: identity.subject },
    });
  } catch (error) {
    // Two first sign-ins at once: the other one created it.
    if (isUniqueViolation(error, 'oidc') || isUniqueViolation(error, 'email')) {
      const created = await repos.accounts.findByOidc(identity.issuer, identity.subject);
      if (created) return created;
    }
    throw error;
  }
}
