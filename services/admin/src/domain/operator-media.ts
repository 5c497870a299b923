import { randomUUID } from 'node:crypto';
import type { NewOutboundMedia } from '@wabot/db';
import { type MediaFiles, MediaTooLargeError } from '@wabot/outbound-media';
import {
  bareMimeType,
  classifyExtension,
  cleanFilename,
  filenameFromUrl,
  MAX_MEDIA_BYTES,
  MEDIA_RULES,
  MEDIA_TYPES,
  type MediaType,
  mediaTypeOfMime,
  type StoredMedia,
} from '@wabot/whatsapp';
import type { FastifyRequest } from 'fastify';
import { fileTypeFromBuffer } from 'file-type';
import { ApiError } from './api-error.js';

/**
 * Operators' media messages (docs/contract.md, `POST /api/conversations/:id/messages`): by link
 * (JSON `{media: {type, url, caption?, filename?}}`) or by upload (multipart/form-data with a
 * `file` and the fields `type`, `caption`, `filename`), held to Meta's rules (§9.4): the MIME
 * types and size of each type, a caption only on image, video and document (≤ 1024), a file
 * name only on a document. An uploaded file is sniffed (its bytes decide its type, not the name
 * or the declared type) and written durably to the media store before the message is stored.
 */

/** What the operator's message becomes: the readable text, `metadata.media` and the uploaded file, if any. */
export interface OperatorMedia {
  text: string;
  media: StoredMedia;
  upload?: NewOutboundMedia;
}

/** The JSON form of a media message, as the body schema parsed it. */
export interface LinkedMediaInput {
  type: MediaType;
  url: string;
  caption?: string | undefined;
  filename?: string | undefined;
}

/** Busboy limits of the multipart form; the per-type size limit is applied while the file is written. */
export const MULTIPART_LIMITS = {
  files: 1,
  fields: 8,
  parts: 10,
  // A caption of 1024 characters, 4 bytes each at most.
  fieldSize: 4096,
  fileSize: MAX_MEDIA_BYTES + 1,
} as const;

const CAPTION_MAX = 1024;
const FIELDS = new Set(['type', 'caption', 'filename']);

const badRequest = (message: string, field: string) =>
  new ApiError(400, 'validation_failed', message, { fields: [{ field, message }] });

/** The text a person sees for a media message: its caption, a document's file name, or `[Image]`. */
function readableText(media: StoredMedia): string {
  if (media.caption) return media.caption;
  if (media.type === 'document' && media.filename) return media.filename;
  return `[${media.type.charAt(0).toUpperCase()}${media.type.slice(1)}]`;
}

/** Checks caption and file name against the type (400 naming the field); returns them cleaned. */
function fitText(
  type: MediaType,
  caption: string | undefined,
  filename: string | undefined,
  prefix: string,
): { caption?: string; filename?: string } {
  const rule = MEDIA_RULES[type];
  const trimmedCaption = caption?.trim() ?? '';
  if (trimmedCaption !== '' && !rule.caption) {
    throw badRequest(`WhatsApp shows no caption on ${type}: leave caption out`, `${prefix}caption`);
  }
  if (Array.from(trimmedCaption).length > CAPTION_MAX) {
    throw badRequest(`caption is at most ${CAPTION_MAX} characters`, `${prefix}caption`);
  }
  const cleaned = cleanFilename(filename ?? '');
  if (cleaned !== '' && !rule.filename) {
    throw badRequest(`only a document has a file name: leave filename out for ${type}`, `${prefix}filename`);
  }
  return {
    ...(trimmedCaption !== '' ? { caption: trimmedCaption } : {}),
    ...(cleaned !== '' ? { filename: cleaned } : {}),
  };
}

/**
 * A media message by link: an https URL (the body schema checked that), the type its extension
 * names when it names one (415 for a format WhatsApp does not send, 400 for another type's), a
 * document's file name from the link when none is given.
 */
