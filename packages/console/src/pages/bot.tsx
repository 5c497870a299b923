import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, type BotDetail, unwrap } from '../api/client';
import { useAnnounce } from '../components/announcer';
import { CopyButton, ErrorNote, Field, messageOf } from '../components/forms';
import { META_STEPS } from '../components/platform-fields';
import { timeOf } from '../format';
import { keys } from '../live/cache';
import { useWorkspace } from '../session';
import { BotSettingsForm } from './bot-settings';
import { BotToolsSection } from './bot-tools';
import { PlatformConfigForm } from './platform-config';

const VERIFICATION_REASONS: Record<string, string> = {
  mode_missing: 'the request had no hub.mode',
  mode_not_subscribe: 'hub.mode was not "subscribe"',
  token_missing: 'Meta sent no verify token',
  token_case_mismatch: 'the verify token differs only in letter case: it is case-sensitive',
  token_mismatch: 'the verify token entered in Meta is not this bot’s',
  challenge_missing: 'the request had no hub.challenge',
};

function useBot(id: string) {
  return useQuery({
    queryKey: keys.bot(id),
    queryFn: async () => unwrap(await api.GET('/api/bots/{id}', { params: { path: { id } } })),
  });
}

/** One bot: activation, diagnostics, Platform Configuration, settings, tools, deletion. */
export function BotPage() {
  const { id = '' } = useParams();
  const bot = useBot(id);
  if (bot.isPending) return <p aria-busy="true">Loading the bot…</p>;
  if (bot.error || !bot.data) {
    return (
      <section>
        <h1 tabIndex={-1}>Bot not found</h1>
        <ErrorNote error={bot.error} />
        <Link to="/bots">All bots</Link>
      </section>
    );
  }
  return <BotView bot={bot.data} />;
}

function BotView({ bot }: { bot: BotDetail }) {
  return (
    <article aria-labelledby="bot-title" className="bot-page">
      <div className="page-head">
        <h1 id="bot-title" tabIndex={-1}>
          {bot.name}
        </h1>
        <span className={`badge badge-${bot.status}`}>{bot.status === 'active' ? 'Active' : 'Inactive'}</span>
      </div>
      <ActivationSection bot={bot} />
      <DiagnosticsSection bot={bot} />
      <PlatformConfigForm bot={bot} />
      <BotSettingsForm bot={bot} />
      <BotToolsSection botId={bot.id} />
      <DeleteSection bot={bot} />
    </article>
  );
}

