import type { PlannedPart } from '@wabot/db';
import {
  type ActionPartMetadata,
  actionPartMetadataSchema,
  type SendableAction,
  toActionMessageType,
  toActionText,
  type WhatsAppAction,
} from '@wabot/whatsapp';

/** An engine action as a reply-plan part: Graph message type, readable text, the action in metadata. */
export function toActionPart(action: WhatsAppAction, reactionTo?: string): PlannedPart {
  return {
    type: 'action',
    messageType: toActionMessageType(action),
    text: toActionText(action),
    metadata: {
      action,
      ...(action.kind === 'reaction' && reactionTo ? { reaction_to: reactionTo } : {}),
    } satisfies ActionPartMetadata,
  };
}

/** What a stored part asks for, read from its metadata; null when it is no (valid) action part. */
export type StoredAction =
  | { kind: 'send'; action: SendableAction }
  | { kind: 'reaction'; emoji: string; messageId: string }
  | { kind: 'handoff'; reason: string; summary: string };

export function toStoredAction(metadata: unknown): StoredAction | null {
  const parsed = actionPartMetadataSchema.safeParse(metadata);
  if (!parsed.success) return null;
  const { action, reaction_to: reactionTo } = parsed.data;
  switch (action.kind) {
    case 'handoff':
      return { kind: 'handoff', reason: action.reason, summary: action.summary };
    case 'reaction':
      return reactionTo === undefined ? null : { kind: 'reaction', emoji: action.emoji, messageId: reactionTo };
    default:
      return { kind: 'send', action };
  }
}
