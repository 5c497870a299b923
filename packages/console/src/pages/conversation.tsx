import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { authApi, type Member } from '../api/auth';
import { api, type Conversation, type Message, unwrap } from '../api/client';
import { useAnnounce } from '../components/announcer';
import { ErrorNote, Field, fieldErrors } from '../components/forms';
import { chronological, deliveryOf, MEDIA_TYPES, timeOf, windowOf } from '../format';
import { type InboxConversation, keys, type Transcript } from '../live/cache';
import { useWorkspace } from '../session';
import { nameOf } from './inbox';

const AUTHORS: Record<Message['author'], string> = {
  user: 'Customer',
  bot: 'Bot',
  operator: 'Operator',
  business_app: 'WhatsApp Business app',
};

/** Set on messages a Business-app edit or revoke echo changed (newer admins). */
const editedAt = (m: Message) => ('edited_at' in m && typeof m.edited_at === 'string' ? m.edited_at : null);
const revokedAt = (m: Message) => ('revoked_at' in m && typeof m.revoked_at === 'string' ? m.revoked_at : null);

function useConversation(id: string) {
  return useQuery({
    queryKey: keys.conversation(id),
    queryFn: async () => unwrap(await api.GET('/api/conversations/{id}', { params: { path: { id } } })),
  });
}

async function fetchMessages(id: string, cursor?: string) {
  const page = unwrap(
    await api.GET('/api/conversations/{id}/messages', {
      params: { path: { id }, query: { limit: 50, ...(cursor ? { cursor } : {}) } },
    }),
  );
  return { messages: chronological(page.data), olderCursor: page.next_cursor };
}

/** The conversation's members to assign to (empty without the members API). */
function useMembers(workspaceId: string) {
  return useQuery({
    queryKey: keys.members(workspaceId),
    queryFn: async (): Promise<Member[]> => authApi.members(workspaceId).catch(() => []),
    staleTime: 60_000,
  });
}

