import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../api/client';
import { ErrorNote, Field, fieldErrors } from '../components/forms';
import { useSession } from '../session';

/** Signed in, but in no workspace yet: create one (or wait for an invitation). */
export function NoWorkspacePage() {
  const { refresh, signOut } = useSession();
  const [error, setError] = useState<unknown>(null);
  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get('name'));
    setError(null);
    try {
      unwrap(await api.POST('/api/workspaces', { body: { name } }));
      await refresh();
    } catch (failure) {
      setError(failure);
    }
  };
  const fields = fieldErrors(error);
  return (
    <main id="main" className="auth-page">
      <h1 tabIndex={-1}>No workspace yet</h1>
      <p>You are signed in but belong to no workspace. Open an invitation link, or create a workspace.</p>
      <form onSubmit={(event) => void onSubmit(event)} aria-label="Create a workspace">
        <Field label="Workspace name" error={fields.name}>
          {(props) => <input {...props} name="name" required />}
        </Field>
        <ErrorNote error={Object.keys(fields).length ? null : error} />
        <button type="submit">Create workspace</button>
      </form>
      <button type="button" className="secondary" onClick={() => void signOut()}>
        Sign out
      </button>
    </main>
  );
}
