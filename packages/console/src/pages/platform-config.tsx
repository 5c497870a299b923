import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, type BotDetail, unwrap } from '../api/client';
import { useAnnounce } from '../components/announcer';
import { ErrorNote, Field, fieldErrors } from '../components/forms';
import { PLATFORM_FIELDS } from '../components/platform-fields';
import { keys } from '../live/cache';

type PlatformPatch = {
  phone_number_id?: string;
  access_token?: string;
  verify_token?: string;
  app_secret?: string | null;
  business_account_id?: string | null;
};

/** Every Platform Configuration field editable; a secret left empty keeps its stored value. */
export function PlatformConfigForm({ bot }: { bot: BotDetail }) {
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  const [removeAppSecret, setRemoveAppSecret] = useState(false);
  const save = useMutation({
    mutationFn: async (platform_config: PlatformPatch) =>
      unwrap(await api.PATCH('/api/bots/{id}', { params: { path: { id: bot.id } }, body: { platform_config } })),
    onSuccess: async () => {
      announce('Platform configuration saved');
      setRemoveAppSecret(false);
      await queryClient.invalidateQueries({ queryKey: keys.bot(bot.id) });
    },
  });
  const fields = fieldErrors(save.error);
  const pc = bot.platform_config;

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (name: string) => String(form.get(name) ?? '').trim();
    const patch: PlatformPatch = {};
    if (value('phone_number_id') !== pc.phone_number_id) patch.phone_number_id = value('phone_number_id');
    const business = value('business_account_id');
    if (business !== (pc.business_account_id ?? '')) patch.business_account_id = business === '' ? null : business;
    for (const name of ['access_token', 'verify_token'] as const) if (value(name)) patch[name] = value(name);
    if (removeAppSecret) patch.app_secret = null;
    else if (value('app_secret')) patch.app_secret = value('app_secret');
    if (Object.keys(patch).length === 0) {
      announce('Nothing changed');
      return;
    }
    save.mutate(patch);
    event.currentTarget.reset();
  };

  return (
    <section aria-labelledby="platform-title" className="panel">
      <h2 id="platform-title">Platform configuration</h2>
      <form noValidate onSubmit={onSubmit} aria-labelledby="platform-title">
        {PLATFORM_FIELDS.map((f) => {
          const state = f.secret ? pc[f.name as 'access_token' | 'verify_token' | 'app_secret'] : null;
          const help = state
            ? `${f.help} ${state.set ? `Stored: ${state.hint ?? 'set'}. Leave empty to keep it.` : 'Not set.'}`
            : f.help;
          return (
            <Field key={f.name} label={f.label} help={help} error={fields[`platform_config.${f.name}`]}>
              {(props) => (
                <input
                  {...props}
                  name={f.name}
                  type={f.secret && f.name !== 'verify_token' ? 'password' : 'text'}
                  autoComplete="off"
                  inputMode={f.name.endsWith('_id') ? 'numeric' : undefined}
                  disabled={f.name === 'app_secret' && removeAppSecret}
                  defaultValue={
                    f.name === 'phone_number_id'
                      ? pc.phone_number_id
                      : f.name === 'business_account_id'
                        ? (pc.business_account_id ?? '')
                        : ''
                  }
                  placeholder={state?.set ? 'unchanged' : undefined}
                />
              )}
            </Field>
          );
        })}
        {pc.app_secret.set ? (
          <label className="check">
            <input type="checkbox" checked={removeAppSecret} onChange={(e) => setRemoveAppSecret(e.target.checked)} />
            Remove the app secret (signatures are then not checked)
          </label>
        ) : null}
        <ErrorNote error={Object.keys(fields).length ? null : save.error} />
        <button type="submit" disabled={save.isPending}>
          Save platform configuration
        </button>
      </form>
    </section>
  );
}
