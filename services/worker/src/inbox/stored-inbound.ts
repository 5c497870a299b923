import { inboundMessageSchema } from '@wabot/whatsapp';
import { z } from 'zod';

/**
 * An inbox entry: the normalized message as stage 1 stores it (our own JSON, re-checked on read
 * with `@wabot/whatsapp`'s schema of it) and when the ingress received its webhook (epoch ms).
 */
const storedInboundSchema = z.object({ message: inboundMessageSchema, receivedAt: z.number() });
export type StoredInbound = z.infer<typeof storedInboundSchema>;

/** The JSON stage 1 stores for a message. */
export const encodeStoredInbound = (entry: StoredInbound): string => JSON.stringify(entry);

/** Parses an inbox entry; null when it is missing or not a stored message. */
export function parseStoredInbound(data: string | null): StoredInbound | null {
  if (data === null) return null;
  try {
    const parsed = storedInboundSchema.safeParse(JSON.parse(data));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
