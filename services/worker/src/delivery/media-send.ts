import type { OutboundRow } from '@wabot/db';
import { type GraphAuth, mediaMessageMetadataSchema, type SendOptions, type SendResult } from '@wabot/whatsapp';
import type { WorkerDeps } from '../worker-deps.js';

/**
 * Meta keeps an uploaded file 30 days (shared/reference/meta-cloud-api.md §10); an id older than
 * this is uploaded again rather than trusted.
 */
const UPLOAD_REUSE_MS = 29 * 24 * 3600 * 1000;

export interface MediaSend {
  call: (auth: GraphAuth) => Promise<SendResult>;
}

/**
 * The Graph send of an operator's media message (`metadata.media`): by link, or by the id of its
 * uploaded file. The file goes to Meta (`POST /{phone-number-id}/media`) at send time, once: the
 * id is recorded on its `outbound_media` row, so a retried call or job sends by that id instead
 * of uploading again. `undefined` when the row is no media message; null when it is one that
 * cannot be sent (its file row or the file itself is gone), checked before anything is claimed.
 * `echo` carries the part id every send of the part has (toGraphSend's).
 */
export async function toMediaSend(
  deps: Pick<WorkerDeps, 'graph' | 'outboundMedia'>,
  row: Pick<OutboundRow, 'id' | 'metadata'>,
  recipient: string,
  echo: SendOptions,
): Promise<MediaSend | null | undefined> {
  const parsed = mediaMessageMetadataSchema.safeParse(row.metadata);
  if (!parsed.success) return undefined;
  const { graph, outboundMedia } = deps;
  const { type, caption, filename, link } = parsed.data.media;
  if (link !== undefined) {
    return { call: (auth) => graph.sendMedia(auth, recipient, { type, link, caption, filename }, echo) };
  }
  const file = await outboundMedia.records.findByMessage(row.id);
  if (file === null) return null;
  let mediaId =
    file.metaMediaId !== null && file.uploadedAt !== null && Date.now() - file.uploadedAt.getTime() < UPLOAD_REUSE_MS
      ? file.metaMediaId
      : null;
  const data =
    mediaId === null ? await outboundMedia.files.read(file.storageKey, file.mimeType).catch(() => null) : null;
  if (mediaId === null && data === null) return null;
  return {
    async call(auth) {
      if (mediaId === null && data !== null) {
        const uploaded = await graph.uploadMedia(auth, { data, mimeType: file.mimeType, filename: file.filename });
        mediaId = uploaded.id;
        await outboundMedia.records.recordUploaded(file.id, uploaded.id);
      }
      if (mediaId === null) throw new Error('unreachable: a media send without an id');
      return graph.sendMedia(auth, recipient, { type, id: mediaId, caption, filename }, echo);
    },
  };
}
