/**
 * Meta's rules for outbound media messages (image, video, document, audio): the MIME types each
 * type carries, its size limit (the same for a file fetched by `link` and for one uploaded with
 * `POST /{phone-number-id}/media`), and which of `caption` and `filename` it shows.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/business-phone-numbers/media#supported-media-types
 * (shared/reference/meta-cloud-api.md §9.4, §10). Stickers are not sent by wabot.
 */
export const MEDIA_TYPES = ['image', 'document', 'audio', 'video'] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];

const MB = 1024 * 1024;

export interface MediaRule {
  mimeTypes: readonly string[];
  /** Largest file Meta accepts for the type, in bytes (Meta counts 16 MB as 16777216 bytes). */
  maxBytes: number;
  /** Whether Meta shows a caption (≤ 1024 characters) on the type. */
  caption: boolean;
  /** Whether Meta shows a file name (documents only; its extension picks the icon). */
  filename: boolean;
}

export const MEDIA_RULES: Readonly<Record<MediaType, MediaRule>> = {
  image: { mimeTypes: ['image/jpeg', 'image/png'], maxBytes: 5 * MB, caption: true, filename: false },
  video: { mimeTypes: ['video/mp4', 'video/3gpp'], maxBytes: 16 * MB, caption: true, filename: false },
  audio: {
    mimeTypes: ['audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/ogg'],
    maxBytes: 16 * MB,
    caption: false,
    filename: false,
  },
  document: {
    mimeTypes: [
      'text/plain',
      'application/pdf',
      'application/msword',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'application/vnd.ms-excel',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'application/vnd.ms-powerpoint',
      'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    ],
    maxBytes: 100 * MB,
    caption: true,
    filename: true,
  },
};

/** The largest media file Meta accepts of any type (a document's 100 MB). */
export const MAX_MEDIA_BYTES = Math.max(...MEDIA_TYPES.map((type) => MEDIA_RULES[type].maxBytes));

/** File extensions of the supported MIME types. */
const EXTENSION_MIME: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  mp4: 'video/mp4',
  '3gp': 'video/3gpp',
  aac: 'audio/aac',
  amr: 'audio/amr',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  ogg: 'audio/ogg',
  opus: 'audio/ogg',
  txt: 'text/plain',
  pdf: 'application/pdf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ppt: 'application/vnd.ms-powerpoint',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
};

/** Common extensions of media WhatsApp does not send as any of the four types (Meta answers 131053). */
const UNSUPPORTED_EXTENSIONS = new Set([
  'gif',
  'webp',
  'bmp',
  'heic',
  'heif',
  'tif',
  'tiff',
  'svg',
  'wav',
  'flac',
  'wma',
  'mov',
  'avi',
  'mkv',
  'webm',
  'wmv',
]);

/** The MIME type without parameters, lower-cased (`audio/ogg; codecs=opus` → `audio/ogg`). */
export const bareMimeType = (mimeType: string) => (mimeType.split(';')[0] ?? '').trim().toLowerCase();

/** The media type that carries `mimeType`, or null when none does. */
export function mediaTypeOfMime(mimeType: string): MediaType | null {
  const bare = bareMimeType(mimeType);
  return MEDIA_TYPES.find((type) => MEDIA_RULES[type].mimeTypes.includes(bare)) ?? null;
}

/** The extension of a file name or URL path, lower-cased, without the dot; '' when there is none. */
function extensionOf(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot + 1).toLowerCase();
}

/**
 * What a file name (or URL path) says about its type: `supported` with the MIME type and media
 * type, `unsupported` for a known media format WhatsApp does not send, `unknown` otherwise.
 */
export function classifyExtension(
  name: string,
): { kind: 'supported'; mimeType: string; type: MediaType } | { kind: 'unsupported' | 'unknown' } {
  const extension = extensionOf(name);
  const mimeType = EXTENSION_MIME[extension];
  const type = mimeType === undefined ? null : mediaTypeOfMime(mimeType);
  if (mimeType !== undefined && type !== null) return { kind: 'supported', mimeType, type };
  return { kind: UNSUPPORTED_EXTENSIONS.has(extension) ? 'unsupported' : 'unknown' };
}

/** Meta's file-name limit is undocumented; this keeps names readable in the chat. */
export const FILENAME_MAX = 240;

/**
 * A file name safe to send and store: the last path segment, no control characters, at most
 * {@link FILENAME_MAX} characters with its extension kept; '' when nothing is left.
 */
export function cleanFilename(name: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
  const base = (name.split(/[/\\]/).pop() ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim();
  const chars = Array.from(base);
  if (chars.length <= FILENAME_MAX) return base;
  const extension = extensionOf(base);
  const tail = extension === '' ? '' : `.${extension}`;
  return `${chars
    .slice(0, FILENAME_MAX - Array.from(tail).length)
    .join('')
    .trimEnd()}${tail}`;
}

/** The file name at the end of a URL's path (decoded), '' when there is none with an extension. */
export function filenameFromUrl(url: string): string {
  try {
    const segment = new URL(url).pathname.split('/').pop() ?? '';
    const name = cleanFilename(decodeURIComponent(segment));
    return extensionOf(name) === '' ? '' : name;
  } catch {
    return '';
  }
}
