import { MAX_TOOL_HEADERS, type StoredToolHeaders, storedToolHeadersSchema } from '@wabot/http-tools';
import { maskSecret, type SecretBox } from '@wabot/secrets';
import { badRequest } from './api-error.js';

/** The stored headers of a tool; a malformed column reads as none (the worker then sends none). */
export const parseStoredToolHeaders = (value: unknown): StoredToolHeaders => {
  const parsed = storedToolHeadersSchema.safeParse(value);
  return parsed.success ? parsed.data : {};
};

const seal = (secretBox: SecretBox, value: string) => ({ cipher: secretBox.seal(value), hint: maskSecret(value) });

/** Header values sealed one by one, each with its hint. */
export function sealToolHeaders(secretBox: SecretBox, headers: Record<string, string>): StoredToolHeaders {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, seal(secretBox, value)]));
}

/**
 * A PATCH's headers merged into the stored ones without opening them: a value replaces the header
 * of that name (in any case, taking the new spelling), null removes it, the others stay sealed as
 * they are. 400 when the result has more than {@link MAX_TOOL_HEADERS}.
 */
export function mergeToolHeaders(
  secretBox: SecretBox,
  stored: StoredToolHeaders,
  changes: Record<string, string | null>,
): StoredToolHeaders {
  const merged = { ...stored };
  for (const [name, value] of Object.entries(changes)) {
    for (const existing of Object.keys(merged))
      if (existing.toLowerCase() === name.toLowerCase()) delete merged[existing];
    if (value !== null) merged[name] = seal(secretBox, value);
  }
  if (Object.keys(merged).length > MAX_TOOL_HEADERS)
    throw badRequest(`a tool has at most ${MAX_TOOL_HEADERS} headers`, {
      fields: [{ field: 'headers', message: `at most ${MAX_TOOL_HEADERS} headers` }],
    });
  return merged;
}