export function linkedMedia(input: LinkedMediaInput): OperatorMedia {
  const extension = classifyExtension(new URL(input.url).pathname);
  if (extension.kind === 'unsupported') {
    throw new ApiError(415, 'unsupported_media_type', `WhatsApp does not send this kind of file as ${input.type}`, {
      allowed: MEDIA_RULES[input.type].mimeTypes,
    });
  }
  if (extension.kind === 'supported' && extension.type !== input.type) {
    throw badRequest(`the link is a ${extension.mimeType} file: send it as ${extension.type}`, 'media.type');
  }
  const fitted = fitText(input.type, input.caption, input.filename, 'media.');
  const filename =
    input.type === 'document' ? (fitted.filename ?? (filenameFromUrl(input.url) || 'document')) : undefined;
  const media: StoredMedia = {
    type: input.type,
    ...(fitted.caption ? { caption: fitted.caption } : {}),
    ...(filename ? { filename } : {}),
    ...(extension.kind === 'supported' ? { mime_type: extension.mimeType } : {}),
    link: input.url,
  };
  return { text: readableText(media), media };
}

/** What file-type names some supported formats, mapped to the MIME type Meta lists. */
const DETECTED_ALIASES: Readonly<Record<string, string>> = {
  'audio/x-m4a': 'audio/mp4',
  'audio/opus': 'audio/ogg',
  'audio/x-aac': 'audio/aac',
  'audio/3gpp': 'video/3gpp',
};
/**
 * Containers the first bytes cannot tell apart: an OOXML document is a zip (its kind is in entries
 * that may lie past the bytes read), the legacy Office formats share one container, and MP4 holds
 * audio or video. For these the declared type or the extension picks among the listed ones.
 */
const CONTAINERS: Readonly<Record<string, readonly string[]>> = {
  'application/zip': [
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  ],
  'application/x-cfb': ['application/msword', 'application/vnd.ms-excel', 'application/vnd.ms-powerpoint'],
  'video/mp4': ['audio/mp4'],
  'audio/mp4': ['video/mp4'],
};

/**
 * The MIME type of an uploaded file from its first bytes; where the bytes cannot tell (plain
 * text, {@link CONTAINERS}), from its declared type or extension, within what the bytes allow.
 * Null when nothing tells.
 */
async function sniffMimeType(head: Uint8Array, declared: string, filename: string): Promise<string | null> {
  const detected = await fileTypeFromBuffer(head);
  const claimed = [bareMimeType(declared), extOf(filename)].filter((mime) => mime !== '');
  if (detected === undefined) {
    const text = claimed.includes('text/plain') && !head.includes(0);
    return text ? 'text/plain' : null;
  }
  const mime = DETECTED_ALIASES[detected.mime] ?? detected.mime;
  const alternatives = CONTAINERS[mime] ?? [];
  return claimed.find((candidate) => alternatives.includes(candidate)) ?? (mime === 'application/x-cfb' ? null : mime);
}

const extOf = (filename: string) => {
  const classified = classifyExtension(filename);
  return classified.kind === 'supported' ? classified.mimeType : '';
};

const isMediaType = (value: string): value is MediaType => (MEDIA_TYPES as readonly string[]).includes(value);

/**
 * Reads a multipart media message (`file`, `type`, `caption?`, `filename?`), writing the file to
 * `files` as it arrives (the type's size limit applies while it streams when `type` comes first,
 * else right after). 413 over the limit, 415 for a file whose bytes are no type WhatsApp sends
 * as `type`, 400 for a bad form; nothing is left in the store on any refusal.
 */
