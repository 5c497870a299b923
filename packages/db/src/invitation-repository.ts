import type { DatabaseOrTransaction } from './create-database-client.js';
import type { MembershipRole } from './generated/prisma/enums.js';
import type { InvitationModel, WorkspaceModel } from './generated/prisma/models.js';

export interface NewInvitation {
  workspaceId: string;
  /** Stored lower-cased. */
  email: string;
  role: MembershipRole;
  tokenHash: string;
  createdBy: string;
  expiresAt: Date;
}

/** Workspace invitations, found by the SHA-256 of their link's token. */
export function createInvitationRepository(db: DatabaseOrTransaction) {
  return {
    create(invitation: NewInvitation): Promise<InvitationModel> {
      return db.invitation.create({ data: { ...invitation, email: invitation.email.toLowerCase() } });
    },

    /** The invitation with this token hash when it is neither accepted nor expired, with its workspace. */
    findPending(tokenHash: string, now: Date): Promise<(InvitationModel & { workspace: WorkspaceModel }) | null> {
      return db.invitation.findFirst({
        where: { tokenHash, acceptedAt: null, expiresAt: { gt: now } },
        include: { workspace: true },
      });
    },

    /** The workspace's invitations neither accepted nor expired, newest first. */
    listPending(workspaceId: string, now: Date): Promise<InvitationModel[]> {
      return db.invitation.findMany({
        where: { workspaceId, acceptedAt: null, expiresAt: { gt: now } },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      });
    },

    /** Marks a pending invitation accepted by `userId`; false when it was accepted or expired meanwhile. */
    async accept(id: string, userId: string, now: Date): Promise<boolean> {
      const { count } = await db.invitation.updateMany({
        where: { id, acceptedAt: null, expiresAt: { gt: now } },
        data: { acceptedAt: now, acceptedBy: userId },
      });
      return count === 1;
    },

    /** Withdraws one of the workspace's invitations; false when it has no such invitation. */
    async delete(workspaceId: string, id: string): Promise<boolean> {
      return (await db.invitation.deleteMany({ where: { id, workspaceId } })).count === 1;
    },
  };
}

export type InvitationRepository = ReturnType<typeof createInvitationRepository>;
