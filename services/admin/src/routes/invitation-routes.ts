import { isUniqueViolation, type MembershipRole, type Repositories } from '@wabot/db';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { hashOpaqueToken, newOpaqueToken } from '../auth/opaque-token.js';
import { hashPassword } from '../auth/password-hash.js';
import type { Sessions } from '../auth/sessions.js';
import type { AdminDeps } from '../deps.js';
import { passwordLoginDisabled, requireAccount, toUser } from '../domain/accounts.js';
import { badRequest, conflict, notFound } from '../domain/api-error.js';
import { requireMembership } from '../domain/tenancy.js';
import { callerOf } from '../plugins/caller.js';
import {
  acceptedInvitationSchema,
  acceptInvitationBodySchema,
  createdInvitationSchema,
  createInvitationBodySchema,
  invitationParamsSchema,
  invitationSchema,
  invitationTokenParamsSchema,
  publicInvitationSchema,
  workspaceMemberSchema,
} from '../schemas/auth.js';
import { authErrorResponses, errorResponseSchema, iso } from '../schemas/common.js';
import { workspaceParamsSchema } from '../schemas/workspace.js';

/** Invitations are made for admins and members only (the column shares the membership enum). */
const toInvitationRole = (role: MembershipRole): 'admin' | 'member' => (role === 'admin' ? 'admin' : 'member');

const invitationGone = () => notFound('invitation (unknown, expired or already used)');

/**
 * Workspace invitations (an owner or admin creates an invite link and copies it to the person),
 * accepting one (a new account, or the signed-in one), and the member list.
 */
