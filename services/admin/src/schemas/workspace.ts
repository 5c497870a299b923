import { z } from 'zod';
import { listOf, timestamp } from './common.js';

export const createWorkspaceBodySchema = z.object({
  name: z.string().trim().min(1, 'is required').max(200),
});

export const workspaceSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    role: z.enum(['owner', 'admin', 'member']).describe("the caller's role"),
    created_at: timestamp,
  })
  .meta({ id: 'Workspace' });

export const workspaceListSchema = listOf(workspaceSchema);

export const workspaceParamsSchema = z.object({ id: z.uuid('must be a workspace id (uuid)') });

export const addMemberBodySchema = z.object({
  user_id: z.string().trim().min(1, 'is required').max(255).describe('the `sub` of the user to add'),
  role: z.enum(['owner', 'admin', 'member']).default('member'),
});

export const memberSchema = z.object({
  workspace_id: z.uuid(),
  user_id: z.string(),
  role: z.enum(['owner', 'admin', 'member']),
  created_at: timestamp,
});

export const auditEntrySchema = z
  .object({
    id: z.uuid(),
    workspace_id: z.uuid(),
    actor: z.string(),
    action: z.string(),
    bot_id: z.string().nullable(),
    details: z.unknown(),
    created_at: timestamp,
  })
  .meta({ id: 'AuditEntry' });

export const auditLogSchema = listOf(auditEntrySchema);
