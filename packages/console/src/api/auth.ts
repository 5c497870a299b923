import { requestJson } from './http';

/** A list as an array or as the API's `{data, next_cursor}` page. */
const listOf = async <T>(pending: Promise<T[] | { data: T[] }>): Promise<T[]> => {
  const body = await pending;
  return Array.isArray(body) ? body : body.data;
};

// Sign-in for people (the admin's /api/auth routes, workspace invitations and members). Typed by
// hand from the sign-in spec until these routes are in the OpenAPI document the client is
// generated from.

export interface User {
  id: string;
  email: string;
  name: string;
}

export type Role = 'owner' | 'admin' | 'member';

export interface AuthStatus {
  setup_required: boolean;
  oidc: boolean;
  user: User | null;
}

export interface Me {
  user: User;
  workspaces: { id: string; name: string; role: Role }[];
}

export interface Invitation {
  id: string;
  email: string;
  role: Role;
  url?: string;
  expires_at: string;
}

export interface InvitationPreview {
  workspace_name: string;
  email: string;
  role: Role;
}

export interface Member {
  user_id: string;
  email?: string;
  name?: string;
  role: Role;
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
}

export interface NewApiKey {
  id: string;
  name: string;
  key: string;
  created_at: string;
}

const ws = (id: string) => `/api/workspaces/${encodeURIComponent(id)}`;
const inv = (token: string) => `/api/invitations/${encodeURIComponent(token)}`;

export const authApi = {
  status: () => requestJson<AuthStatus>('GET', '/api/auth/status'),
  me: () => requestJson<Me>('GET', '/api/auth/me'),
  login: (body: { email: string; password: string }) => requestJson<{ user: User }>('POST', '/api/auth/login', body),
  setup: (body: { token: string; email: string; password: string; name: string; workspace_name: string }) =>
    requestJson<{ user: User; workspace: { id: string; name: string } }>('POST', '/api/auth/setup', body),
  logout: () => requestJson<void>('POST', '/api/auth/logout'),
  logoutAll: () => requestJson<void>('POST', '/api/auth/logout-all'),
  invitation: (token: string) => requestJson<InvitationPreview>('GET', inv(token)),
  acceptInvitation: (token: string, body: { name: string; password: string } | Record<string, never>) =>
    requestJson<unknown>('POST', `${inv(token)}/accept`, body),
  invitations: (workspaceId: string) =>
    listOf(requestJson<Invitation[] | { data: Invitation[] }>('GET', `${ws(workspaceId)}/invitations`)),
  invite: (workspaceId: string, body: { email: string; role: 'admin' | 'member' }) =>
    requestJson<Invitation>('POST', `${ws(workspaceId)}/invitations`, body),
  revokeInvitation: (workspaceId: string, id: string) =>
    requestJson<void>('DELETE', `${ws(workspaceId)}/invitations/${encodeURIComponent(id)}`),
  members: (workspaceId: string) =>
    listOf(requestJson<Member[] | { data: Member[] }>('GET', `${ws(workspaceId)}/members`)),
  apiKeys: () => listOf(requestJson<ApiKey[] | { data: ApiKey[] }>('GET', '/api/auth/api-keys')),
  createApiKey: (name: string) => requestJson<NewApiKey>('POST', '/api/auth/api-keys', { name }),
  revokeApiKey: (id: string) => requestJson<void>('DELETE', `/api/auth/api-keys/${encodeURIComponent(id)}`),
};
