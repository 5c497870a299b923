import { z } from 'zod';
import { timestamp } from './common.js';
import { workspaceSchema } from './workspace.js';

const email = z
  .email('must be an email address')
  .max(254)
  .transform((value) => value.toLowerCase());
const password = z.string().min(10, 'must be at least 10 characters').max(1024, 'must be at most 1024 characters');
const personName = z.string().trim().min(1, 'is required').max(200);
/** The random tokens of setup and invitation links (base64url, 43 characters). */
const linkToken = z.string().regex(/^[A-Za-z0-9_-]{20,200}$/, 'must be the token of the link');

const userSchema = z.object({ id: z.string(), email: z.string(), name: z.string() }).meta({ id: 'User' });

export const authStatusSchema = z
  .object({
    setup_required: z.boolean().describe('no account exists yet: open the setup link `./run start` printed'),
    oidc: z.boolean().describe('sign in through the identity provider (password sign-in is off)'),
    user: userSchema.nullable().describe('the signed-in user, or null'),
  })
  .meta({ id: 'AuthStatus' });

export const setupBodySchema = z.object({
  token: linkToken,
  email,
  password,
  name: personName,
  workspace_name: z.string().trim().min(1, 'is required').max(200),
});

export const setupResponseSchema = z.object({ user: userSchema, workspace: workspaceSchema });

export const loginBodySchema = z.object({ email, password: z.string().min(1, 'is required').max(1024) });

export const userResponseSchema = z.object({ user: userSchema });

export const meSchema = z
  .object({
    user: z
      .object({ id: z.string(), email: z.string().nullable(), name: z.string().nullable() })
      .describe('email and name are null for a bearer-JWT caller without an account'),
    workspaces: z.array(z.object({ id: z.uuid(), name: z.string(), role: z.enum(['owner', 'admin', 'member']) })),
  })
  .meta({ id: 'Me' });

export const createApiKeyBodySchema = z.object({ name: z.string().trim().min(1, 'is required').max(100) });

export const createdApiKeySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    key: z.string().describe('the key, shown this once: send it as `Authorization: Bearer <key>`'),
    created_at: timestamp,
  })
  .meta({ id: 'CreatedApiKey' });

export const apiKeySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string().describe('the first characters of the key'),
    created_at: timestamp,
    last_used_at: timestamp.nullable().describe('to the minute'),
  })
  .meta({ id: 'ApiKey' });

export const apiKeyParamsSchema = z.object({ id: z.uuid('must be an API key id (uuid)') });

const invitationRole = z.enum(['admin', 'member']);

export const createInvitationBodySchema = z.object({ email, role: invitationRole.default('member') });

export const createdInvitationSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    role: invitationRole,
    url: z.string().describe('the invite link, shown this once: copy it to the person'),
    expires_at: timestamp,
  })
  .meta({ id: 'CreatedInvitation' });

export const invitationSchema = z
  .object({ id: z.uuid(), email: z.string(), role: invitationRole, created_at: timestamp, expires_at: timestamp })
  .meta({ id: 'Invitation' });

export const invitationParamsSchema = z.object({
  id: z.uuid('must be a workspace id (uuid)'),
  invId: z.uuid('must be an invitation id (uuid)'),
});

export const invitationTokenParamsSchema = z.object({ token: linkToken });

export const publicInvitationSchema = z
  .object({ workspace_name: z.string(), email: z.string(), role: invitationRole })
  .meta({ id: 'PublicInvitation' });

export const acceptInvitationBodySchema = z
  .object({ name: personName.optional(), password: password.optional() })
  .describe('name and password create a new account; signed in, send an empty body');

export const acceptedInvitationSchema = z.object({
  user: userSchema,
  workspace: z.object({ id: z.uuid(), name: z.string(), role: invitationRole }),
});

export const workspaceMemberSchema = z
  .object({
    user_id: z.string(),
    email: z.string().nullable().describe('null for a member known only by a JWT `sub`'),
    name: z.string().nullable(),
    role: z.enum(['owner', 'admin', 'member']),
  })
  .meta({ id: 'WorkspaceMember' });

export const oidcCallbackQuerySchema = z.object({
  code: z.string().max(2048).optional(),
  state: z.string().max(512).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(1000).optional(),
});