export async function uploadedMedia(request: FastifyRequest, files: MediaFiles, botId: string): Promise<OperatorMedia> {
  const fields: Record<string, string> = {};
  const id = randomUUID();
  const storageKey = `outbound/${botId}/${id}`;
  let written: { sizeBytes: number; sha256: string; head: Uint8Array; declared: string; name: string } | null = null;
  const refuse = async (error: ApiError): Promise<never> => {
    if (written !== null) await files.remove(storageKey);
    throw error;
  };
  const tooLarge = (maxBytes: number, type: string | undefined) =>
    new ApiError(
      413,
      'payload_too_large',
      `the file is larger than ${maxBytes} bytes, Meta's limit for ${type ?? 'media'}`,
      {
        max_bytes: maxBytes,
        type: type ?? null,
      },
    );
  try {
    for await (const part of request.parts({ limits: MULTIPART_LIMITS })) {
      if (part.type === 'field') {
        if (!FIELDS.has(part.fieldname)) await refuse(badRequest(`unknown field ${part.fieldname}`, part.fieldname));
        fields[part.fieldname] = String(part.value);
        continue;
      }
      if (part.fieldname !== 'file' || written !== null) {
        part.file.resume();
        await refuse(badRequest('send one file, in the field file', part.fieldname));
      }
      const type = fields.type !== undefined && isMediaType(fields.type) ? fields.type : undefined;
      const maxBytes = type === undefined ? MAX_MEDIA_BYTES : MEDIA_RULES[type].maxBytes;
      try {
        const stored = await files.write(storageKey, part.file, { maxBytes });
        written = { ...stored, declared: part.mimetype, name: part.filename };
      } catch (error) {
        if (error instanceof MediaTooLargeError) {
          part.file.resume();
          throw tooLarge(error.maxBytes, type);
        }
        throw error;
      }
    }
  } catch (error) {
    if (written !== null) await files.remove(storageKey);
    if (error instanceof ApiError) throw error;
    // Busboy's own limits (a field over fieldSize, too many parts, a cut-off body).
    const code = (error as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(MAX_MEDIA_BYTES, undefined);
    throw new ApiError(400, 'invalid_body', `the multipart form could not be read: ${(error as Error).message}`);
  }
  const type = fields.type ?? '';
  if (!isMediaType(type)) {
    return refuse(badRequest(`type must be one of ${MEDIA_TYPES.join(', ')}`, 'type'));
  }
  if (written === null) return refuse(badRequest('the file is required (field file)', 'file'));
  const upload = written;
  const rule = MEDIA_RULES[type];
  if (upload.sizeBytes > rule.maxBytes) return refuse(tooLarge(rule.maxBytes, type));
  if (upload.sizeBytes === 0) return refuse(badRequest('the file is empty', 'file'));
  let fitted: { caption?: string; filename?: string };
  try {
    fitted = fitText(type, fields.caption, fields.filename, '');
  } catch (error) {
    return refuse(error as ApiError);
  }
  const mimeType = await sniffMimeType(upload.head, upload.declared, upload.name);
  if (mimeType === null || !rule.mimeTypes.includes(mimeType)) {
    const suggested = mimeType === null ? null : mediaTypeOfMime(mimeType);
    const what = mimeType === null ? 'a file whose type could not be told' : `a ${mimeType} file`;
    return refuse(
      new ApiError(
        415,
        'unsupported_media_type',
        `${what} cannot be sent as ${type}${suggested ? `: send it as ${suggested}` : ''}; ${type} allows ${rule.mimeTypes.join(', ')}`,
        { mime_type: mimeType, allowed: rule.mimeTypes, suggested_type: suggested },
      ),
    );
  }
  const filename = fitted.filename ?? (cleanFilename(upload.name) || `${type}`);
  const media: StoredMedia = {
    type,
    ...(fitted.caption ? { caption: fitted.caption } : {}),
    ...(type === 'document' ? { filename } : {}),
    mime_type: mimeType,
    upload: { id, size_bytes: upload.sizeBytes, sha256: upload.sha256 },
  };
  return {
    text: readableText(media),
    media,
    upload: { id, type, mimeType, filename, sizeBytes: upload.sizeBytes, sha256: upload.sha256, storageKey },
  };
}
