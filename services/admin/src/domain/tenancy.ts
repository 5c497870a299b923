import type { BotModel, Database } from '@wabot/db';
import { forbidden, notFound } from './api-error.js';

/**
 * Tenancy in one place: every lookup is scoped to the workspaces the caller is a member of, and
 * anything outside them is "not found" (never "forbidden"), so ids of other tenants leak nothing.
 */

export async function workspaceIdsOf(db: Database, userId: string): Promise<string[]> {
  const rows = await db.membership.findMany({ where: { userId }, select: { workspaceId: true } });
  return rows.map((row) => row.workspaceId);
}

/** The caller's membership of a workspace; 404 when there is none. `owner` demands the owner role (403). */
export async function requireMembership(
  db: Database,
  userId: string,
  workspaceId: string,
  { owner = false }: { owner?: boolean } = {},
) {
  const membership = await db.membership.findUnique({ where: { workspaceId_userId: { workspaceId, userId } } });
  if (!membership) throw notFound('workspace');
  if (owner && membership.role !== 'owner') throw forbidden('only an owner of the workspace may do this');
  return membership;
}

/** A live (not deleted) bot in one of the caller's workspaces; 404 otherwise. */
export async function requireBot(db: Database, userId: string, botId: string): Promise<BotModel> {
  const bot = await db.bot.findFirst({
    where: { id: botId, deletedAt: null, workspace: { memberships: { some: { userId } } } },
  });
  if (!bot) throw notFound('bot');
  return bot;
}

/** A conversation of a live bot in one of the caller's workspaces; 404 otherwise. */
export async function requireConversation(db: Database, userId: string, conversationId: string) {
  const conversation = await db.conversation.findFirst({
    where: {
      id: conversationId,
      bot: { deletedAt: null, workspace: { memberships: { some: { userId } } } },
    },
  });
  if (!conversation) throw notFound('conversation');
  return conversation;
}
