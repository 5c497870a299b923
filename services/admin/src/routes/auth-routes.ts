import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Authenticator } from '../auth/authenticate.js';
import type { LoginThrottle } from '../auth/login-throttle.js';
import { hashOpaqueToken } from '../auth/opaque-token.js';
import { hashPassword, verifyPassword } from '../auth/password-hash.js';
import { clearSessionCookies } from '../auth/session-cookies.js';
import type { Sessions } from '../auth/sessions.js';
import type { AdminDeps } from '../deps.js';
import { passwordLoginDisabled, toUser } from '../domain/accounts.js';
import { ApiError, unauthorized } from '../domain/api-error.js';
import { callerOf } from '../plugins/caller.js';
import {
  authStatusSchema,
  loginBodySchema,
  meSchema,
  setupBodySchema,
  setupResponseSchema,
  userResponseSchema,
} from '../schemas/auth.js';
import { authErrorResponses, errorResponseSchema, iso } from '../schemas/common.js';

export interface AuthRouteDeps {
  authenticate: Authenticator;
  sessions: Sessions;
  loginThrottle: LoginThrottle;
  /** A hash of a random password: unknown emails are checked against it, so they take as long as known ones. */
  dummyPasswordHash: Promise<string>;
}

const setupCompleted = () =>
  new ApiError(410, 'setup_completed', 'the first owner has already been set up; sign in instead');

const invalidSetupToken = () =>
  new ApiError(
    403,
    'invalid_setup_token',
    'this setup link is not the current one; use the link ./run start printed last',
  );

const sameHash = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** Sign-in for people: status, the first owner's setup, password login, logout, who am I. */
export function registerAuthRoutes(root: FastifyInstance, deps: AdminDeps, auth: AuthRouteDeps): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { repositories: repos, config } = deps;
  const tags = ['auth'];
  const cookies = { secure: config.secureCookies };

  app.get(
    '/auth/status',
    {
      config: { auth: 'none' },
      schema: {
        tags,
        summary: 'Whether the first owner must be set up, whether sign-in is OIDC, and who is signed in',
        security: [],
        response: { 200: authStatusSchema },
      },
    },
    async (request, reply) => {
      let userId: string | null = null;
      try {
        userId = (await auth.authenticate(request, reply))?.caller.userId ?? null;
      } catch (error) {
        if (!(error instanceof ApiError) || error.statusCode !== 401) throw error;
      }
      const account = userId ? await repos.accounts.findById(userId) : null;
      return {
        setup_required: !(await repos.accounts.any()),
        oidc: config.oidc !== null,
        user: account ? toUser(account) : null,
      };
    },
  );

  app.post(
    '/auth/setup',
    {
      config: { auth: 'none' },
      schema: {
        tags,
        summary: "Create the first owner and their workspace with the one-time link's token; signs in",
        security: [],
        body: setupBodySchema,
        response: {
          201: setupResponseSchema,
          400: errorResponseSchema,
          403: errorResponseSchema,
          410: errorResponseSchema,
        },
      },
    },
    async (request, reply) => {
      const { token, email, password, name, workspace_name: workspaceName } = request.body;
      const tokenHash = hashOpaqueToken(token);
      const before = await repos.setupToken.state();
      if (before.kind !== 'unused') throw setupCompleted();
      // Checked before the (deliberately slow) password hash, so wrong tokens cost nothing.
      if (!sameHash(before.tokenHash, tokenHash)) throw invalidSetupToken();
      const passwordHash = await hashPassword(password);
      const { account, workspace } = await repos.transaction(async (tx) => {
        if (!(await tx.setupToken.use(tokenHash, new Date()))) {
          // Used, or replaced by a restart, since the check above.
          if ((await tx.setupToken.state()).kind === 'unused') throw invalidSetupToken();
          throw setupCompleted();
        }
        if (await tx.accounts.any()) throw setupCompleted();
        const created = await tx.accounts.create({ email, name, passwordHash });
        const ws = await tx.workspaces.createWithOwner(workspaceName, created.id);
        await tx.auditLog.record({
          workspaceId: ws.id,
          actor: created.id,
          action: 'workspace.create',
          details: { name: ws.name, first_owner: true },
        });
        return { account: created, workspace: ws };
      });
      await auth.sessions.start(request, reply, account.id);
      request.log.info({ user_id: account.id, workspace_id: workspace.id }, 'first owner set up');
      return reply.code(201).send({
        user: toUser(account),
        workspace: { id: workspace.id, name: workspace.name, role: 'owner', created_at: iso(workspace.createdAt) },
      });
    },
  );

  app.post(
    '/auth/login',
    {
      config: { auth: 'none' },
      schema: {
        tags,
        summary: 'Sign in with email and password; sets the session and CSRF cookies',
        security: [],
        body: loginBodySchema,
        response: {
          200: userResponseSchema,
          400: errorResponseSchema,
          401: errorResponseSchema,
          403: errorResponseSchema,
          429: errorResponseSchema,
        },
      },
    },
    async (request, reply) => {
      if (config.oidc) throw passwordLoginDisabled();
      const { email, password } = request.body;
      await auth.loginThrottle.check(request.ip, email);
      const account = await repos.accounts.findByEmail(email);
      const stored = account?.passwordHash ?? (await auth.dummyPasswordHash);
      const matches = await verifyPassword(password, stored);
      if (!account?.passwordHash || !matches) {
        await auth.loginThrottle.failed(request.ip, email);
        throw new ApiError(401, 'invalid_credentials', 'the email or the password is wrong');
      }
      await auth.loginThrottle.succeeded(request.ip, email);
      await auth.sessions.start(request, reply, account.id);
      return { user: toUser(account) };
    },
  );

  app.post(
    '/auth/logout',
    {
      schema: {
        tags,
        summary: 'Sign out this session (clears the cookies)',
        response: { 204: z.null().describe('signed out'), ...authErrorResponses },
      },
    },
    async (request, reply) => {
      const session = request.auth?.session;
      if (session) await auth.sessions.end(reply, session.id);
      else clearSessionCookies(reply, cookies);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/auth/logout-all',
    {
      schema: {
        tags,
        summary: "Sign out every one of the caller's sessions, in every browser",
        response: { 204: z.null().describe('signed out'), ...authErrorResponses },
      },
    },
    async (request, reply) => {
      const account = await repos.accounts.findById(callerOf(request).userId);
      if (account) await auth.sessions.endAll(reply, account.id);
      else clearSessionCookies(reply, cookies);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/auth/me',
    {
      schema: { tags, summary: 'The caller and their workspaces', response: { 200: meSchema, ...authErrorResponses } },
    },
    async (request) => {
      const { userId } = callerOf(request);
      const [account, memberships] = await Promise.all([
        repos.accounts.findById(userId),
        repos.workspaces.membershipsOf(userId),
      ]);
      if (!account && request.auth?.method !== 'jwt') throw unauthorized('the account no longer exists');
      return {
        user: account ? toUser(account) : { id: userId, email: null, name: null },
        workspaces: memberships.map((m) => ({ id: m.workspace.id, name: m.workspace.name, role: m.role })),
      };
    },
  );
}
