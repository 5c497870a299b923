import { setTimeout as sleep } from 'node:timers/promises';
import { handoffResumeAt, parseBotSettings } from '@wabot/bot-registry';
import { resumeJobId } from '@wabot/contracts';
import type { BotModel, ConversationModel, Repositories } from '@wabot/db';
import type { TypedProducer } from '@wabot/queue';
import { badRequest } from './api-error.js';

/** How long a handoff waits for reply parts already claimed for their Graph send (they cannot be stopped). */
const IN_FLIGHT_WAIT_MS = 3_000;

/** The assignee must be a member of the conversation's workspace (400 otherwise); null unassigns. */
export async function requireAssignee(
  repos: Pick<Repositories, 'workspaces'>,
  bot: Pick<BotModel, 'workspaceId'>,
  assignee: string | null | undefined,
): Promise<void> {
  if (assignee === undefined || assignee === null) return;
  if (!(await repos.workspaces.findMembership(bot.workspaceId, assignee))) {
    throw badRequest('the assignee is not a member of this workspace', { field: 'assignee' });
  }
}

/** When the bot takes a conversation handed over now back on its own (bot settings.handoff), or null. */
export const resumeAtFor = (bot: Pick<BotModel, 'settings'>, from = new Date()) =>
  handoffResumeAt(parseBotSettings(bot.settings), from);

/**
 * Schedules the auto-resume job (the worker gives the conversation back to the bot exactly once,
 * if it still has this resume time). Best effort: without it the conversation stays with the team
 * until resumed by the API, which is logged.
 */
export async function scheduleResume(
  outbound: TypedProducer<'outbound'>,
  logger: { error(details: object, message: string): void },
  conversation: Pick<ConversationModel, 'id' | 'botId' | 'resumeAt'>,
): Promise<void> {
  if (!conversation.resumeAt) return;
  const job = { botId: conversation.botId, conversationId: conversation.id, resumeAt: conversation.resumeAt.getTime() };
  try {
    await outbound.add('resume-conversation', job, {
      jobId: resumeJobId(job),
      delay: Math.max(0, job.resumeAt - Date.now()),
    });
  } catch (err) {
    logger.error({ err, conversationId: conversation.id }, 'could not schedule the auto-resume of a conversation');
  }
}

/**
 * Waits (up to {@link IN_FLIGHT_WAIT_MS}) until no reply part of the conversation is in its Graph
 * send any more: a part claimed an instant before the handoff still goes out, so the handoff
 * answers once nothing of the bot's can reach the user any more. Returns the parts still in flight.
 */
export async function settleInFlight(
  repos: Pick<Repositories, 'conversations'>,
  conversationId: string,
  waitMs = IN_FLIGHT_WAIT_MS,
): Promise<number> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const inFlight = await repos.conversations.countInFlightParts(conversationId);
    if (inFlight === 0 || Date.now() >= deadline) return inFlight;
    await sleep(20);
  }
}
