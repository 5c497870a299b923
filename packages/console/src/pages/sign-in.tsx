import { type FormEvent, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { authApi } from '../api/auth';
import { storeApiKey } from '../api/http';
import { ErrorNote, Field } from '../components/forms';
import { useSession } from '../session';

/** Sign-in: email and password, the identity provider when one is configured, or an API key. */
export function SignInPage() {
  const { session, refresh } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = params.get('next');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const status = session.state === 'signed-out' ? session.status : null;

  const done = async () => {
    await refresh();
    void navigate(next?.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
  };

  const onPassword = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await authApi.login({ email: String(form.get('email')), password: String(form.get('password')) });
      await done();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const onKey = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const key = String(new FormData(event.currentTarget).get('key')).trim();
    if (!key) return;
    storeApiKey(key);
    await done();
  };

  return (
    <main id="main" className="auth-page">
      <h1 tabIndex={-1}>Sign in to wabot</h1>
      {status?.setup_required ? (
        <p className="note">
          No account exists yet. Open the one-time set-up link <code>./run start</code> printed to create the first
          owner.
        </p>
      ) : null}
      {status?.oidc ? (
        <p>
          <a className="button" href="/api/auth/oidc/start">
            Sign in with your identity provider
          </a>
        </p>
      ) : (
        <form onSubmit={(event) => void onPassword(event)} aria-label="Sign in with email and password">
          <Field label="Email">
            {(props) => <input {...props} name="email" type="email" autoComplete="username" required />}
          </Field>
          <Field label="Password">
            {(props) => <input {...props} name="password" type="password" autoComplete="current-password" required />}
          </Field>
          <ErrorNote error={error} />
          <button type="submit" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
      )}
      <details className="api-key-sign-in">
        <summary>Sign in with an API key</summary>
        <form onSubmit={(event) => void onKey(event)} aria-label="Sign in with an API key">
          <Field
            label="API key or token"
            help="A personal API key (Settings → API keys) or a token from ./run token; kept for this tab only."
          >
            {(props) => <input {...props} name="key" type="password" autoComplete="off" required />}
          </Field>
          <button type="submit" className="secondary">
            Use key
          </button>
        </form>
      </details>
    </main>
  );
}
