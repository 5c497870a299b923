import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { authApi } from '../api/auth';
import { ErrorNote, Field, fieldErrors, messageOf } from '../components/forms';
import { useSession } from '../session';

/** An invitation link: a new account (name, password), or the signed-in account joins. */
export function AcceptInvitationPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const { session, refresh } = useSession();
  const navigate = useNavigate();
  const preview = useQuery({
    queryKey: ['invitation', token],
    queryFn: () => authApi.invitation(token),
    enabled: token !== '',
    retry: false,
  });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const signedIn = session.state === 'signed-in' && !session.byKey;
  const fields = fieldErrors(error);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await authApi.acceptInvitation(
        token,
        signedIn ? {} : { name: String(form.get('name')), password: String(form.get('password')) },
      );
      await refresh();
      void navigate('/bots', { replace: true });
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" className="auth-page">
      <h1 tabIndex={-1}>Join a workspace</h1>
      {!token ? (
        <p className="error-note" role="alert">
          This page needs an invitation link (…/invite?token=…).
        </p>
      ) : preview.isPending ? (
        <p aria-busy="true">Checking the invitation…</p>
      ) : preview.error ? (
        <p className="error-note" role="alert">
          This invitation is unknown, expired or used ({messageOf(preview.error)}). Ask for a new link.
        </p>
      ) : (
        <form onSubmit={(event) => void onSubmit(event)} aria-label="Accept the invitation">
          <p>
            You are invited to <strong>{preview.data.workspace_name}</strong> as {preview.data.role}, with the email{' '}
            <strong>{preview.data.email}</strong>.
          </p>
          {signedIn ? null : (
            <>
              <Field label="Your name" error={fields.name}>
                {(props) => <input {...props} name="name" autoComplete="name" required />}
              </Field>
              <Field label="Choose a password" help="At least 10 characters." error={fields.password}>
                {(props) => (
                  <input
                    {...props}
                    name="password"
                    type="password"
                    autoComplete="new-password"
                    minLength={10}
                    required
                  />
                )}
              </Field>
            </>
          )}
          <ErrorNote error={Object.keys(fields).length ? null : error} />
          <button type="submit" disabled={busy}>
            {busy ? 'Joining…' : 'Accept invitation'}
          </button>
        </form>
      )}
    </main>
  );
}
