import { createHash, randomBytes } from 'node:crypto';

/** Path of the simulated lookaside download URLs (Meta's: lookaside.fbsbx.com/whatsapp_business/attachments/). */
export const MEDIA_DOWNLOAD_PATH = '/whatsapp_business/attachments/';

/** Meta's default lifetime of a URL that GET /{media-id} returns (shared/reference/meta-cloud-api.md §10). */
export const MEDIA_URL_TTL_MS = 5 * 60_000;

/** A file the simulated Graph API serves as a user's inbound media. */
export interface MediaFile {
  data: Uint8Array;
  /** As Meta reports it, e.g. `image/jpeg`, `audio/ogg; codecs=opus`. */
  mimeType: string;
  /** Only this access token may look it up and download it (default: any valid token). */
  token?: string | undefined;
  /**
   * The sha256 Meta reports (hex); by default the file's real hash. A wrong one lets tests check
   * that the worker refuses a file that does not match.
   */
  sha256?: string | undefined;
  /** The size Meta reports; by default the file's real size. */
  fileSize?: number | undefined;
}

/** A registered file, with what a webhook media object carries for it. */
export interface RegisteredMedia {
  /** The media id (a webhook's `image.id`, ...; GET /{media-id}). */
  id: string;
  mimeType: string;
  /** Hex sha256 as GET /{media-id} reports it. */
  sha256: string;
  /** The same hash base64-encoded, as Meta's messages webhook example carries it. */
  sha256Base64: string;
  fileSize: number;
}

/** Why a download URL is not served. */
export type DownloadRefusal = 'not_found' | 'expired' | 'forbidden';

export interface MediaLibrary {
  register(file: MediaFile): RegisteredMedia;
  /** The registered file, or undefined. */
  get(id: string): (RegisteredMedia & { file: MediaFile }) | undefined;
  /** The GET /{media-id} answer for `id` (a fresh short-lived URL under `baseUrl`); undefined when unknown. */
  describe(id: string, baseUrl: string): Record<string, unknown> | undefined;
  /** The file behind a download URL's query, or why it is refused (token: the bearer sent). */
  download(query: URLSearchParams, token: string | null): MediaFile | DownloadRefusal;
  /** Expires every URL issued so far (the next download of any of them answers 404). */
  expireUrls(): void;
  /** Forgets every file and URL. */
  clear(): void;
}

interface IssuedUrl {
  mediaId: string;
  expiresAt: number;
}

const newMediaId = () => String(1_000_000_000_000_000n + BigInt(`0x${randomBytes(6).toString('hex')}`));

/**
 * The files behind inbound media ids, and the short-lived download URLs GET /{media-id} hands out
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#retrieve-media-url).
 * Each lookup issues a new URL valid for `ttlMs`; a URL is downloadable only with the owning token.
 */
export function createMediaLibrary(options: { ttlMs?: number | undefined; now?: () => number } = {}): MediaLibrary {
  const ttlMs = options.ttlMs ?? MEDIA_URL_TTL_MS;
  const now = options.now ?? Date.now;
  const files = new Map<string, RegisteredMedia & { file: MediaFile }>();
  const urls = new Map<string, IssuedUrl>();

  return {
    register(file) {
      const real = createHash('sha256').update(file.data).digest();
      const sha256 = file.sha256 ?? real.toString('hex');
      const registered: RegisteredMedia = {
        id: newMediaId(),
        mimeType: file.mimeType,
        sha256,
        sha256Base64: Buffer.from(sha256, 'hex').toString('base64'),
        fileSize: file.fileSize ?? file.data.byteLength,
      };
      files.set(registered.id, { ...registered, file });
      return registered;
    },
    get: (id) => files.get(id),
    describe(id, baseUrl) {
      const media = files.get(id);
      if (!media) return undefined;
      const hash = randomBytes(12).toString('hex');
      urls.set(hash, { mediaId: id, expiresAt: now() + ttlMs });
      const url = `${baseUrl}${MEDIA_DOWNLOAD_PATH}?mid=${id}&ext=${Math.floor((now() + ttlMs) / 1000)}&hash=${hash}`;
      return {
        messaging_product: 'whatsapp',
        url,
        mime_type: media.mimeType,
        sha256: media.sha256,
        // A number in real responses, a quoted string in Meta's reference (§10): real responses win.
        file_size: media.fileSize,
        id,
      };
    },
    download(query, token) {
      const issued = urls.get(query.get('hash') ?? '');
      const media = issued ? files.get(issued.mediaId) : undefined;
      if (!issued || !media || issued.mediaId !== query.get('mid')) return 'not_found';
      if (issued.expiresAt <= now()) return 'expired';
      if (media.file.token !== undefined && media.file.token !== token) return 'forbidden';
      return media.file;
    },
    expireUrls() {
      for (const issued of urls.values()) issued.expiresAt = 0;
    },
    clear() {
      files.clear();
      urls.clear();
    },
  };
}
