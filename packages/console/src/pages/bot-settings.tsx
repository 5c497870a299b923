import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { api, type BotDetail, type BotSettings, unwrap } from '../api/client';
import { useAnnounce } from '../components/announcer';
import { ErrorNote, Field, fieldErrors } from '../components/forms';
import { keys } from '../live/cache';

const PROVIDERS = ['openai', 'anthropic', 'google', 'openai-compatible'] as const;
type Provider = (typeof PROVIDERS)[number];

const numberOr = (raw: string, fallback: number) => {
  const n = Number(raw);
  return raw.trim() === '' || Number.isNaN(n) ? fallback : n;
};

/** Name, instructions, model, turns, handoff and the fallback template: the settings object is sent whole. */
export function BotSettingsForm({ bot }: { bot: BotDetail }) {
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  const s = bot.settings;
  const save = useMutation({
    mutationFn: async (body: { name: string; system_prompt: string; settings: BotSettings; llm_api_key?: string }) =>
      unwrap(await api.PATCH('/api/bots/{id}', { params: { path: { id: bot.id } }, body })),
    onSuccess: async () => {
      announce('Bot settings saved');
      await queryClient.invalidateQueries({ queryKey: keys.bot(bot.id) });
    },
  });
  const fields = fieldErrors(save.error);
  const err = (path: string) => fields[`settings.${path}`];

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const v = (name: string) => String(form.get(name) ?? '').trim();
    const provider = v('provider') as Provider | '';
    const templateName = v('template_name');
    const settings: BotSettings = {
      ...s,
      llm: {
        ...(provider ? { provider } : {}),
        ...(v('model') ? { model: v('model') } : {}),
        ...(v('base_url') ? { base_url: v('base_url') } : {}),
        ...(v('fallback_model') ? { fallback_model: v('fallback_model') } : {}),
        ...(s.llm.vision !== undefined ? { vision: s.llm.vision } : {}),
        ...(v('temperature') ? { temperature: numberOr(v('temperature'), 1) } : {}),
      },
      history: { ...s.history, turns: numberOr(v('history_turns'), s.history.turns) },
      turn: {
        debounce_ms: numberOr(v('debounce_ms'), s.turn.debounce_ms),
        max_wait_ms: numberOr(v('max_wait_ms'), s.turn.max_wait_ms),
      },
      handoff: {
        ...s.handoff,
        keywords: v('keywords')
          .split(',')
          .map((k) => k.trim())
          .filter(Boolean),
        auto_resume_after_s: v('auto_resume_after_s') ? numberOr(v('auto_resume_after_s'), 0) : null,
        notice: v('notice') || null,
      },
      fallback_template: templateName
        ? {
            name: templateName,
            language: v('template_language'),
            parameters: v('template_parameters')
              .split(',')
              .map((p) => p.trim())
              .filter(Boolean),
          }
        : null,
      typing_indicator: form.get('typing_indicator') === 'on',
    };
    const key = v('llm_api_key');
    save.mutate({
      name: v('name'),
      system_prompt: String(form.get('system_prompt') ?? ''),
      settings,
      ...(key ? { llm_api_key: key } : {}),
    });
  };

  return (
    <section aria-labelledby="settings-title" className="panel">
      <h2 id="settings-title">Bot settings</h2>
      <form noValidate onSubmit={onSubmit} aria-labelledby="settings-title">
        <Field label="Name" error={fields.name}>
          {(props) => <input {...props} name="name" defaultValue={bot.name} />}
        </Field>
        <Field label="Instructions (system prompt)" error={fields.system_prompt}>
          {(props) => <textarea {...props} name="system_prompt" rows={5} defaultValue={bot.system_prompt} />}
        </Field>
        <fieldset>
          <legend>Model</legend>
          <Field
            label="Provider"
            help="Empty: the deployment’s LLM (LLM_* variables), or canned replies when none is configured."
            error={err('llm.provider')}
          >
            {(props) => (
              <select {...props} name="provider" defaultValue={s.llm.provider ?? ''}>
                <option value="">Deployment default</option>
                {PROVIDERS.map((p) => (
                  <option key={p} value={p}>
                    {p}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field
            label="Model"
            help="e.g. gpt-4o-mini, claude-sonnet-4-5; required with a provider."
            error={err('llm.model')}
          >
            {(props) => <input {...props} name="model" defaultValue={s.llm.model ?? ''} />}
          </Field>
          <Field
            label="Base URL"
            help="Required for openai-compatible (Ollama, vLLM, OpenRouter)."
            error={err('llm.base_url')}
          >
            {(props) => <input {...props} name="base_url" type="url" defaultValue={s.llm.base_url ?? ''} />}
          </Field>
          <Field label="Fallback model" error={err('llm.fallback_model')}>
            {(props) => <input {...props} name="fallback_model" defaultValue={s.llm.fallback_model ?? ''} />}
          </Field>
          <Field label="Temperature" help="0 to 2; empty for the model’s default." error={err('llm.temperature')}>
            {(props) => (
              <input {...props} name="temperature" inputMode="decimal" defaultValue={s.llm.temperature ?? ''} />
            )}
          </Field>
          <Field
            label="Provider API key"
            help={`${bot.llm_api_key.set ? `Stored: ${bot.llm_api_key.hint ?? 'set'}. ` : ''}Stored encrypted, never shown; leave empty to keep.`}
            error={fields.llm_api_key}
          >
            {(props) => <input {...props} name="llm_api_key" type="password" autoComplete="off" />}
          </Field>
        </fieldset>
        <fieldset>
          <legend>Turns and history</legend>
          <Field
            label="Debounce (ms)"
            help="Messages of one user within this time are answered together; 0 answers each."
            error={err('turn.debounce_ms')}
          >
            {(props) => <input {...props} name="debounce_ms" inputMode="numeric" defaultValue={s.turn.debounce_ms} />}
          </Field>
          <Field label="Longest wait (ms)" error={err('turn.max_wait_ms')}>
            {(props) => <input {...props} name="max_wait_ms" inputMode="numeric" defaultValue={s.turn.max_wait_ms} />}
          </Field>
          <Field label="History (messages given to the model)" error={err('history.turns')}>
            {(props) => <input {...props} name="history_turns" inputMode="numeric" defaultValue={s.history.turns} />}
          </Field>
          <label className="check">
            <input type="checkbox" name="typing_indicator" defaultChecked={s.typing_indicator} />
            Show WhatsApp’s typing indicator while the bot works
          </label>
        </fieldset>
        <fieldset>
          <legend>Handoff to a person</legend>
          <Field
            label="Keywords"
            help="Comma-separated; a message equal to one hands the conversation to the team (e.g. agent, human)."
            error={err('handoff.keywords')}
          >
            {(props) => <input {...props} name="keywords" defaultValue={s.handoff.keywords.join(', ')} />}
          </Field>
          <Field
            label="Give back to the bot after (seconds)"
            help="After the last operator message; empty: only Resume gives it back."
            error={err('handoff.auto_resume_after_s')}
          >
            {(props) => (
              <input
                {...props}
                name="auto_resume_after_s"
                inputMode="numeric"
                defaultValue={s.handoff.auto_resume_after_s ?? ''}
              />
            )}
          </Field>
          <Field label="Notice sent when the bot takes over again" error={err('handoff.notice')}>
            {(props) => <input {...props} name="notice" defaultValue={s.handoff.notice ?? ''} />}
          </Field>
        </fieldset>
        <fieldset>
          <legend>Fallback template</legend>
          <p className="help">Sent instead of a reply when the 24-hour window is closed. Empty name: none.</p>
          <Field label="Template name" error={err('fallback_template.name')}>
            {(props) => <input {...props} name="template_name" defaultValue={s.fallback_template?.name ?? ''} />}
          </Field>
          <Field label="Language" help="e.g. en_US" error={err('fallback_template.language')}>
            {(props) => (
              <input {...props} name="template_language" defaultValue={s.fallback_template?.language ?? 'en_US'} />
            )}
          </Field>
          <Field label="Parameters" help="Comma-separated values for {{1}}, {{2}}, …">
            {(props) => (
              <input
                {...props}
                name="template_parameters"
                defaultValue={s.fallback_template?.parameters.join(', ') ?? ''}
              />
            )}
          </Field>
        </fieldset>
        <ErrorNote error={Object.keys(fields).length ? null : save.error} />
        {Object.keys(fields).length ? (
          <ul className="field-errors" role="alert">
            {Object.entries(fields).map(([field, message]) => (
              <li key={field}>
                {field}: {message}
              </li>
            ))}
          </ul>
        ) : null}
        <button type="submit" disabled={save.isPending}>
          Save bot settings
        </button>
      </form>
    </section>
  );
}
