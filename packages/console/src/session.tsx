import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { type AuthStatus, authApi, type Role, type User } from './api/auth';
import { api, unwrap } from './api/client';
import { ApiError, storeApiKey, storedApiKey } from './api/http';

export interface WorkspaceRef {
  id: string;
  name: string;
  role: Role;
}

type Session =
  | { state: 'loading' }
  | { state: 'signed-out'; status: AuthStatus }
  | {
      state: 'signed-in';
      user: User | null;
      /** The caller's user id (the account, or the `sub` of a bearer token). */
      userId: string | null;
      workspaces: WorkspaceRef[];
      /** Signed in with an API key (or token) kept for this tab, not a session cookie. */
      byKey: boolean;
    };

const SIGNED_OUT_WITHOUT_SIGN_IN: AuthStatus = { setup_required: false, oidc: false, user: null };

/** The `sub` of a JWT, read (not verified: the server does that) to know who "me" is. */
function subjectOf(token: string): string | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const claims: unknown = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/')));
    return typeof claims === 'object' && claims !== null && 'sub' in claims && typeof claims.sub === 'string'
      ? claims.sub
      : null;
  } catch {
    return null;
  }
}

async function loadSession(): Promise<Exclude<Session, { state: 'loading' }>> {
  const key = storedApiKey();
  let status: AuthStatus = SIGNED_OUT_WITHOUT_SIGN_IN;
  if (!key) {
    try {
      status = await authApi.status();
    } catch (error) {
      // An admin without sign-in for people: only an API key or token signs in.
      if (!(error instanceof ApiError && error.status === 404)) throw error;
    }
    if (!status.user) return { state: 'signed-out', status };
  }
  try {
    const me = await authApi.me();
    return { state: 'signed-in', user: me.user, userId: me.user.id, workspaces: me.workspaces, byKey: Boolean(key) };
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      storeApiKey(null);
      return { state: 'signed-out', status };
    }
    if (!(error instanceof ApiError && error.status === 404)) throw error;
  }
  // No /api/auth/me: the caller's workspaces from the workspace API.
  try {
    const page = unwrap(await api.GET('/api/workspaces'));
    return {
      state: 'signed-in',
      user: null,
      userId: key ? subjectOf(key) : null,
      workspaces: page.data.map((w) => ({ id: w.id, name: w.name, role: w.role })),
      byKey: Boolean(key),
    };
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      storeApiKey(null);
      return { state: 'signed-out', status };
    }
    throw error;
  }
}

const WORKSPACE_STORAGE = 'wabot.workspace';

interface SessionContextValue {
  session: Session;
  /** The workspace the console shows (signed in with at least one workspace). */
  workspace: WorkspaceRef | null;
  selectWorkspace(id: string): void;
  /** Reloads who is signed in (after sign-in, sign-out, accepting an invitation). */
  refresh(): Promise<void>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: ['session'], queryFn: loadSession, staleTime: Number.POSITIVE_INFINITY });
  const [selected, setSelected] = useState<string | null>(() => localStorage.getItem(WORKSPACE_STORAGE));
  const session: Session = query.data ?? { state: 'loading' };
  const workspace = useMemo(() => {
    if (session.state !== 'signed-in') return null;
    return session.workspaces.find((w) => w.id === selected) ?? session.workspaces[0] ?? null;
  }, [session, selected]);
  const refresh = useCallback(async () => {
    queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'session' });
    await queryClient.invalidateQueries({ queryKey: ['session'] });
  }, [queryClient]);
  const signOut = useCallback(async () => {
    if (storedApiKey()) storeApiKey(null);
    else await authApi.logout().catch(() => undefined);
    queryClient.clear();
    await queryClient.invalidateQueries({ queryKey: ['session'] });
  }, [queryClient]);
  const selectWorkspace = useCallback(
    (id: string) => {
      localStorage.setItem(WORKSPACE_STORAGE, id);
      setSelected(id);
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'session' });
    },
    [queryClient],
  );
  if (query.error) throw query.error;
  return (
    <SessionContext.Provider value={{ session, workspace, selectWorkspace, refresh, signOut }}>
      {children}
    </SessionContext.Provider>
  );
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The signed-in session and its workspace; only under the signed-in layout. */
export function useWorkspace(): { workspace: WorkspaceRef; userId: string | null; user: User | null } {
  const { session, workspace } = useSession();
  if (session.state !== 'signed-in' || !workspace) throw new Error('useWorkspace without a workspace');
  return { workspace, userId: session.userId, user: session.user };
}
