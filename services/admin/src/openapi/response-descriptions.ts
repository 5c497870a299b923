/** What each status means on this API, for responses a route did not describe itself. */
const BY_STATUS: Record<string, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted: stored and queued for delivery',
  204: 'Done; no body',
  302: 'Redirect (see Location)',
  400: 'Invalid input: `error.details` names each offending field',
  401: 'Missing, malformed, expired or wrongly signed bearer token; unknown or revoked API key; expired session',
  403: 'Authenticated, but the caller may not do this (e.g. only owners manage members)',
  404: "Not found — also for another workspace's resources",
  409: 'Conflict with the current state (`error.code` says which)',
  410: 'Gone: already used (e.g. the first-owner setup was done already)',
  413: "Payload too large: the file is over Meta's limit for its media type (`error.details.max_bytes`)",
  415: 'Unsupported media type: a content type, or a file type, this route does not take',
  429: 'Too many requests: `rate_limited` (see Retry-After)',
  503: 'Not ready (a dependency is unreachable or the service is shutting down)',
};

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/**
 * Replaces the generator's "Default Response" with a description of what the status means; a
 * 2xx gets the operation's summary too, so every response in the document says something.
 */
export function describeResponses<T extends { paths?: object | undefined }>(document: T): T {
  for (const item of Object.values(document.paths ?? {})) {
    if (!isRecord(item)) continue;
    for (const operation of Object.values(item)) {
      if (!isRecord(operation) || !isRecord(operation.responses)) continue;
      const summary = typeof operation.summary === 'string' ? operation.summary : undefined;
      for (const [status, response] of Object.entries(operation.responses)) {
        if (!isRecord(response)) continue;
        if (typeof response.description === 'string' && response.description !== 'Default Response') continue;
        const meaning = BY_STATUS[status] ?? `HTTP ${status}`;
        response.description = status.startsWith('2') && summary ? `${meaning}: ${summary}` : meaning;
      }
    }
  }
  return document;
}
