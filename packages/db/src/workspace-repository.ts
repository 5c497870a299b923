import type { DatabaseOrTransaction } from './create-database-client.js';
import type { MembershipRole } from './generated/prisma/enums.js';
import type { MembershipModel, WorkspaceModel } from './generated/prisma/models.js';

/** Workspaces (tenants) and their memberships. */
export function createWorkspaceRepository(db: DatabaseOrTransaction) {
  return {
    /** Creates a workspace with `ownerUserId` as its owner. */
    createWithOwner(name: string, ownerUserId: string): Promise<WorkspaceModel> {
      return db.workspace.create({ data: { name, memberships: { create: { userId: ownerUserId, role: 'owner' } } } });
    },

    /** Creates a workspace without members (test and benchmark set-up). */
    create(name: string): Promise<WorkspaceModel> {
      return db.workspace.create({ data: { name } });
    },

    /** The workspace with this id; throws when there is none. */
    getById(id: string): Promise<WorkspaceModel> {
      return db.workspace.findUniqueOrThrow({ where: { id } });
    },

    /** The memberships of `userId` with their workspaces, oldest membership first. */
    membershipsOf(userId: string): Promise<(MembershipModel & { workspace: WorkspaceModel })[]> {
      return db.membership.findMany({ where: { userId }, include: { workspace: true }, orderBy: { createdAt: 'asc' } });
    },

    /** The workspace's memberships, oldest first. */
    membersOf(workspaceId: string): Promise<MembershipModel[]> {
      return db.membership.findMany({ where: { workspaceId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    },

    /** The membership of `userId` in the workspace, or null. */
    findMembership(workspaceId: string, userId: string): Promise<MembershipModel | null> {
      return db.membership.findUnique({ where: { workspaceId_userId: { workspaceId, userId } } });
    },

    /** Adds `userId` to the workspace with `role` (a unique violation when already a member). */
    addMember(workspaceId: string, userId: string, role: MembershipRole): Promise<MembershipModel> {
      return db.membership.create({ data: { workspaceId, userId, role } });
    },
  };
}

export type WorkspaceRepository = ReturnType<typeof createWorkspaceRepository>;
