import type { BotModel, ConversationModel, MembershipModel, Repositories } from '@wabot/db';
import { conflict, forbidden, notFound } from './api-error.js';

/**
 * Tenancy in one place: every lookup is scoped to the workspaces the caller is a member of, and
 * anything outside them is "not found" (never "forbidden"), so ids of other tenants leak nothing.
 */

type Repos = Pick<Repositories, 'workspaces' | 'bots' | 'conversations'>;

/**
 * The caller's membership of a workspace; 404 when there is none. `owner` demands the owner role,
 * `manager` an owner or admin (403).
 */
export async function requireMembership(
  repos: Pick<Repos, 'workspaces'>,
  userId: string,
  workspaceId: string,
  { owner = false, manager = false }: { owner?: boolean; manager?: boolean } = {},
): Promise<MembershipModel> {
  const membership = await repos.workspaces.findMembership(workspaceId, userId);
  if (!membership) throw notFound('workspace');
  if (owner && membership.role !== 'owner') throw forbidden('only an owner of the workspace may do this');
  if (manager && membership.role === 'member') throw forbidden('only an owner or admin of the workspace may do this');
  return membership;
}

/** A live (not deleted) bot in one of the caller's workspaces; 404 otherwise. */
export async function requireBot(repos: Pick<Repos, 'bots'>, userId: string, botId: string): Promise<BotModel> {
  const bot = await repos.bots.findLiveForMember(botId, userId);
  if (!bot) throw notFound('bot');
  return bot;
}

/** A conversation of a live bot in one of the caller's workspaces; 404 otherwise. */
export async function requireConversation(
  repos: Pick<Repos, 'conversations'>,
  userId: string,
  conversationId: string,
): Promise<ConversationModel> {
  const conversation = await repos.conversations.findForMember(conversationId, userId);
  if (!conversation) throw notFound('conversation');
  return conversation;
}

/**
 * A conversation of the caller's and its bot, for sending to the user (an operator message, a
 * template): 404 as above, 409 when the bot is inactive.
 */
export async function requireSendableConversation(
  repos: Pick<Repos, 'bots' | 'conversations'>,
  userId: string,
  conversationId: string,
): Promise<{ conversation: ConversationModel; bot: BotModel }> {
  const conversation = await requireConversation(repos, userId, conversationId);
  const bot = await requireBot(repos, userId, conversation.botId);
  if (bot.status !== 'active') throw conflict('the bot is inactive; activate it before sending');
  return { conversation, bot };
}
