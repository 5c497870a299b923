import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AdminDeps } from '../deps.js';
import { conflict } from '../domain/api-error.js';
import { keysetPage } from '../domain/keyset-pagination.js';
import { requireMembership } from '../domain/tenancy.js';
import { toAuditEntryResponse } from '../domain/to-api.js';
import { callerOf } from '../plugins/caller.js';
import { authErrorResponses, errorResponseSchema, iso, paginationQuerySchema } from '../schemas/common.js';
import {
  addMemberBodySchema,
  auditLogSchema,
  createWorkspaceBodySchema,
  memberSchema,
  workspaceListSchema,
  workspaceParamsSchema,
  workspaceSchema,
} from '../schemas/workspace.js';

/** Workspaces (tenants) and their memberships; the creator becomes the owner. */
export function registerWorkspaceRoutes(root: FastifyInstance, deps: AdminDeps): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { repositories: repos } = deps;
  const tags = ['workspaces'];

  app.post(
    '/workspaces',
    {
      schema: {
        tags,
        summary: 'Create a workspace; the caller becomes its owner',
        body: createWorkspaceBodySchema,
        response: { 201: workspaceSchema, ...authErrorResponses },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const workspace = await repos.transaction(async (tx) => {
        const created = await tx.workspaces.createWithOwner(request.body.name, caller.userId);
        await tx.auditLog.record({
          workspaceId: created.id,
          actor: caller.userId,
          action: 'workspace.create',
          details: { name: created.name },
        });
        return created;
      });
      return reply
        .code(201)
        .send({ id: workspace.id, name: workspace.name, role: 'owner', created_at: iso(workspace.createdAt) });
    },
  );

  app.get(
    '/workspaces',
    {
      schema: {
        tags,
        summary: "The caller's workspaces",
        response: { 200: workspaceListSchema, ...authErrorResponses },
      },
    },
    async (request) => {
      const memberships = await repos.workspaces.membershipsOf(callerOf(request).userId);
      return {
        data: memberships.map((m) => ({
          id: m.workspace.id,
          name: m.workspace.name,
          role: m.role,
          created_at: iso(m.workspace.createdAt),
        })),
        next_cursor: null,
      };
    },
  );

  app.get(
    '/workspaces/:id',
    {
      schema: {
        tags,
        summary: 'One workspace',
        params: workspaceParamsSchema,
        response: { 200: workspaceSchema, ...authErrorResponses },
      },
    },
    async (request) => {
      const membership = await requireMembership(repos, callerOf(request).userId, request.params.id);
      const workspace = await repos.workspaces.getById(membership.workspaceId);
      return { id: workspace.id, name: workspace.name, role: membership.role, created_at: iso(workspace.createdAt) };
    },
  );

  app.post(
    '/workspaces/:id/members',
    {
      schema: {
        tags,
        summary: 'Add a member (owners only)',
        params: workspaceParamsSchema,
        body: addMemberBodySchema,
        response: { 201: memberSchema, 403: errorResponseSchema, 409: errorResponseSchema, ...authErrorResponses },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const workspaceId = request.params.id;
      await requireMembership(repos, caller.userId, workspaceId, { owner: true });
      const existing = await repos.workspaces.findMembership(workspaceId, request.body.user_id);
      if (existing) throw conflict(`${request.body.user_id} is already a member of this workspace`);
      const member = await repos.transaction(async (tx) => {
        const created = await tx.workspaces.addMember(workspaceId, request.body.user_id, request.body.role);
        await tx.auditLog.record({
          workspaceId,
          actor: caller.userId,
          action: 'workspace.member_add',
          details: { user_id: created.userId, role: created.role },
        });
        return created;
      });
      return reply.code(201).send({
        workspace_id: member.workspaceId,
        user_id: member.userId,
        role: member.role,
        created_at: iso(member.createdAt),
      });
    },
  );

  app.get(
    '/workspaces/:id/audit-log',
    {
      schema: {
        tags,
        summary: 'Who changed what in the workspace, newest first',
        params: workspaceParamsSchema,
        querystring: paginationQuerySchema,
        response: { 200: auditLogSchema, ...authErrorResponses },
      },
    },
    async (request) => {
      await requireMembership(repos, callerOf(request).userId, request.params.id);
      const { limit } = request.query;
      const page = keysetPage('createdAt', request.query.cursor, limit);
      const rows = await repos.auditLog.listByWorkspace(request.params.id, page);
      const { items, nextCursor } = page.toPage(rows);
      return { data: items.map(toAuditEntryResponse), next_cursor: nextCursor };
    },
  );
}
