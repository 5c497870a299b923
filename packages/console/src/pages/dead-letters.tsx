import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import { useAnnounce } from '../components/announcer';
import { ErrorNote } from '../components/forms';
import { timeOf } from '../format';
import { keys } from '../live/cache';
import { useWorkspace } from '../session';
import { useBots } from './bots';

const QUEUES: Record<string, string> = {
  conversations: 'Answering (engine turn)',
  outbound: 'Sending to WhatsApp',
  'webhook-events': 'Receiving a webhook',
};

/** Jobs that ran out of retries, each linked to its conversation, with retry. */
export function DeadLettersPage() {
  const { workspace } = useWorkspace();
  const bots = useBots(workspace.id);
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  const botIds = new Set(bots.data?.map((b) => b.id));
  const letters = useQuery({
    queryKey: keys.deadLetters(workspace.id),
    queryFn: async () => unwrap(await api.GET('/api/dead-letters', { params: { query: { limit: 200 } } })).data,
  });
  const retry = useMutation({
    mutationFn: async (letter: { queue: 'conversations' | 'outbound' | 'webhook-events'; job_id: string }) =>
      unwrap(
        await api.POST('/api/dead-letters/{queue}/{jobId}/retry', {
          params: { path: { queue: letter.queue, jobId: letter.job_id } },
        }),
      ),
    onSuccess: async () => {
      announce('Sent back for another round of attempts');
      await queryClient.invalidateQueries({ queryKey: keys.deadLetters(workspace.id) });
    },
  });
  // Only this workspace's bots (the API lists every bot of the caller).
  const shown = (letters.data ?? []).filter((l) => botIds.has(l.bot_id));
  const botName = (id: string) => bots.data?.find((b) => b.id === id)?.name ?? id;
  return (
    <section aria-labelledby="dl-title">
      <div className="page-head">
        <h1 id="dl-title" tabIndex={-1}>
          Dead letters
        </h1>
        <button
          type="button"
          className="secondary"
          onClick={() => void queryClient.invalidateQueries({ queryKey: keys.deadLetters(workspace.id) })}
        >
          Refresh
        </button>
      </div>
      <p className="help">Work that failed after all its retries. Fix the cause (token, template, tool), then retry.</p>
      <ErrorNote error={letters.error ?? retry.error} />
      {letters.isPending ? (
        <p aria-busy="true">Loading…</p>
      ) : shown.length === 0 ? (
        <p className="empty">No dead letters.</p>
      ) : (
        <ul className="cards">
          {shown.map((l) => (
            <li key={l.id} className="card">
              <h2>{QUEUES[l.queue] ?? l.queue}</h2>
              <p>
                {botName(l.bot_id)} · {l.name} · failed {timeOf(l.failed_at)} after {l.attempts_made}
                {l.max_attempts ? ` of ${l.max_attempts}` : ''} attempts
              </p>
              <p className="error-text">{l.failed_reason ?? 'no reason recorded'}</p>
              <div className="actions">
                {l.conversation_id ? <Link to={`/inbox/${l.conversation_id}`}>Open the conversation</Link> : null}
                <button type="button" disabled={retry.isPending} onClick={() => retry.mutate(l)}>
                  Retry
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
