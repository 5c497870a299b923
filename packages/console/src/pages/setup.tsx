import { type FormEvent, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { authApi } from '../api/auth';
import { ApiError } from '../api/http';
import { ErrorNote, Field, fieldErrors } from '../components/forms';
import { useSession } from '../session';

/** The first owner: the one-time link `./run start` prints creates the account and its workspace. */
export function SetupPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const { refresh } = useSession();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const fields = fieldErrors(error);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await authApi.setup({
        token,
        name: String(form.get('name')),
        email: String(form.get('email')),
        password: String(form.get('password')),
        workspace_name: String(form.get('workspace_name')),
      });
      await refresh();
      void navigate('/bots', { replace: true });
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const used = error instanceof ApiError && error.status === 410;
  return (
    <main id="main" className="auth-page">
      <h1 tabIndex={-1}>Create the first owner</h1>
      {!token ? (
        <p className="error-note" role="alert">
          This page needs the one-time link <code>./run start</code> prints (…/setup?token=…).
        </p>
      ) : used ? (
        <p className="note" role="alert">
          This set-up link was used already. <a href="/sign-in">Sign in</a> instead.
        </p>
      ) : (
        <form onSubmit={(event) => void onSubmit(event)} aria-label="First owner">
          <Field label="Your name" error={fields.name}>
            {(props) => <input {...props} name="name" autoComplete="name" required />}
          </Field>
          <Field label="Email" error={fields.email}>
            {(props) => <input {...props} name="email" type="email" autoComplete="username" required />}
          </Field>
          <Field label="Password" help="At least 10 characters." error={fields.password}>
            {(props) => (
              <input {...props} name="password" type="password" autoComplete="new-password" minLength={10} required />
            )}
          </Field>
          <Field label="Workspace name" help="Your team or company; bots belong to it." error={fields.workspace_name}>
            {(props) => <input {...props} name="workspace_name" required />}
          </Field>
          <ErrorNote error={Object.keys(fields).length ? null : error} />
          <button type="submit" disabled={busy}>
            {busy ? 'Creating…' : 'Create account'}
          </button>
        </form>
      )}
    </main>
  );
}
