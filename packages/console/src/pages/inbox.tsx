import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Link, NavLink, useParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { ErrorNote } from '../components/forms';
import { windowOf } from '../format';
import { type InboxConversation, keys, type Waiting } from '../live/cache';
import { useWorkspace } from '../session';
import { useBots } from './bots';
import { ConversationView } from './conversation';

type Filter = 'all' | 'human' | 'mine' | 'closing';

const FILTERS: { value: Filter; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'human', label: 'Needs a human' },
  { value: 'mine', label: 'Assigned to me' },
  { value: 'closing', label: 'Window closing' },
];

/** Every conversation of the workspace's bots, most recently active first. */
function useInbox(workspaceId: string) {
  const bots = useBots(workspaceId);
  return useQuery({
    queryKey: keys.conversations(workspaceId),
    enabled: bots.data !== undefined,
    queryFn: async (): Promise<InboxConversation[]> => {
      const pages = await Promise.all(
        (bots.data ?? []).map(async (bot) => {
          const page = unwrap(
            await api.GET('/api/bots/{id}/conversations', {
              params: { path: { id: bot.id }, query: { limit: 100 } },
            }),
          );
          return page.data.map((c) => ({ ...c, bot_name: bot.name }));
        }),
      );
      return pages.flat().sort((a, b) => Date.parse(b.last_message_at) - Date.parse(a.last_message_at));
    },
  });
}

export const nameOf = (c: { profile_name: string | null; wa_id: string | null; user_key: string }) =>
  c.profile_name ?? c.wa_id ?? c.user_key;

/** The inbox: the conversation list (filters) and the open conversation; one at a time on a phone. */
export function InboxPage() {
  const { conversationId } = useParams();
  const { workspace, userId } = useWorkspace();
  const inbox = useInbox(workspace.id);
  const waiting = useQuery<Waiting>({
    queryKey: keys.waiting(workspace.id),
    queryFn: () => ({}),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const [filter, setFilter] = useState<Filter>('all');
  const filterName = useId();
  const now = Date.now();
  const shown = (inbox.data ?? []).filter((c) => {
    if (filter === 'human') return c.control === 'human';
    if (filter === 'mine') return c.control === 'human' && userId !== null && c.assignee === userId;
    if (filter === 'closing') return windowOf(c.window, now).closingSoon;
    return true;
  });

  return (
    <div className={conversationId ? 'inbox has-open' : 'inbox'}>
      <section className="inbox-list" aria-labelledby="inbox-title">
        <h1 id="inbox-title" tabIndex={-1}>
          Inbox
        </h1>
        <fieldset className="filters">
          <legend>Show</legend>
          {FILTERS.map((f) => (
            <label key={f.value}>
              <input
                type="radio"
                name={filterName}
                value={f.value}
                checked={filter === f.value}
                onChange={() => setFilter(f.value)}
              />
              {f.label}
            </label>
          ))}
        </fieldset>
        <ErrorNote error={inbox.error} />
        {inbox.isPending ? (
          <p aria-busy="true">Loading conversations…</p>
        ) : shown.length === 0 ? (
          <p className="empty">
            {inbox.data?.length ? 'No conversation matches this filter.' : 'No conversations yet.'}
          </p>
        ) : (
          <ul className="conversations" aria-label="Conversations">
            {shown.map((c) => {
              const win = windowOf(c.window, now);
              const wait = waiting.data?.[c.id];
              return (
                <li key={c.id}>
                  <NavLink to={`/inbox/${c.id}`} className="conversation-link">
                    <span className="conversation-name">{nameOf(c)}</span>
                    <span className="conversation-bot">{c.bot_name}</span>
                    <span className="conversation-preview">
                      {c.last_message
                        ? `${c.last_message.direction === 'inbound' ? '' : 'Reply: '}${c.last_message.text}`
                        : ''}
                    </span>
                    <span className="badges">
                      {c.control === 'human' ? (
                        <span className="badge badge-human">
                          {c.assignee ? (c.assignee === userId ? 'Assigned to you' : 'Assigned') : 'Needs a human'}
                        </span>
                      ) : null}
                      {wait ? (
                        <span className="badge badge-waiting">Waiting {Math.round(wait.age_s / 60)} min</span>
                      ) : null}
                      {win.closingSoon ? <span className="badge badge-closing">Window closing</span> : null}
                      {!win.open ? <span className="badge">Window closed</span> : null}
                    </span>
                  </NavLink>
                </li>
              );
            })}
          </ul>
        )}
      </section>
      <section className="inbox-conversation" aria-label="Conversation">
        {conversationId ? (
          <>
            <Link className="back-link" to="/inbox">
              ← All conversations
            </Link>
            <ConversationView key={conversationId} conversationId={conversationId} />
          </>
        ) : (
          <p className="empty">Choose a conversation.</p>
        )}
      </section>
    </div>
  );
}