function ActivationSection({ bot }: { bot: BotDetail }) {
  const queryClient = useQueryClient();
  const { workspace } = useWorkspace();
  const announce = useAnnounce();
  const [activationWarnings, setActivationWarnings] = useState<string[]>([]);
  const [verifyToken, setVerifyToken] = useState<string | null>(null);
  const activate = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/bots/{id}/activate', { params: { path: { id: bot.id } } })),
    onSuccess: async (result) => {
      setActivationWarnings(result.warnings);
      announce(`Bot activated${result.warnings.length ? ` with ${result.warnings.length} warnings` : ''}`);
      await queryClient.invalidateQueries({ queryKey: keys.bot(bot.id) });
      await queryClient.invalidateQueries({ queryKey: keys.bots(workspace.id) });
    },
  });
  const deactivate = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/bots/{id}/deactivate', { params: { path: { id: bot.id } } })),
    onSuccess: async () => {
      setActivationWarnings([]);
      announce('Bot deactivated: it stops answering');
      await queryClient.invalidateQueries({ queryKey: keys.bot(bot.id) });
      await queryClient.invalidateQueries({ queryKey: keys.bots(workspace.id) });
    },
  });
  const reveal = useMutation({
    mutationFn: async () =>
      unwrap(await api.GET('/api/bots/{id}/verify-token', { params: { path: { id: bot.id } } })).verify_token,
    onSuccess: (value) => setVerifyToken(value),
  });

  const warnings = [...new Set([...bot.webhook_url_warnings, ...activationWarnings, ...bot.health.alerts])];
  if (!bot.platform_config.app_secret.set) {
    warnings.push('No app secret: webhook signatures are not checked. Add it under Platform configuration.');
  }
  if (bot.credentials.status === 'invalid') {
    warnings.push(`Meta rejected the access token${bot.credentials.error ? `: ${bot.credentials.error}` : ''}.`);
  }

  return (
    <section aria-labelledby="activation-title" className="panel">
      <h2 id="activation-title">Activation</h2>
      {bot.status === 'active' ? (
        <p>The bot answers messages sent to phone number ID {bot.phone_number_id}.</p>
      ) : (
        <p>The bot is inactive: activate it, then set the webhook in the Meta portal.</p>
      )}
      <div className="actions">
        {bot.status === 'active' ? (
          <button
            type="button"
            className="secondary"
            disabled={deactivate.isPending}
            onClick={() => deactivate.mutate()}
          >
            Deactivate
          </button>
        ) : (
          <button type="button" disabled={activate.isPending} onClick={() => activate.mutate()}>
            {activate.isPending ? 'Activating…' : 'Activate'}
          </button>
        )}
      </div>
      <ErrorNote error={activate.error ?? deactivate.error} />
      <div className="copy-row">
        <Field label="Webhook URL" help="Meta’s “Callback URL” (WhatsApp → Configuration → Webhook).">
          {(props) => <input {...props} readOnly value={bot.webhook_url} className="mono" />}
        </Field>
        <CopyButton value={bot.webhook_url} label="webhook URL" />
      </div>
      <div className="copy-row">
        <Field label="Verify token" help="Meta’s “Verify token”, the value you chose for this bot.">
          {(props) => (
            <input
              {...props}
              readOnly
              value={verifyToken ?? bot.platform_config.verify_token.hint ?? ''}
              className="mono"
              data-testid="verify-token"
            />
          )}
        </Field>
        {verifyToken === null ? (
          <button type="button" className="secondary" disabled={reveal.isPending} onClick={() => reveal.mutate()}>
            Reveal verify token
          </button>
        ) : (
          <CopyButton value={verifyToken} label="verify token" />
        )}
      </div>
      <ErrorNote error={reveal.error} />
      <h3>In the Meta portal</h3>
      <ol className="steps">
        {META_STEPS.map((step) => (
          <li key={step}>{step}</li>
        ))}
      </ol>
      {warnings.length > 0 ? (
        <>
          <h3>Warnings</h3>
          <ul className="warnings" data-testid="bot-warnings">
            {warnings.map((warning) => (
              <li key={warning}>{warning}</li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

function DiagnosticsSection({ bot }: { bot: BotDetail }) {
  const queryClient = useQueryClient();
  const d = bot.diagnostics;
  const v = d?.last_verification;
  return (
    <section aria-labelledby="diagnostics-title" className="panel">
      <div className="page-head">
        <h2 id="diagnostics-title">Diagnostics</h2>
        <button
          type="button"
          className="secondary"
          onClick={() => void queryClient.invalidateQueries({ queryKey: keys.bot(bot.id) })}
        >
          Refresh
        </button>
      </div>
      {bot.engine.canned || bot.engine.note ? (
        <p className="note" data-testid="engine-note">
          {bot.engine.canned ? 'No LLM configured: replies are canned. ' : ''}
          {bot.engine.note}
        </p>
      ) : null}
      <dl className="facts">
        <dt>Engine</dt>
        <dd>
          {bot.engine.provider ?? 'none'}
          {bot.engine.model ? ` · ${bot.engine.model}` : ''} ({bot.engine.source})
        </dd>
        <dt>Last verification</dt>
        <dd>
          {!d
            ? 'unknown (Redis cannot be read)'
            : !v
              ? 'none yet: click “Verify and save” in the Meta portal'
              : v.outcome === 'verified'
                ? `verified ${timeOf(v.at)}`
                : `rejected ${timeOf(v.at)}: ${VERIFICATION_REASONS[v.reason ?? ''] ?? v.reason ?? 'unknown reason'}`}
        </dd>
        <dt>Last webhook</dt>
        <dd>{d?.last_webhook_at ? timeOf(d.last_webhook_at) : 'none received yet'}</dd>
        <dt>Rejected signatures</dt>
        <dd>
          {d?.rejected_signatures ?? '—'}
          {d && d.rejected_signatures > 0 ? ' (check the app secret)' : ''}
        </dd>
        <dt>Events for other numbers</dt>
        <dd>{d?.foreign_phone_number_events ?? '—'}</dd>
        <dt>Credentials</dt>
        <dd>
          {bot.credentials.status === 'ok'
            ? 'accepted by Meta'
            : bot.credentials.status === 'invalid'
              ? `rejected by Meta${bot.credentials.error ? `: ${bot.credentials.error}` : ''}`
              : 'not checked yet (activation checks them)'}
          {bot.credentials.checked_at ? ` · ${timeOf(bot.credentials.checked_at)}` : ''}
        </dd>
        <dt>Graph API</dt>
        <dd>
          {bot.health.graph.status}
          {bot.health.graph.last_error ? ` · last error: ${bot.health.graph.last_error.title}` : ''}
        </dd>
        <dt>LLM</dt>
        <dd>
          {bot.health.llm.status}
          {bot.health.llm.last_error ? ` · last error: ${bot.health.llm.last_error.title}` : ''}
        </dd>
        <dt>Usage</dt>
        <dd>
          {bot.usage_totals.turns} turns · {bot.usage_totals.input_tokens} in / {bot.usage_totals.output_tokens} out
          tokens
        </dd>
      </dl>
    </section>
  );
}

function DeleteSection({ bot }: { bot: BotDetail }) {
  const { workspace } = useWorkspace();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const announce = useAnnounce();
  const [confirming, setConfirming] = useState(false);
  const [typed, setTyped] = useState('');
  const remove = useMutation({
    mutationFn: async () => unwrap(await api.DELETE('/api/bots/{id}', { params: { path: { id: bot.id } } })),
    onSuccess: async () => {
      announce(`${bot.name} deleted`);
      await queryClient.invalidateQueries({ queryKey: keys.bots(workspace.id) });
      void navigate('/bots');
    },
  });
  return (
    <section aria-labelledby="delete-title" className="panel danger">
      <h2 id="delete-title">Delete this bot</h2>
      <p>It stops answering at once. Its conversations stay readable.</p>
      {confirming ? (
        <form
          aria-label="Confirm deletion"
          onSubmit={(event) => {
            event.preventDefault();
            remove.mutate();
          }}
        >
          <Field label={`Type the bot’s name (${bot.name}) to confirm`}>
            {(props) => (
              // biome-ignore lint/a11y/noAutofocus: the confirmation just opened; focus belongs in it
              <input {...props} autoFocus value={typed} onChange={(event) => setTyped(event.target.value)} />
            )}
          </Field>
          <div className="actions">
            <button type="submit" className="danger" disabled={typed !== bot.name || remove.isPending}>
              Delete {bot.name}
            </button>
            <button type="button" className="secondary" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
          {remove.error ? <p role="alert">{messageOf(remove.error)}</p> : null}
        </form>
      ) : (
        <button type="button" className="danger" onClick={() => setConfirming(true)}>
          Delete bot…
        </button>
      )}
    </section>
  );
}
