import { createHash, randomBytes } from 'node:crypto';
import { type GraphErrorAnswer, invalidParameter, toGraphError } from './graph-errors.js';

/**
 * The simulated `POST /{phone-number-id}/media` (shared/reference/meta-cloud-api.md §10): a
 * multipart upload of `messaging_product=whatsapp`, `type` (the file's MIME type) and `file`,
 * checked as Meta checks it, kept in memory and answered `{id}`. A send may then name the file by
 * that `id`, from the phone number it was uploaded on.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/business-phone-numbers/media#upload-media
 *
 * The simulator's own copy of Meta's limits (§9.4), on purpose not the product's: a product bug in
 * those would otherwise pass its own check.
 */
const MB = 1024 * 1024;
const UPLOAD_RULES: ReadonlyArray<{ type: string; label: string; mimeTypes: string[]; maxBytes: number }> = [
  { type: 'image', label: 'Image', mimeTypes: ['image/jpeg', 'image/png'], maxBytes: 5 * MB },
  { type: 'video', label: 'Video', mimeTypes: ['video/mp4', 'video/3gpp'], maxBytes: 16 * MB },
  {
    type: 'audio',
    label: 'Audio',
    mimeTypes: ['audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/ogg'],
    maxBytes: 16 * MB,
  },
  {
    type: 'document',
    label: 'Document',
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
  },
  // Animated stickers may be 500 KB, static ones 100 KB; the simulator does not parse WebP frames.
  { type: 'sticker', label: 'Sticker', mimeTypes: ['image/webp'], maxBytes: 500 * 1024 },
];
const ALL_MIME_TYPES = UPLOAD_RULES.flatMap((rule) => rule.mimeTypes);

/** The largest upload body the simulator reads (the 100 MB document limit plus room for the form). */
export const MAX_UPLOAD_BODY_BYTES = 100 * MB + 64 * 1024;

/** A file uploaded to the simulated Graph API. */
export interface UploadedMedia {
  id: string;
  phoneNumberId: string;
  mimeType: string;
  /** image, video, audio, document or sticker: what the MIME type is sent as. */
  type: string;
  filename: string;
  fileSize: number;
  /** Hex sha256 of the bytes. */
  sha256: string;
  data: Uint8Array;
}

export interface MediaUploads {
  /** The file uploaded under `id`, or undefined. */
  get(id: string): UploadedMedia | undefined;
  /** Every file uploaded, oldest first. */
  all(): UploadedMedia[];
  clear(): void;
}

/** What the request log keeps of an upload (never the bytes). */
interface UploadSummary {
  messaging_product: string | null;
  type: string | null;
  file: { filename: string; mime_type: string; size: number; sha256: string } | null;
}

const first4 = (data: Uint8Array, offset = 0) => Buffer.from(data.subarray(offset, offset + 4)).toString('latin1');

/**
 * Whether the bytes can be a file of `mimeType`, for the formats with a signature; true for the
 * others. Meta answers 131053 when the declared type does not match the file (§9.4).
 */
function bytesMatch(mimeType: string, data: Uint8Array): boolean {
  const b = data;
  switch (mimeType) {
    case 'image/jpeg':
      return b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
    case 'image/png':
      return first4(b) === '\x89PNG';
    case 'image/webp':
      return first4(b) === 'RIFF' && first4(b, 8) === 'WEBP';
    case 'application/pdf':
      return first4(b) === '%PDF';
    case 'video/mp4':
    case 'video/3gpp':
    case 'audio/mp4':
      return first4(b, 4) === 'ftyp';
    case 'audio/ogg':
      return first4(b) === 'OggS';
    case 'audio/amr':
      return first4(b) === '#!AM';
    case 'application/vnd.openxmlformats-officedocument.wordprocessingml.document':
    case 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet':
    case 'application/vnd.openxmlformats-officedocument.presentationml.presentation':
      return first4(b) === 'PK\x03\x04';
    case 'application/msword':
    case 'application/vnd.ms-excel':
    case 'application/vnd.ms-powerpoint':
      return b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0;
    case 'text/plain':
      return !b.subarray(0, 4096).includes(0);
    default:
      return true;
  }
}