export function registerInvitationRoutes(root: FastifyInstance, deps: AdminDeps, sessions: Sessions): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { repositories: repos, config } = deps;
  const tags = ['workspaces'];
  const manageErrors = { 403: errorResponseSchema, ...authErrorResponses };
  // Invitation tokens travel in the path: the request log shows the route, not the token.
  const secretPath = { auth: 'none' as const, logRoute: true };

  app.post(
    '/workspaces/:id/invitations',
    {
      schema: {
        tags,
        summary: 'Invite someone by email (owners and admins); the invite link is in this response only',
        params: workspaceParamsSchema,
        body: createInvitationBodySchema,
        response: { 201: createdInvitationSchema, ...manageErrors },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const workspaceId = request.params.id;
      await requireMembership(repos, caller.userId, workspaceId, { manager: true });
      const token = newOpaqueToken();
      const invitation = await repos.transaction(async (tx) => {
        const created = await tx.invitations.create({
          workspaceId,
          email: request.body.email,
          role: request.body.role,
          tokenHash: hashOpaqueToken(token),
          createdBy: caller.userId,
          expiresAt: new Date(Date.now() + config.INVITATION_TTL_HOURS * 3_600_000),
        });
        await tx.auditLog.record({
          workspaceId,
          actor: caller.userId,
          action: 'workspace.invitation_create',
          details: { invitation_id: created.id, email: created.email, role: created.role },
        });
        return created;
      });
      return reply.code(201).send({
        id: invitation.id,
        email: invitation.email,
        role: toInvitationRole(invitation.role),
        url: `${config.publicUrl}/invite?token=${token}`,
        expires_at: iso(invitation.expiresAt),
      });
    },
  );

  app.get(
    '/workspaces/:id/invitations',
    {
      schema: {
        tags,
        summary: 'Pending invitations (neither accepted nor expired), newest first (owners and admins)',
        params: workspaceParamsSchema,
        response: { 200: z.array(invitationSchema), ...manageErrors },
      },
    },
    async (request) => {
      await requireMembership(repos, callerOf(request).userId, request.params.id, { manager: true });
      const invitations = await repos.invitations.listPending(request.params.id, new Date());
      return invitations.map((i) => ({
        id: i.id,
        email: i.email,
        role: toInvitationRole(i.role),
        created_at: iso(i.createdAt),
        expires_at: iso(i.expiresAt),
      }));
    },
  );

  app.delete(
    '/workspaces/:id/invitations/:invId',
    {
      schema: {
        tags,
        summary: 'Withdraw an invitation (its link stops working)',
        params: invitationParamsSchema,
        response: { 204: z.null().describe('withdrawn'), ...manageErrors },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const { id: workspaceId, invId } = request.params;
      await requireMembership(repos, caller.userId, workspaceId, { manager: true });
      const deleted = await repos.transaction(async (tx) => {
        if (!(await tx.invitations.delete(workspaceId, invId))) return false;
        await tx.auditLog.record({
          workspaceId,
          actor: caller.userId,
          action: 'workspace.invitation_delete',
          details: { invitation_id: invId },
        });
        return true;
      });
      if (!deleted) throw notFound('invitation');
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/invitations/:token',
    {
      config: secretPath,
      schema: {
        tags,
        summary: 'What an invite link is for (public: the link is the credential)',
        security: [],
        params: invitationTokenParamsSchema,
        response: { 200: publicInvitationSchema, 400: errorResponseSchema, 404: errorResponseSchema },
      },
    },
    async (request) => {
      const invitation = await repos.invitations.findPending(hashOpaqueToken(request.params.token), new Date());
      if (!invitation) throw invitationGone();
      return {
        workspace_name: invitation.workspace.name,
        email: invitation.email,
        role: toInvitationRole(invitation.role),
      };
    },
  );

  app.post(
    '/invitations/:token/accept',
    {
      config: { ...secretPath, auth: 'optional' },
      schema: {
        tags,
        summary:
          'Accept an invitation: with {name, password} as a new account (signs in), or signed in as the current account',
        // No credential needed; one sent (cookie, API key, JWT) joins that account instead.
        security: [],
        params: invitationTokenParamsSchema,
        body: acceptInvitationBodySchema.nullish(),
        response: {
          201: acceptedInvitationSchema,
          400: errorResponseSchema,
          401: errorResponseSchema,
          403: errorResponseSchema,
          404: errorResponseSchema,
          409: errorResponseSchema,
        },
      },
    },
    async (request, reply) => {
      const now = new Date();
      const invitation = await repos.invitations.findPending(hashOpaqueToken(request.params.token), now);
      if (!invitation) throw invitationGone();
      const role = toInvitationRole(invitation.role);
      const workspace = { id: invitation.workspaceId, name: invitation.workspace.name, role };

      const join = async (accountId: string, tx: Repositories) => {
        if (!(await tx.invitations.accept(invitation.id, accountId, now))) throw invitationGone();
        await tx.workspaces.addMember(invitation.workspaceId, accountId, invitation.role);
        await tx.auditLog.record({
          workspaceId: invitation.workspaceId,
          actor: accountId,
          action: 'workspace.invitation_accept',
          details: { invitation_id: invitation.id, role: invitation.role },
        });
      };

      if (request.caller) {
        const account = await requireAccount(repos, request.caller.userId);
        if (await repos.workspaces.findMembership(invitation.workspaceId, account.id))
          throw conflict('you are already a member of this workspace');
        await repos.transaction((tx) => join(account.id, tx));
        return reply.code(201).send({ user: toUser(account), workspace });
      }

      if (config.oidc) throw passwordLoginDisabled();
      const { name, password } = request.body ?? {};
      if (!name || !password)
        throw badRequest('send name and password to create your account, or sign in first', {
          fields: [
            ...(name ? [] : [{ field: 'name', message: 'is required' }]),
            ...(password ? [] : [{ field: 'password', message: 'is required' }]),
          ],
        });
      if (await repos.accounts.findByEmail(invitation.email))
        throw conflict(`an account for ${invitation.email} exists: sign in, then open the invite link again`);
      const passwordHash = await hashPassword(password);
      const account = await repos
        .transaction(async (tx) => {
          const created = await tx.accounts.create({ email: invitation.email, name, passwordHash });
          await join(created.id, tx);
          return created;
        })
        .catch((error: unknown) => {
          if (isUniqueViolation(error, 'email'))
            throw conflict(`an account for ${invitation.email} exists: sign in first`);
          throw error;
        });
      await sessions.start(request, reply, account.id);
      return reply.code(201).send({ user: toUser(account), workspace });
    },
  );

  app.get(
    '/workspaces/:id/members',
    {
      schema: {
        tags,
        summary: "The workspace's members, oldest first",
        params: workspaceParamsSchema,
        response: { 200: z.array(workspaceMemberSchema), ...authErrorResponses },
      },
    },
    async (request) => {
      await requireMembership(repos, callerOf(request).userId, request.params.id);
      const members = await repos.workspaces.membersOf(request.params.id);
      const accounts = new Map((await repos.accounts.findByIds(members.map((m) => m.userId))).map((a) => [a.id, a]));
      return members.map((m) => ({
        user_id: m.userId,
        email: accounts.get(m.userId)?.email ?? null,
        name: accounts.get(m.userId)?.name ?? null,
        role: m.role,
      }));
    },
  );
}
