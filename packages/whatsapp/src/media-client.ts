import { Agent, type Dispatcher, request } from 'undici';
import { z } from 'zod';
import { GraphApiError, parseGraphErrorResponse, redactSecrets } from './graph-api-error.js';
import { MEDIA_RULES, MEDIA_TYPES } from './media-rules.js';

/**
 * Meta's per-type size limits (MEDIA_RULES, shared/reference/meta-cloud-api.md §9.4; inbound files over 100 MB
 * arrive as error 131052 instead). Stickers: 500 KB, the animated limit (static ones are 100 KB).
 */
export const MEDIA_SIZE_LIMITS: Readonly<Record<string, number>> = {
  ...Object.fromEntries(MEDIA_TYPES.map((type) => [type, MEDIA_RULES[type].maxBytes])),
  sticker: 500 * 1024,
};

/** Message types whose object is a media file (image, document, audio, video, sticker). */
export const MEDIA_MESSAGE_TYPES = ['image', 'document', 'audio', 'video', 'sticker'] as const;
export type MediaMessageType = (typeof MEDIA_MESSAGE_TYPES)[number];

/**
 * GET /{media-id}: a URL valid for 5 minutes. `file_size` is a number in real responses and a
 * quoted string in Meta's reference; both are read.
 * https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#retrieve-media-url
 */
const mediaInfoSchema = z.object({
  url: z.url(),
  mime_type: z.string().min(1),
  sha256: z.string().min(1),
  file_size: z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]).optional(),
  id: z.string(),
});

export interface MediaInfo {
  url: string;
  mimeType: string;
  /** As Meta sent it: hex in responses, base64 in webhooks; compare with {@link sha256Matches}. */
  sha256: string;
  fileSize: number | null;
}

/** Why a download failed: the URL expired or is unknown (404: ask for a new one), refused, too large, or the network. */
export type MediaDownloadFailure = 'expired' | 'forbidden' | 'too_large' | 'http' | 'network';

export class MediaDownloadError extends Error {
  constructor(
    readonly reason: MediaDownloadFailure,
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'MediaDownloadError';
  }
}

export interface MediaClientOptions {
  /** GRAPH_API_BASE_URL. */
  baseUrl: string;
  /** GRAPH_API_VERSION. */
  version: string;
  /** Per request (lookup or download), connect to last byte. */
  timeoutMs?: number;
  dispatcher?: Dispatcher;
}

export interface MediaClient {
  /** GET /{version}/{media-id} with the bot's token. Rejects with GraphApiError. */
  getMedia(accessToken: string, mediaId: string, signal?: AbortSignal): Promise<MediaInfo>;
  /**
   * Downloads a media URL with the bot's token (and a User-Agent, which lookaside wants), refusing
   * more than `maxBytes` (by Content-Length, then while reading). Rejects with MediaDownloadError.
   */
  download(accessToken: string, url: string, maxBytes: number, signal?: AbortSignal): Promise<Buffer>;
  close(): Promise<void>;
}

const USER_AGENT = 'wabot/1.0 (+https://github.com/wabot)';

/** Whether Meta's sha256 (hex or base64) is the hash `digest` (raw bytes). */
export function sha256Matches(metaSha256: string, digest: Buffer): boolean {
  const value = metaSha256.trim();
  if (/^[0-9a-f]{64}$/i.test(value)) return value.toLowerCase() === digest.toString('hex');
  return Buffer.from(value, 'base64').equals(digest);
}

/** The Graph API's media retrieval: the URL of a media id, then its bytes (shared/reference/meta-cloud-api.md §10). */
export function createMediaClient(options: MediaClientOptions): MediaClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const version = options.version.replace(/^\/+|\/+$/g, '');
  const timeoutMs = options.timeoutMs ?? 30_000;
  const ownsDispatcher = options.dispatcher === undefined;
  const dispatcher = options.dispatcher ?? new Agent({ keepAliveTimeout: 30_000, connections: 32 });
  const signalOf = (signal: AbortSignal | undefined) =>
    signal ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);

  return {
    async getMedia(accessToken, mediaId, signal) {
      const secrets = [accessToken];
      let response: Dispatcher.ResponseData;
      let text: string;
      try {
        response = await request(`${baseUrl}/${version}/${encodeURIComponent(mediaId)}`, {
          method: 'GET',
          dispatcher,
          headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json', 'user-agent': USER_AGENT },
          signal: signalOf(signal),
        });
        text = await response.body.text();
      } catch (error) {
        const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
        const title = timedOut
          ? `media lookup timed out after ${timeoutMs} ms`
          : redactSecrets(`media lookup failed: ${error instanceof Error ? error.message : String(error)}`, secrets);
        throw new GraphApiError({ status: 0, title, timedOut, cause: error });
      }
      if (response.statusCode < 200 || response.statusCode >= 300) {
        throw parseGraphErrorResponse(response.statusCode, text, { retryAfterMs: null, secrets });
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      const parsed = mediaInfoSchema.safeParse(json);
      if (!parsed.success) {
        throw new GraphApiError({ status: 200, title: 'Unexpected media response', category: 'permanent' });
      }
      const { url, mime_type: mimeType, sha256, file_size: fileSize } = parsed.data;
      return { url, mimeType, sha256, fileSize: fileSize ?? null };
    },

    async download(accessToken, url, maxBytes, signal) {
      let response: Dispatcher.ResponseData;
      try {
        response = await request(url, {
          method: 'GET',
          dispatcher,
          headers: { authorization: `Bearer ${accessToken}`, 'user-agent': USER_AGENT },
          signal: signalOf(signal),
        });
      } catch (error) {
        throw new MediaDownloadError('network', `download failed: ${error instanceof Error ? error.name : 'error'}`);
      }
      // Destroying the body (over the limit) makes undici emit an abort error on it: never unhandled.
      response.body.on('error', () => {});
      const { statusCode } = response;
      if (statusCode < 200 || statusCode >= 300) {
        await response.body.dump().catch(() => {});
        const reason =
          statusCode === 404 || statusCode === 410
            ? 'expired'
            : statusCode === 401 || statusCode === 403
              ? 'forbidden'
              : 'http';
        throw new MediaDownloadError(reason, `download answered HTTP ${statusCode}`, statusCode);
      }
      const declared = Number(response.headers['content-length']);
      if (Number.isFinite(declared) && declared > maxBytes) {
        response.body.destroy();
        throw new MediaDownloadError('too_large', `file of ${declared} bytes is over the limit of ${maxBytes}`);
      }
      const chunks: Buffer[] = [];
      let size = 0;
      try {
        for await (const chunk of response.body) {
          size += chunk.length;
          if (size > maxBytes) {
            response.body.destroy();
            throw new MediaDownloadError('too_large', `file is over the limit of ${maxBytes} bytes`);
          }
          chunks.push(Buffer.from(chunk));
        }
      } catch (error) {
        if (error instanceof MediaDownloadError) throw error;
        throw new MediaDownloadError(
          'network',
          `download interrupted: ${error instanceof Error ? error.name : 'error'}`,
        );
      }
      return Buffer.concat(chunks);
    },

    async close() {
      if (ownsDispatcher) await dispatcher.close();
    },
  };
}