const mediaUploadError = (details: string) => toGraphError(400, 131053, '(#131053) Media upload error', { details });

const newMediaId = () => String(BigInt(`0x${randomBytes(7).toString('hex')}`) + 1_000_000_000_000_000n);

/** A parsed upload body: what the request log shows, and the file when the form had one. */
export interface ParsedUpload {
  summary: UploadSummary | null;
  /** Why the body is not an upload form at all (not multipart, unparseable). */
  error: GraphErrorAnswer | null;
  file: { name: string; partType: string; data: Uint8Array } | null;
}

/** Parses a `POST /{phone-number-id}/media` body (multipart/form-data) without judging it. */
export async function parseUpload(contentType: string | undefined, raw: Buffer): Promise<ParsedUpload> {
  if (!contentType?.toLowerCase().startsWith('multipart/form-data')) {
    return {
      summary: null,
      file: null,
      error: invalidParameter('The request must be multipart/form-data with messaging_product, type and file.'),
    };
  }
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(raw), { headers: { 'content-type': contentType } }).formData();
  } catch {
    return { summary: null, file: null, error: invalidParameter('The multipart body could not be parsed.') };
  }
  const product = form.get('messaging_product');
  const declared = form.get('type');
  const part = form.get('file');
  const file =
    part instanceof File
      ? { name: part.name, partType: part.type, data: new Uint8Array(await part.arrayBuffer()) }
      : null;
  return {
    error: null,
    file,
    summary: {
      messaging_product: typeof product === 'string' ? product : null,
      type: typeof declared === 'string' ? declared : null,
      file:
        file === null
          ? null
          : {
              filename: file.name,
              mime_type: file.partType,
              size: file.data.byteLength,
              sha256: createHash('sha256').update(file.data).digest('hex'),
            },
    },
  };
}

/** Keeps uploads in memory and checks new ones. */
export function createMediaUploads(): MediaUploads & {
  /** Checks one parsed upload as Meta does and keeps it: `{id}`, or Meta's error. */
  accept(phoneNumberId: string, upload: ParsedUpload): { id: string } | GraphErrorAnswer;
} {
  const files = new Map<string, UploadedMedia>();
  return {
    get: (id) => files.get(id),
    all: () => [...files.values()],
    clear: () => files.clear(),
    accept(phoneNumberId, upload) {
      const { summary, file } = upload;
      if (upload.error !== null || summary === null) {
        return upload.error ?? invalidParameter('The multipart body could not be parsed.');
      }
      if (summary.messaging_product !== 'whatsapp') {
        return summary.messaging_product === null
          ? invalidParameter(
              'The parameter messaging_product is required.',
              '(#100) The parameter messaging_product is required.',
            )
          : invalidParameter(`Param messaging_product must be one of {WHATSAPP} - got "${summary.messaging_product}".`);
      }
      if (file === null || summary.file === null) {
        return invalidParameter('The parameter file is required.', '(#100) The parameter file is required.');
      }
      // `type` is the file's MIME type (the form field; the file part's own type when it is missing).
      const mimeType = (summary.type ?? file.partType).split(';')[0]?.trim().toLowerCase() ?? '';
      const rule = UPLOAD_RULES.find((candidate) => candidate.mimeTypes.includes(mimeType));
      if (rule === undefined) {
        return invalidParameter(
          `Param file must be a file with one of the following types: ${ALL_MIME_TYPES.join(', ')}. Received file of type '${mimeType || 'unknown'}'.`,
        );
      }
      const size = file.data.byteLength;
      if (size === 0 || size > rule.maxBytes) {
        return mediaUploadError(
          `${rule.label} file has size ${size} bytes but must be atmost ${rule.maxBytes} bytes and non-empty`,
        );
      }
      if (!bytesMatch(mimeType, file.data)) {
        return mediaUploadError(`The file's content does not match its declared type ${mimeType}.`);
      }
      const id = newMediaId();
      files.set(id, {
        id,
        phoneNumberId,
        mimeType,
        type: rule.type,
        filename: file.name,
        fileSize: size,
        sha256: summary.file.sha256,
        data: file.data,
      });
      return { id };
    },
  };
}
