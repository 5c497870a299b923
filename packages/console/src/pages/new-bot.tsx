import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { api, unwrap } from '../api/client';
import { ErrorNote, Field, fieldErrors } from '../components/forms';
import { PLATFORM_FIELDS } from '../components/platform-fields';
import { keys } from '../live/cache';
import { useWorkspace } from '../session';

const text = (form: FormData, name: string) => String(form.get(name) ?? '');
/** An optional field left empty is left out. */
const optional = (form: FormData, name: string) => {
  const value = text(form, name).trim();
  return value === '' ? undefined : value;
};

/** A new bot: name, instructions and its Platform Configuration; the server's field errors shown per field. */
export function NewBotPage() {
  const { workspace } = useWorkspace();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const fields = fieldErrors(error);

  // After a refused submit, focus goes to the first field in error.
  useEffect(() => {
    if (Object.keys(fields).length > 0) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  });

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const appSecret = optional(form, 'app_secret');
      const businessAccountId = optional(form, 'business_account_id');
      const bot = unwrap(
        await api.POST('/api/bots', {
          body: {
            name: text(form, 'name'),
            platform: 'whatsapp',
            workspace_id: workspace.id,
            system_prompt: text(form, 'system_prompt'),
            platform_config: {
              phone_number_id: text(form, 'phone_number_id'),
              access_token: text(form, 'access_token'),
              verify_token: text(form, 'verify_token'),
              ...(appSecret ? { app_secret: appSecret } : {}),
              ...(businessAccountId ? { business_account_id: businessAccountId } : {}),
            },
          },
        }),
      );
      await queryClient.invalidateQueries({ queryKey: keys.bots(workspace.id) });
      void navigate(`/bots/${bot.id}`);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const count = Object.keys(fields).length;
  return (
    <section aria-labelledby="new-bot-title">
      <h1 id="new-bot-title" tabIndex={-1}>
        New bot
      </h1>
      <form ref={formRef} noValidate onSubmit={(event) => void onSubmit(event)} aria-label="New bot">
        {count > 0 ? (
          <p className="error-note" role="alert">
            {count === 1 ? 'One field needs' : `${count} fields need`} attention.
          </p>
        ) : (
          <ErrorNote error={error} />
        )}
        <Field label="Name" error={fields.name}>
          {(props) => <input {...props} name="name" required />}
        </Field>
        <Field
          label="Instructions (system prompt)"
          help="What the bot does and how it speaks."
          error={fields.system_prompt}
        >
          {(props) => <textarea {...props} name="system_prompt" rows={4} />}
        </Field>
        <fieldset>
          <legend>Platform configuration</legend>
          {PLATFORM_FIELDS.map((f) => (
            <Field
              key={f.name}
              label={f.required ? f.label : `${f.label} (optional)`}
              help={f.help}
              error={
                fields[`platform_config.${f.name}`] ??
                (fields.platform_config && f.required ? fields.platform_config : undefined)
              }
            >
              {(props) => (
                <input
                  {...props}
                  name={f.name}
                  type={f.secret && f.name !== 'verify_token' ? 'password' : 'text'}
                  autoComplete="off"
                  inputMode={f.name.endsWith('_id') ? 'numeric' : undefined}
                  required={f.required}
                />
              )}
            </Field>
          ))}
        </fieldset>
        <button type="submit" disabled={busy}>
          {busy ? 'Creating…' : 'Create bot'}
        </button>
      </form>
    </section>
  );
}
