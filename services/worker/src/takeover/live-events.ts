import type { LiveEvent } from '@wabot/contracts';
import type { ControlState } from '@wabot/db';
import type { WorkerDeps } from '../worker-deps.js';

/** The bot (its id and workspace) an event is about. */
type EventBot = { id: string; workspaceId: string };

/**
 * The worker's side of the workspace live event stream (docs/contract.md, Live events): each
 * helper is called once the PostgreSQL change it reports committed. Publishing never throws (the
 * publisher logs what it could not write), so it never fails a job that already did its work.
 */

/** `message.created` for messages stored (an inbound message, reply parts, a Business-app echo). */
export function publishCreated(
  deps: Pick<WorkerDeps, 'events'>,
  bot: EventBot,
  conversationId: string,
  messageIds: string[],
): Promise<void> {
  return deps.events.publish(
    ...messageIds.map(
      (messageId): LiveEvent => ({
        type: 'message.created',
        workspace_id: bot.workspaceId,
        bot_id: bot.id,
        conversation_id: conversationId,
        message_id: messageId,
      }),
    ),
  );
}

export interface StatusChange {
  messageId: string;
  wamid: string | null;
  status: 'sent' | 'delivered' | 'read' | 'failed' | 'cancelled';
  errorCode?: number | null;
  errorTitle?: string | null;
}

/** `message.status` for delivery states that changed (sent, failed, cancelled by a handoff, status webhooks). */
export function publishStatuses(
  deps: Pick<WorkerDeps, 'events'>,
  bot: EventBot,
  conversationId: string,
  changes: StatusChange[],
): Promise<void> {
  return deps.events.publish(
    ...changes.map(
      (change): LiveEvent => ({
        type: 'message.status',
        workspace_id: bot.workspaceId,
        bot_id: bot.id,
        conversation_id: conversationId,
        message_id: change.messageId,
        wamid: change.wamid,
        status: change.status,
        ...(change.errorCode !== undefined ? { error_code: change.errorCode } : {}),
        ...(change.errorTitle !== undefined ? { error_title: change.errorTitle } : {}),
      }),
    ),
  );
}

/** `conversation.control` after a handoff or resume the worker made; `by` names the trigger. */
export function publishControl(
  deps: Pick<WorkerDeps, 'events'>,
  bot: EventBot,
  state: ControlState,
  by: 'bot' | 'keyword' | 'business_app' | 'auto_resume',
): Promise<void> {
  return deps.events.publish({
    type: 'conversation.control',
    workspace_id: bot.workspaceId,
    bot_id: bot.id,
    conversation_id: state.conversationId,
    control: state.control,
    assignee: state.assignee,
    handoff_reason: state.handoffReason,
    resume_at: state.resumeAt ? state.resumeAt.toISOString() : null,
    by,
  });
}
