import { createHash } from 'node:crypto';
import { GraphApiError, MEDIA_SIZE_LIMITS, type MediaClient, MediaDownloadError, sha256Matches } from '@wabot/whatsapp';

/** A file fetched and checked, ready to store. */
export interface FetchedMedia {
  data: Buffer;
  mimeType: string;
  /** Hex. */
  sha256: string;
}

/** A fetch that failed for good: `reason` is what the message's diagnostics show. */
export class MediaFetchError extends Error {
  constructor(
    readonly outcome: 'too_large' | 'sha256_mismatch' | 'refused' | 'unavailable' | 'timeout',
    message: string,
  ) {
    super(message);
    this.name = 'MediaFetchError';
  }
}

export interface FetchOptions {
  kind: string;
  /** Lookups of the media id at most (each download answering 404 asks for a new URL). */
  attempts: number;
  /** Aborts the fetch when the turn's media budget is spent. */
  signal: AbortSignal;
}

const limitOf = (kind: string) => MEDIA_SIZE_LIMITS[kind] ?? MEDIA_SIZE_LIMITS.document ?? 100 * 1024 * 1024;

/**
 * The file of an inbound media id through the Graph API (shared/reference/meta-cloud-api.md §10):
 * GET /{media-id} for a short-lived URL, then that URL with the bot's token. A URL that answers
 * 404 (expired) or a broken download is retried with a new URL, up to `attempts` lookups; a file
 * over Meta's limit for its type, a hash that does not match Meta's sha256, a refused token or a
 * lookup Meta refuses for good fails at once. The webhook's own `url` is never used: only a URL
 * that the Graph API itself returned gets the bot's token.
 */
export async function fetchInboundMedia(
  client: MediaClient,
  accessToken: string,
  mediaId: string,
  options: FetchOptions,
): Promise<FetchedMedia> {
  const limit = limitOf(options.kind);
  let last = 'no attempt made';
  for (let attempt = 1; attempt <= options.attempts; attempt++) {
    if (options.signal.aborted) break;
    let info: Awaited<ReturnType<MediaClient['getMedia']>>;
    try {
      info = await client.getMedia(accessToken, mediaId, options.signal);
    } catch (error) {
      if (options.signal.aborted) break;
      if (error instanceof GraphApiError && error.category !== 'retryable') {
        throw new MediaFetchError('refused', `media lookup refused: ${error.message}`);
      }
      last = error instanceof Error ? error.message : String(error);
      continue;
    }
    if (info.fileSize !== null && info.fileSize > limit) {
      throw new MediaFetchError(
        'too_large',
        `${options.kind} of ${info.fileSize} bytes is over Meta's ${limit}-byte limit: not downloaded`,
      );
    }
    let data: Buffer;
    try {
      data = await client.download(accessToken, info.url, limit, options.signal);
    } catch (error) {
      if (options.signal.aborted) break;
      if (error instanceof MediaDownloadError && error.reason === 'too_large') {
        throw new MediaFetchError('too_large', `${options.kind} ${error.message}`);
      }
      if (error instanceof MediaDownloadError && error.reason === 'forbidden') {
        throw new MediaFetchError('refused', `${error.message}: the bot's token may not download it`);
      }
      last = error instanceof Error ? error.message : String(error);
      continue;
    }
    const digest = createHash('sha256').update(data).digest();
    if (!sha256Matches(info.sha256, digest)) {
      last = `sha256 mismatch: Meta says ${info.sha256}, the ${data.length} bytes downloaded hash to ${digest.toString('hex')}`;
      if (attempt === options.attempts) throw new MediaFetchError('sha256_mismatch', last);
      continue;
    }
    return { data, mimeType: info.mimeType, sha256: digest.toString('hex') };
  }
  if (options.signal.aborted)
    throw new MediaFetchError('timeout', `media budget spent before the file arrived (${last})`);
  throw new MediaFetchError('unavailable', `gave up after ${options.attempts} lookup(s): ${last}`);
}