/** One conversation: window and control, the transcript (newest at the bottom), and what a person can do. */
export function ConversationView({ conversationId }: { conversationId: string }) {
  const queryClient = useQueryClient();
  const { workspace } = useWorkspace();
  const conversation = useConversation(conversationId);
  const transcript = useQuery({
    queryKey: keys.messages(conversationId),
    queryFn: () => fetchMessages(conversationId),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const heading = useRef<HTMLHeadingElement>(null);
  const loaded = conversation.data !== undefined;
  useEffect(() => {
    if (loaded) heading.current?.focus();
  }, [loaded]);

  const setConversation = (next: Conversation) => {
    queryClient.setQueryData(keys.conversation(conversationId), next);
    queryClient.setQueryData<InboxConversation[]>(keys.conversations(workspace.id), (old) =>
      old?.map((c) => (c.id === next.id ? { ...next, bot_name: c.bot_name } : c)),
    );
  };

  if (conversation.isPending) return <p aria-busy="true">Loading the conversation…</p>;
  if (!conversation.data) return <ErrorNote error={conversation.error} />;
  const c = conversation.data;
  const win = windowOf(c.window, Date.now());
  return (
    <article className="conversation" aria-labelledby="conversation-title">
      <header className="conversation-head">
        <h2 id="conversation-title" ref={heading} tabIndex={-1}>
          {nameOf(c)}
        </h2>
        <p className="help">
          {c.wa_id ? `+${c.wa_id}` : c.user_key} · {c.usage_totals.turns} turns · {c.usage_totals.input_tokens} in /{' '}
          {c.usage_totals.output_tokens} out tokens
        </p>
        <p className={win.open ? (win.closingSoon ? 'window window-closing' : 'window') : 'window window-closed'}>
          {win.words}
        </p>
        <Control conversation={c} onChange={setConversation} />
      </header>
      <TranscriptView conversationId={conversationId} transcript={transcript.data} error={transcript.error} />
      {win.open ? <ReplyForm conversation={c} onSent={setConversation} /> : <TemplateForm conversationId={c.id} />}
    </article>
  );
}

function Control({ conversation: c, onChange }: { conversation: Conversation; onChange: (c: Conversation) => void }) {
  const { workspace, userId } = useWorkspace();
  const announce = useAnnounce();
  const members = useMembers(workspace.id);
  const [assignee, setAssignee] = useState(c.assignee ?? '');
  const handoff = useMutation({
    mutationFn: async (body: { reason?: string; assignee?: string | null }) =>
      unwrap(await api.POST('/api/conversations/{id}/handoff', { params: { path: { id: c.id } }, body })),
    onSuccess: (next) => {
      onChange(next);
      setAssignee(next.assignee ?? '');
      announce(next.assignee ? `Assigned to ${memberName(next.assignee)}` : 'You have the conversation');
    },
  });
  const resume = useMutation({
    mutationFn: async () =>
      unwrap(await api.POST('/api/conversations/{id}/resume', { params: { path: { id: c.id } } })),
    onSuccess: (next) => {
      onChange(next);
      announce('The bot answers again');
    },
  });
  const memberName = (id: string) => {
    const m = members.data?.find((x) => x.user_id === id);
    if (id === userId) return 'you';
    return m?.name ?? m?.email ?? id;
  };

  return (
    <div className="control">
      {c.control === 'bot' ? (
        <p>
          The bot answers.{' '}
          <button
            type="button"
            disabled={handoff.isPending}
            onClick={() => handoff.mutate({ reason: 'operator', ...(userId ? { assignee: userId } : {}) })}
          >
            Take over
          </button>
        </p>
      ) : (
        <>
          <p>
            A person answers{c.handoff_reason ? ` (handed over: ${c.handoff_reason})` : ''}
            {c.assignee ? `; assigned to ${memberName(c.assignee)}` : '; nobody is assigned'}.
            {c.resume_at ? ` The bot takes it back ${timeOf(c.resume_at)}.` : ''}
          </p>
          {c.handoff_summary ? <p className="note">Left by the bot: {c.handoff_summary}</p> : null}
          <div className="actions">
            <form
              className="inline-form"
              aria-label="Assign"
              onSubmit={(event) => {
                event.preventDefault();
                handoff.mutate({ assignee: assignee === '' ? null : assignee });
              }}
            >
              <Field label="Assignee">
                {(props) =>
                  members.data && members.data.length > 0 ? (
                    <select {...props} value={assignee} onChange={(e) => setAssignee(e.target.value)}>
                      <option value="">Nobody</option>
                      {members.data.map((m) => (
                        <option key={m.user_id} value={m.user_id}>
                          {m.user_id === userId ? 'Me' : (m.name ?? m.email ?? m.user_id)}
                        </option>
                      ))}
                    </select>
                  ) : (
                    <input
                      {...props}
                      value={assignee}
                      placeholder="user id"
                      onChange={(e) => setAssignee(e.target.value)}
                    />
                  )
                }
              </Field>
              <button type="submit" className="secondary" disabled={handoff.isPending}>
                Assign
              </button>
            </form>
            <button type="button" disabled={resume.isPending} onClick={() => resume.mutate()}>
              Resume bot
            </button>
          </div>
        </>
      )}
      <ErrorNote error={handoff.error ?? resume.error} />
    </div>
  );
}

function TranscriptView({
  conversationId,
  transcript,
  error,
}: {
  conversationId: string;
  transcript: Transcript | undefined;
  error: unknown;
}) {
  const queryClient = useQueryClient();
  const box = useRef<HTMLElement>(null);
  const stick = useRef(true);
  const count = transcript?.messages.length ?? 0;
  const lastId = transcript?.messages.at(-1)?.id;
  // Newest at the bottom: stay there as messages arrive, unless the reader scrolled up.
  // biome-ignore lint/correctness/useExhaustiveDependencies: scrolls when the newest message changes
  useLayoutEffect(() => {
    const el = box.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [lastId]);
  const older = useMutation({
    mutationFn: async () => fetchMessages(conversationId, transcript?.olderCursor ?? undefined),
    onSuccess: (page) => {
      stick.current = false;
      queryClient.setQueryData<Transcript>(keys.messages(conversationId), (old) => ({
        messages: chronological([
          ...page.messages,
          ...(old?.messages ?? []).filter((m) => !page.messages.some((p) => p.id === m.id)),
        ]),
        olderCursor: page.olderCursor,
      }));
    },
  });
  return (
    <section
      className="transcript"
      ref={box}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: the scrollable transcript must be reachable by keyboard
      tabIndex={0}
      aria-label={`Transcript, ${count} messages, newest at the bottom`}
      onScroll={(event) => {
        const el = event.currentTarget;
        stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
      }}
    >
      <ErrorNote error={error ?? older.error} />
      {transcript?.olderCursor ? (
        <button type="button" className="secondary" disabled={older.isPending} onClick={() => older.mutate()}>
          Load earlier messages
        </button>
      ) : null}
      <ol className="messages" data-testid="transcript">
        {transcript?.messages.map((m, i, all) => (
          <MessageItem
            key={m.id}
            message={m}
            lastOfTurn={all[i + 1]?.reply_to_id !== m.reply_to_id || !m.reply_to_id}
          />
        ))}
      </ol>
    </section>
  );
}

function MessageItem({ message: m, lastOfTurn }: { message: Message; lastOfTurn: boolean }) {
  const delivery = deliveryOf(m);
  const media = MEDIA_TYPES.has(m.type);
  return (
    <li className={`message message-${m.direction} author-${m.author}`} data-status={m.status}>
      <p className="message-meta">
        <span className="message-author">{AUTHORS[m.author]}</span>
        {m.part_count && m.part_count > 1 ? (
          <span>
            {' '}
            · part {(m.part_index ?? 0) + 1} of {m.part_count}
          </span>
        ) : null}{' '}
        · <time dateTime={m.meta_timestamp ?? m.created_at}>{timeOf(m.meta_timestamp ?? m.created_at)}</time>
      </p>
      {revokedAt(m) ? (
        <p className="message-text revoked">Deleted by the sender {timeOf(revokedAt(m))}</p>
      ) : m.text ? (
        <p className="message-text">
          {m.text}
          {editedAt(m) ? <span className="edited"> (edited {timeOf(editedAt(m))})</span> : null}
        </p>
      ) : null}
      {m.action ? <ActionView action={m.action} /> : null}
      {media && m.direction === 'inbound' ? (
        <p>
          {m.type === 'image' || m.type === 'sticker' ? (
            <img className="media" src={`/api/messages/${m.id}/media`} alt={m.text || `${m.type} from the customer`} />
          ) : null}
          <a href={`/api/messages/${m.id}/media`} target="_blank" rel="noreferrer">
            Open the {m.type}
          </a>
        </p>
      ) : null}
      {delivery ? (
        <p className={`delivery delivery-${delivery.tone}`} data-testid="delivery">
          <span aria-hidden="true" className="ticks">
            {delivery.ticks}
          </span>{' '}
          {delivery.words}
          {m.status !== 'failed' && m.last_error ? ` (retrying: ${m.last_error.title}, attempt ${m.attempts})` : ''}
        </p>
      ) : m.status === 'processing' ? (
        <p className="delivery">The bot is answering…</p>
      ) : null}
      {m.usage && lastOfTurn ? (
        <p className="usage">
          {m.usage.provider} · {m.usage.model} · {m.usage.input_tokens} in / {m.usage.output_tokens} out tokens
        </p>
      ) : null}
    </li>
  );
}

function ActionView({ action }: { action: NonNullable<Message['action']> }) {
  switch (action.kind) {
    case 'buttons':
      return (
        <div className="action">
          <span className="badge">Buttons</span>
          <ul className="choices">
            {action.buttons.map((b) => (
              <li key={b.id}>{b.title}</li>
            ))}
          </ul>
        </div>
      );
    case 'list':
      return (
        <div className="action">
          <span className="badge">List: {action.button}</span>
          <ul className="choices">
            {action.sections.flatMap((section) => section.rows.map((row) => <li key={row.id}>{row.title}</li>))}
          </ul>
        </div>
      );
    case 'cta_url':
      return (
        <p className="action">
          <span className="badge">Link button</span>{' '}
          <a href={action.url} target="_blank" rel="noreferrer">
            {action.display_text}
          </a>
        </p>
      );
    case 'media':
      return (
        <p className="action">
          <span className="badge">{action.type}</span>{' '}
          <a href={action.url} target="_blank" rel="noreferrer">
            {action.filename ?? action.caption ?? `Open the ${action.type}`}
          </a>
        </p>
      );
    case 'location_request':
      return <p className="action">Asked for the customer’s location</p>;
    case 'reaction':
      return <p className="action">Reacted {action.emoji}</p>;
    case 'handoff':
      return (
        <p className="action">
          Handed over to a person: {action.reason}
          {action.summary ? ` — ${action.summary}` : ''}
        </p>
      );
  }
}

function ReplyForm({ conversation, onSent }: { conversation: Conversation; onSent: (c: Conversation) => void }) {
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  const [text, setText] = useState('');
  const send = useMutation({
    mutationFn: async (value: string) =>
      unwrap(
        await api.POST('/api/conversations/{id}/messages', {
          params: { path: { id: conversation.id } },
          body: { text: value },
        }),
      ),
    onSuccess: (result) => {
      setText('');
      onSent(result.conversation);
      queryClient.setQueryData<Transcript>(keys.messages(conversation.id), (old) =>
        old
          ? {
              ...old,
              messages: chronological([...old.messages.filter((m) => m.id !== result.message.id), result.message]),
            }
          : old,
      );
      announce('Message sent');
    },
  });
  const fields = fieldErrors(send.error);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (text.trim()) send.mutate(text);
  };
  return (
    <form className="composer" onSubmit={onSubmit} aria-label="Reply">
      <Field
        label="Reply"
        help={conversation.control === 'bot' ? 'Sending takes the conversation over from the bot.' : undefined}
        error={fields.text}
      >
        {(props) => (
          <textarea
            {...props}
            rows={2}
            value={text}
            onChange={(event) => setText(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) onSubmit(event);
            }}
          />
        )}
      </Field>
      <ErrorNote error={Object.keys(fields).length ? null : send.error} />
      <button type="submit" disabled={send.isPending || !text.trim()}>
        Send
      </button>
    </form>
  );
}

function TemplateForm({ conversationId }: { conversationId: string }) {
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  const send = useMutation({
    mutationFn: async (body: { name: string; language: string; parameters: string[] }) =>
      unwrap(await api.POST('/api/conversations/{id}/template', { params: { path: { id: conversationId } }, body })),
    onSuccess: async () => {
      announce('Template queued');
      await queryClient.invalidateQueries({ queryKey: keys.messages(conversationId) });
    },
  });
  const fields = fieldErrors(send.error);
  return (
    <form
      className="composer"
      aria-label="Send a template"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        const v = (name: string) => String(form.get(name) ?? '').trim();
        send.mutate({
          name: v('name'),
          language: v('language'),
          parameters: v('parameters')
            .split(',')
            .map((p) => p.trim())
            .filter(Boolean),
        });
      }}
    >
      <p className="note">The 24-hour window is closed: only an approved template reaches the customer.</p>
      <Field label="Template name" error={fields.name}>
        {(props) => <input {...props} name="name" />}
      </Field>
      <Field label="Language" help="e.g. en_US" error={fields.language}>
        {(props) => <input {...props} name="language" defaultValue="en_US" />}
      </Field>
      <Field label="Parameters" help="Comma-separated values for {{1}}, {{2}}, …">
        {(props) => <input {...props} name="parameters" />}
      </Field>
      <ErrorNote error={Object.keys(fields).length ? null : send.error} />
      <button type="submit" disabled={send.isPending}>
        Send template
      </button>
    </form>
  );
}
