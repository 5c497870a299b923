import type { InboundMessage } from '@wabot/whatsapp';
import { z } from 'zod';

/** The normalized message as stage 1 stores it in the inbox (our own JSON, re-checked on read). */
export const storedInboundSchema = z.object({
  kind: z.literal('message'),
  phoneNumberId: z.string(),
  displayPhoneNumber: z.string().nullable(),
  wabaId: z.string().nullable(),
  messageId: z.string().min(1),
  userKey: z.string().min(1),
  waId: z.string().nullable(),
  userId: z.string().nullable(),
  profileName: z.string().nullable(),
  timestamp: z.number(),
  type: z.string(),
  text: z.string(),
  replyable: z.boolean(),
  metadata: z.record(z.string(), z.unknown()),
});

/** An inbox entry: the message and when the ingress received its webhook (epoch ms). */
export interface StoredInbound {
  message: InboundMessage;
  receivedAt: number;
}

const storedEntrySchema = z.object({ message: storedInboundSchema, receivedAt: z.number() });

/** The JSON stage 1 stores for a message. */
export const encodeStoredInbound = (entry: StoredInbound): string => JSON.stringify(entry);

/** Parses an inbox entry; null when it is missing or not a stored message. */
export function parseStoredInbound(data: string | null): StoredInbound | null {
  if (data === null) return null;
  try {
    const parsed = storedEntrySchema.safeParse(JSON.parse(data));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
