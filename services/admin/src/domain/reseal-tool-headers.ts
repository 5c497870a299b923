import type { BotToolRepository } from '@wabot/db';
import type { SecretBox } from '@wabot/secrets';
import { parseStoredToolHeaders } from './tool-headers.js';

export interface ToolResealResult {
  /** Tools whose header values were re-encrypted with the current key. */
  resealed: string[];
  /** Tools already on the current key (or without headers). */
  current: number;
  /** Tools with a header value no key in the ring opens (ids and reason); left as they are. */
  unreadable: { toolId: string; botId: string; reason: string }[];
}

/**
 * Key rotation, step 2 for HTTP tools: re-encrypts every tool header value still sealed with an
 * older key. Each tool is updated on its own, only if it did not change meanwhile (same
 * `updated_at`); the worker reads tools on every turn, so nothing is announced. Running it again
 * is harmless.
 */
export async function resealToolHeaders(
  tools: Pick<BotToolRepository, 'listHeaders' | 'replaceHeadersIfUnchanged'>,
  secretBox: SecretBox,
): Promise<ToolResealResult> {
  const result: ToolResealResult = { resealed: [], current: 0, unreadable: [] };
  for (const tool of await tools.listHeaders()) {
    const headers = parseStoredToolHeaders(tool.headers);
    try {
      if (!Object.values(headers).some(({ cipher }) => secretBox.needsRotation(cipher))) {
        result.current++;
        continue;
      }
      const resealed = Object.fromEntries(
        Object.entries(headers).map(([name, { cipher, hint }]) => [
          name,
          { cipher: secretBox.seal(secretBox.open(cipher)), hint },
        ]),
      );
      if (await tools.replaceHeadersIfUnchanged(tool.id, tool.updatedAt, resealed)) result.resealed.push(tool.id);
    } catch (error) {
      result.unreadable.push({
        toolId: tool.id,
        botId: tool.botId,
        reason: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return result;
}
