import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { authApi, type NewApiKey } from '../api/auth';
import { ApiError } from '../api/http';
import { useAnnounce } from '../components/announcer';
import { CopyButton, ErrorNote, Field, fieldErrors } from '../components/forms';
import { timeOf } from '../format';
import { keys } from '../live/cache';
import { useSession, useWorkspace } from '../session';

const unavailable = (error: unknown) => error instanceof ApiError && error.status === 404;

/** Members, invitations (with the link to copy) and personal API keys (shown once). */
export function SettingsPage() {
  const { workspace } = useWorkspace();
  return (
    <section aria-labelledby="settings-page-title">
      <h1 id="settings-page-title" tabIndex={-1}>
        Settings
      </h1>
      <p className="help">Workspace {workspace.name}</p>
      <MembersSection />
      <InvitationsSection />
      <ApiKeysSection />
      <SessionsSection />
    </section>
  );
}

function MembersSection() {
  const { workspace, userId } = useWorkspace();
  const members = useQuery({ queryKey: keys.members(workspace.id), queryFn: () => authApi.members(workspace.id) });
  return (
    <section aria-labelledby="members-title" className="panel">
      <h2 id="members-title">Members</h2>
      {unavailable(members.error) ? (
        <p className="note">This admin service has no member list (sign-in for people is not enabled).</p>
      ) : (
        <ErrorNote error={members.error} />
      )}
      {members.data ? (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
            </tr>
          </thead>
          <tbody>
            {members.data.map((m) => (
              <tr key={m.user_id}>
                <td>
                  {m.name ?? m.user_id}
                  {m.user_id === userId ? ' (you)' : ''}
                </td>
                <td>{m.email ?? '—'}</td>
                <td>{m.role}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

function InvitationsSection() {
  const { workspace } = useWorkspace();
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  const key = ['invitations', workspace.id];
  const invitations = useQuery({ queryKey: key, queryFn: () => authApi.invitations(workspace.id) });
  const [created, setCreated] = useState<{ email: string; url: string } | null>(null);
  const invite = useMutation({
    mutationFn: (body: { email: string; role: 'admin' | 'member' }) => authApi.invite(workspace.id, body),
    onSuccess: async (invitation) => {
      if (invitation.url) setCreated({ email: invitation.email, url: invitation.url });
      announce(`Invitation for ${invitation.email} created: copy its link`);
      await queryClient.invalidateQueries({ queryKey: key });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => authApi.revokeInvitation(workspace.id, id),
    onSuccess: async () => {
      announce('Invitation revoked');
      await queryClient.invalidateQueries({ queryKey: key });
    },
  });
  const fields = fieldErrors(invite.error);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    invite.mutate({
      email: String(form.get('email') ?? '').trim(),
      role: form.get('role') === 'admin' ? 'admin' : 'member',
    });
  };
  if (unavailable(invitations.error)) return null;
  return (
    <section aria-labelledby="invitations-title" className="panel">
      <h2 id="invitations-title">Invitations</h2>
      <form noValidate onSubmit={onSubmit} aria-label="Invite a member" className="inline-form">
        <Field label="Email" error={fields.email}>
          {(props) => <input {...props} name="email" type="email" autoComplete="off" />}
        </Field>
        <Field label="Role" error={fields.role}>
          {(props) => (
            <select {...props} name="role" defaultValue="member">
              <option value="member">Member</option>
              <option value="admin">Admin</option>
            </select>
          )}
        </Field>
        <button type="submit" disabled={invite.isPending}>
          Invite
        </button>
      </form>
      <ErrorNote error={Object.keys(fields).length ? null : (invite.error ?? invitations.error ?? revoke.error)} />
      {created ? (
        <div className="copy-row created">
          <Field label={`Invitation link for ${created.email}`} help="Send it to them; it works once.">
            {(props) => <input {...props} readOnly value={created.url} className="mono" data-testid="invite-url" />}
          </Field>
          <CopyButton value={created.url} label="invitation link" />
        </div>
      ) : null}
      {invitations.data?.length ? (
        <ul className="list">
          {invitations.data.map((i) => (
            <li key={i.id}>
              {i.email} · {i.role} · expires {timeOf(i.expires_at)}{' '}
              <button type="button" className="secondary" onClick={() => revoke.mutate(i.id)}>
                Revoke invitation for {i.email}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function ApiKeysSection() {
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  const apiKeys = useQuery({ queryKey: ['api-keys'], queryFn: () => authApi.apiKeys() });
  const [created, setCreated] = useState<NewApiKey | null>(null);
  const create = useMutation({
    mutationFn: (name: string) => authApi.createApiKey(name),
    onSuccess: async (key) => {
      setCreated(key);
      announce(`API key ${key.name} created: copy it now, it is shown once`);
      await queryClient.invalidateQueries({ queryKey: ['api-keys'] });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => authApi.revokeApiKey(id),
    onSuccess: async () => {
      announce('API key revoked');
      await queryClient.invalidateQueries({ queryKey: ['api-keys'] });
    },
  });
  if (unavailable(apiKeys.error)) return null;
  const fields = fieldErrors(create.error);
  return (
    <section aria-labelledby="keys-title" className="panel">
      <h2 id="keys-title">API keys</h2>
      <p className="help">
        Personal keys for scripts (<code>Authorization: Bearer wbk_…</code>): shown once, stored hashed, revocable.
      </p>
      <form
        className="inline-form"
        aria-label="Create an API key"
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate(String(new FormData(event.currentTarget).get('name') ?? '').trim());
        }}
      >
        <Field label="Key name" error={fields.name}>
          {(props) => <input {...props} name="name" required />}
        </Field>
        <button type="submit" disabled={create.isPending}>
          Create key
        </button>
      </form>
      <ErrorNote error={Object.keys(fields).length ? null : (create.error ?? apiKeys.error ?? revoke.error)} />
      {created ? (
        <div className="copy-row created">
          <Field label={`New key ${created.name}`} help="Copy it now: it is not shown again.">
            {(props) => <input {...props} readOnly value={created.key} className="mono" />}
          </Field>
          <CopyButton value={created.key} label="API key" />
        </div>
      ) : null}
      {apiKeys.data?.length ? (
        <ul className="list">
          {apiKeys.data.map((k) => (
            <li key={k.id}>
              <strong>{k.name}</strong> <span className="mono">{k.prefix}…</span> · created {timeOf(k.created_at)} ·
              last used {timeOf(k.last_used_at)}{' '}
              <button type="button" className="secondary" onClick={() => revoke.mutate(k.id)}>
                Revoke {k.name}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function SessionsSection() {
  const { session, refresh } = useSession();
  const [error, setError] = useState<unknown>(null);
  if (session.state !== 'signed-in' || session.byKey) return null;
  return (
    <section aria-labelledby="sessions-title" className="panel">
      <h2 id="sessions-title">Sessions</h2>
      <button
        type="button"
        className="secondary"
        onClick={() => {
          authApi.logoutAll().then(refresh, setError);
        }}
      >
        Sign out everywhere
      </button>
      <ErrorNote error={error} />
    </section>
  );
}
