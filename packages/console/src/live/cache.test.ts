import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { Conversation, Message } from '../api/client';
import { applyEvent, type InboxConversation, keys, type Transcript } from './cache';

const WS = 'ws-1';
const base = { workspace_id: WS, bot_id: 'bt_1', conversation_id: 'c-1' };

// Cast: fields newer admins add (edited_at, …) are not needed here.
const message = (id: string, over: Partial<Message> = {}): Message =>
  ({
    id,
    conversation_id: 'c-1',
    bot_id: 'bt_1',
    direction: 'outbound',
    type: 'text',
    text: `text ${id}`,
    metadata: null,
    action: null,
    status: 'pending',
    error_code: null,
    error_title: null,
    error_details: null,
    meta_message_id: null,
    reply_to_id: null,
    part_index: null,
    part_count: null,
    usage: null,
    attempts: 0,
    last_error: null,
    author: 'bot',
    author_user_id: null,
    created_at: '2026-12-01T12:00:00.000Z',
    updated_at: '2026-12-01T12:00:00.000Z',
    meta_timestamp: null,
    sent_at: null,
    delivered_at: null,
    read_at: null,
    failed_at: null,
    handled_at: null,
    ...over,
  }) as Message;

const conversation = (id: string, at: string): InboxConversation =>
  ({
    id,
    bot_id: 'bt_1',
    bot_name: 'Support',
    user_key: `wa:${id}`,
    wa_id: '15557654321',
    user_id: null,
    profile_name: id === 'c-1' ? 'Sheena' : 'Kai',
    last_inbound_at: at,
    last_message_at: at,
    created_at: at,
    control: 'bot',
    handoff_reason: null,
    handoff_summary: null,
    handed_off_at: null,
    assignee: null,
    resume_at: null,
    last_operator_message_at: null,
    window: { open: true, expires_at: null, closed_by_meta_at: null },
    usage_totals: { turns: 0, input_tokens: 0, output_tokens: 0 },
    last_message: null,
  }) as InboxConversation;

function seeded() {
  const client = new QueryClient();
  client.setQueryData<InboxConversation[]>(keys.conversations(WS), [
    conversation('c-2', '2026-12-01T11:00:00.000Z'),
    conversation('c-1', '2026-12-01T10:00:00.000Z'),
  ]);
  client.setQueryData<Transcript>(keys.messages('c-1'), {
    messages: [message('m-1', { direction: 'inbound', author: 'user', created_at: '2026-12-01T10:00:00.000Z' })],
    olderCursor: null,
  });
  return client;
}

describe('live events applied to the cache', () => {
  it('appends a new message at the bottom, parts in order, and moves its conversation to the top', () => {
    const client = seeded();
    const at = '2026-12-01T12:00:00.000Z';
    applyEvent(client, WS, {
      type: 'message.created',
      ...base,
      message: message('m-3', { part_index: 1, part_count: 2, created_at: at }),
    });
    applyEvent(client, WS, {
      type: 'message.created',
      ...base,
      message: message('m-2', { part_index: 0, part_count: 2, created_at: at }),
    });
    const transcript = client.getQueryData<Transcript>(keys.messages('c-1'));
    expect(transcript?.messages.map((m) => m.id)).toEqual(['m-1', 'm-2', 'm-3']);
    const list = client.getQueryData<InboxConversation[]>(keys.conversations(WS));
    expect(list?.map((c) => c.id)).toEqual(['c-1', 'c-2']);
    expect(list?.[0]?.last_message?.id).toBe('m-2');
  });

  it('announces an inbound message by the sender’s name, and nothing for the bot’s', () => {
    const client = seeded();
    const inbound = message('m-9', { direction: 'inbound', author: 'user' });
    expect(applyEvent(client, WS, { type: 'message.created', ...base, message: inbound })).toBe(
      'New message from Sheena',
    );
    expect(applyEvent(client, WS, { type: 'message.created', ...base, message: message('m-10') })).toBeNull();
  });

  it('moves ticks forward only: a late "delivered" does not undo "read"', () => {
    const client = seeded();
    applyEvent(client, WS, { type: 'message.created', ...base, message: message('m-2') });
    const status = (s: 'sent' | 'delivered' | 'read') =>
      applyEvent(client, WS, { type: 'message.status', ...base, message_id: 'm-2', wamid: 'wamid.1', status: s });
    status('sent');
    status('read');
    status('delivered');
    const m = client.getQueryData<Transcript>(keys.messages('c-1'))?.messages.find((x) => x.id === 'm-2');
    expect(m?.status).toBe('read');
  });

  it('replaces an edited message in place, and ignores one it never showed', () => {
    const client = seeded();
    const edited = message('m-1', { direction: 'inbound', author: 'user', text: 'edited text' });
    applyEvent(client, WS, { type: 'message.updated', ...base, message: edited });
    applyEvent(client, WS, { type: 'message.updated', ...base, message: message('m-404') });
    const messages = client.getQueryData<Transcript>(keys.messages('c-1'))?.messages;
    expect(messages?.map((m) => [m.id, m.text])).toEqual([['m-1', 'edited text']]);
  });

  it('applies takeover control to the list and the open conversation', () => {
    const client = seeded();
    client.setQueryData<Conversation>(keys.conversation('c-1'), conversation('c-1', '2026-12-01T10:00:00.000Z'));
    const said = applyEvent(client, WS, {
      type: 'conversation.control',
      ...base,
      control: 'human',
      assignee: null,
      handoff_reason: 'keyword',
      resume_at: null,
      by: null,
    });
    expect(said).toBe('Sheena needs a person');
    expect(client.getQueryData<Conversation>(keys.conversation('c-1'))?.control).toBe('human');
    const row = client.getQueryData<InboxConversation[]>(keys.conversations(WS))?.find((c) => c.id === 'c-1');
    expect(row).toMatchObject({ control: 'human', handoff_reason: 'keyword', bot_name: 'Support' });
  });

  it('refetches a conversation it does not know yet', async () => {
    const client = seeded();
    const key = keys.conversations(WS);
    expect(client.getQueryState(key)?.isInvalidated).toBe(false);
    applyEvent(client, WS, {
      type: 'message.created',
      ...base,
      conversation_id: 'c-new',
      message: message('m-20', { conversation_id: 'c-new', direction: 'inbound', author: 'user' }),
    });
    expect(client.getQueryState(key)?.isInvalidated).toBe(true);
  });
});
