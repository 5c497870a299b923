import type { QueryClient } from '@tanstack/react-query';
import type { Conversation, Message } from '../api/client';
import type { WorkspaceEvent } from '../api/events';
import { chronological, laterStatus } from '../format';

// Where the console keeps what it fetched (TanStack Query keys), and how each live event
// changes it in place: the event stream replaces polling.

export const keys = {
  bots: (workspaceId: string) => ['bots', workspaceId] as const,
  bot: (botId: string) => ['bot', botId] as const,
  tools: (botId: string) => ['tools', botId] as const,
  conversations: (workspaceId: string) => ['conversations', workspaceId] as const,
  conversation: (id: string) => ['conversation', id] as const,
  messages: (conversationId: string) => ['messages', conversationId] as const,
  waiting: (workspaceId: string) => ['waiting', workspaceId] as const,
  deadLetters: (workspaceId: string) => ['dead-letters', workspaceId] as const,
  members: (workspaceId: string) => ['members', workspaceId] as const,
};

/** A conversation in the inbox: the API's, with its bot's name. */
export type InboxConversation = Conversation & { bot_name: string };

/** A transcript: oldest first, and the cursor of the older page (null when it is all there). */
export interface Transcript {
  messages: Message[];
  olderCursor: string | null;
}

/** Handoffs unassigned for too long: conversation id → since. */
export type Waiting = Record<string, { since: string; age_s: number }>;

const lastMessageOf = (m: Message): NonNullable<Conversation['last_message']> => ({
  id: m.id,
  direction: m.direction,
  type: m.type,
  text: m.text,
  status: m.status,
  error_code: m.error_code,
  created_at: m.created_at,
});

function upsertMessage(transcript: Transcript | undefined, message: Message): Transcript | undefined {
  if (!transcript) return transcript;
  const others = transcript.messages.filter((m) => m.id !== message.id);
  return { ...transcript, messages: chronological([...others, message]) };
}

/** Applies one event to the cached data; returns what a person should hear about it, if anything. */
export function applyEvent(client: QueryClient, workspaceId: string, event: WorkspaceEvent): string | null {
  if (event.type === 'reset') {
    void client.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'session' });
    return null;
  }
  const conversationsKey = keys.conversations(workspaceId);
  const list = client.getQueryData<InboxConversation[]>(conversationsKey);
  const known = list?.find((c) => c.id === event.conversation_id);
  const patchConversation = (patch: (c: Conversation) => Conversation) => {
    client.setQueryData<InboxConversation[]>(conversationsKey, (old) =>
      old
        ?.map((c) => (c.id === event.conversation_id ? { ...c, ...patch(c) } : c))
        .sort((a, b) => Date.parse(b.last_message_at) - Date.parse(a.last_message_at)),
    );
    client.setQueryData<Conversation>(keys.conversation(event.conversation_id), (old) => old && patch(old));
  };

  switch (event.type) {
    case 'message.created': {
      const { message } = event;
      client.setQueryData<Transcript>(keys.messages(event.conversation_id), (old) => upsertMessage(old, message));
      if (known) {
        patchConversation((c) => ({
          ...c,
          last_message: lastMessageOf(message),
          last_message_at: message.created_at,
          ...(message.direction === 'inbound' ? { last_inbound_at: message.created_at } : {}),
        }));
      } else {
        // A new conversation: its row (window, control, name) comes from the API.
        void client.invalidateQueries({ queryKey: conversationsKey });
      }
      if (message.direction === 'inbound') {
        // The webhook arrived: the bot's diagnostics (last webhook) changed too.
        void client.invalidateQueries({ queryKey: keys.bot(event.bot_id) });
        void client.invalidateQueries({ queryKey: keys.conversation(event.conversation_id) });
        const who = known?.profile_name ?? known?.wa_id ?? 'a customer';
        return `New message from ${who}`;
      }
      return null;
    }
    case 'message.updated': {
      client.setQueryData<Transcript>(keys.messages(event.conversation_id), (old) =>
        old?.messages.some((m) => m.id === event.message.id) ? upsertMessage(old, event.message) : old,
      );
      return null;
    }
    case 'message.status': {
      const status = event.status === 'cancelled' ? 'failed' : event.status;
      client.setQueryData<Transcript>(keys.messages(event.conversation_id), (old) =>
        old
          ? {
              ...old,
              messages: old.messages.map((m) =>
                m.id === event.message_id
                  ? {
                      ...m,
                      status: laterStatus(m.status, status),
                      error_code: event.error_code ?? m.error_code,
                      error_title:
                        event.error_title ?? (event.status === 'cancelled' ? 'cancelled_by_handoff' : m.error_title),
                    }
                  : m,
              ),
            }
          : old,
      );
      if (known?.last_message?.id === event.message_id) {
        patchConversation((c) =>
          c.last_message
            ? { ...c, last_message: { ...c.last_message, status, error_code: event.error_code ?? null } }
            : c,
        );
      }
      return event.status === 'failed' ? 'A message was not delivered' : null;
    }
    case 'conversation.control': {
      patchConversation((c) => ({
        ...c,
        control: event.control,
        assignee: event.assignee,
        handoff_reason: event.handoff_reason,
        resume_at: event.resume_at,
      }));
      if (event.control === 'bot') {
        client.setQueryData<Waiting>(keys.waiting(workspaceId), (old) => {
          if (!old) return old;
          const { [event.conversation_id]: _gone, ...rest } = old;
          return rest;
        });
      }
      if (!known) void client.invalidateQueries({ queryKey: conversationsKey });
      const who = known?.profile_name ?? known?.wa_id ?? 'A conversation';
      return event.control === 'human' && event.assignee === null ? `${who} needs a person` : null;
    }
    case 'handoff.waiting': {
      client.setQueryData<Waiting>(keys.waiting(workspaceId), (old) => ({
        ...old,
        [event.conversation_id]: { since: event.since, age_s: event.age_s },
      }));
      const who = known?.profile_name ?? known?.wa_id ?? 'A conversation';
      return `${who} has waited ${Math.round(event.age_s / 60)} min for a person`;
    }
  }
}
