import type { BotRuntime } from '@wabot/bot-registry';
import type { InboundAttachment, InboundMediaModel, InboundMediaRepository } from '@wabot/db';
import type { Logger } from '@wabot/logger';
import type { MediaStore } from '@wabot/media-store';
import { MEDIA_MESSAGE_TYPES, type MediaClient } from '@wabot/whatsapp';
import { z } from 'zod';
import type { WorkerConfig } from '../config.js';
import type { EngineAttachment } from '../engine/bot-engine.js';
import type { WorkerMetrics } from '../metrics.js';
import { fetchInboundMedia, MediaFetchError } from './fetch-inbound-media.js';
import type { SpeechToText } from './speech-to-text.js';

/** What the media step needs (WorkerDeps.media, config and metrics). */
export interface MediaDeps {
  media: { repo: InboundMediaRepository; store: MediaStore; client: MediaClient; speech: SpeechToText | null };
  config: Pick<WorkerConfig, 'MEDIA_BUDGET_MS' | 'MEDIA_FETCH_ATTEMPTS'>;
  metrics: Pick<WorkerMetrics, 'media'>;
  logger: Logger;
}

/** One message of a turn: its row id and the normalized message. */
export interface TurnMediaMessage {
  rowId: string;
  type: string;
  text: string;
  metadata: Record<string, unknown>;
}

/** What one message gives the engine. */
export interface TurnInput {
  text: string;
  attachment: EngineAttachment | null;
}

/** How the turn's model takes files: images and PDFs, images only, or none (no vision, or the offline engine). */
export type VisionMode = 'images_and_pdf' | 'images' | 'offline' | 'none';

/** The placeholder-only label of the built-in stand-in describer (the offline engine cannot see). */
const OFFLINE_DESCRIPTION = '[offline stand-in description]';

const attachmentSchema = z.object({
  kind: z.enum(MEDIA_MESSAGE_TYPES),
  id: z.string().nullable().catch(null),
  mimeType: z.string().nullable().catch(null),
  filename: z.string().optional().catch(undefined),
  caption: z.string().optional().catch(undefined),
  voice: z.boolean().optional().catch(undefined),
});

/** The attachment `normalizeWebhook` put on a media message; null for other messages. */
function attachmentOf(message: TurnMediaMessage): InboundAttachment | null {
  const parsed = attachmentSchema.safeParse(message.metadata.attachment);
  if (!parsed.success || parsed.data.kind !== message.type) return null;
  const { kind, id, mimeType, filename, caption, voice } = parsed.data;
  return { kind, mediaId: id, mimeType, filename: filename ?? null, caption: caption ?? null, voice: voice ?? null };
}

const IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif']);
const baseType = (mimeType: string | null) => (mimeType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';

/** `[Voice message] <transcript>` (docs/contract.md, Media). */
const voiceText = (placeholder: string, transcript: string) =>
  transcript ? `${placeholder} ${transcript}` : placeholder;

const kb = (bytes: number) => (bytes < 1024 ? `${bytes} bytes` : `${(bytes / 1024).toFixed(1)} KB`);

/**
 * The media step of a turn (docs/adr/0009-inbound-media.md), run before the engine and within
 * MEDIA_BUDGET_MS for the whole turn: every media message's file is fetched once (its
 * `inbound_media` row goes `stored` or `failed` with the reason), a voice note is transcribed
 * (STT_*) and its text becomes `[Voice message] <transcript>`, and with `vision` images (and PDFs
 * where the provider reads them) become attachments; offline, a labelled stand-in description is
 * added instead. Whatever fails or runs out of time leaves the message's placeholder text as it
 * was: this never throws for a file, a store or a transcriber failure.
 */
export async function prepareTurnMedia(
  deps: MediaDeps,
  bot: Pick<BotRuntime, 'id' | 'accessToken'>,
  messages: TurnMediaMessage[],
  vision: VisionMode,
): Promise<TurnInput[]> {
  const withMedia = messages.map((message) => ({ message, attachment: attachmentOf(message) }));
  if (!withMedia.some(({ attachment }) => attachment)) {
    return messages.map((message) => ({ text: message.text, attachment: null }));
  }
  const budget = AbortSignal.timeout(deps.config.MEDIA_BUDGET_MS);
  const inputs: TurnInput[] = [];
  for (const { message, attachment } of withMedia) {
    if (!attachment) {
      inputs.push({ text: message.text, attachment: null });
      continue;
    }
    try {
      inputs.push(await prepareOne(deps, bot, message, attachment, vision, budget));
    } catch (error) {
      // The database or the store failing: the placeholder goes to the engine as before.
      deps.logger.warn({ err: error, messageId: message.rowId }, 'media step failed: the placeholder is used');
      inputs.push({ text: message.text, attachment: null });
    }
  }
  return inputs;
}

async function prepareOne(
  deps: MediaDeps,
  bot: Pick<BotRuntime, 'id' | 'accessToken'>,
  message: TurnMediaMessage,
  attachment: InboundAttachment,
  vision: VisionMode,
  budget: AbortSignal,
): Promise<TurnInput> {
  const { repo, store } = deps.media;
  const log = { botId: bot.id, messageId: message.rowId, kind: attachment.kind };
  let row = await repo.ensure(message.rowId, bot.id, attachment);
  let data: Buffer | null = null;
  if (row.status === 'pending') {
    const fetched = await fetchAndStore(deps, bot, message.rowId, attachment, budget);
    row = fetched.row;
    data = fetched.data;
  }
  if (row.status !== 'stored' || row.storeKey === null) return { text: message.text, attachment: null };
  const storeKey = row.storeKey;
  const load = async () => {
    data ??= await store.read(storeKey);
    return data;
  };

  let text = message.text;
  if (attachment.kind === 'audio') {
    row = await transcribe(deps, row, message.text, load, budget, log);
    if (row.transcript) text = voiceText(message.text, row.transcript);
  }
  const mediaType = baseType(row.mimeType);
  const isImage = (attachment.kind === 'image' || attachment.kind === 'sticker') && IMAGE_TYPES.has(mediaType);
  const isPdf = attachment.kind === 'document' && mediaType === 'application/pdf';
  if (vision === 'offline' && isImage) {
    if (row.description === null) {
      const description = `${OFFLINE_DESCRIPTION} a picture (${mediaType}, ${kb(row.fileSize ?? 0)}); no vision model is configured`;
      row = await repo.recordUnderstanding(row.messageId, { description });
    }
    return { text: `${text}\n${row.description}`, attachment: null };
  }
  if ((vision === 'images' || vision === 'images_and_pdf') && (isImage || (isPdf && vision === 'images_and_pdf'))) {
    const bytes = await load();
    if (!bytes) {
      await repo.recordUnderstanding(row.messageId, {
        error: 'the stored file is gone: the model got the placeholder',
      });
      return { text, attachment: null };
    }
    deps.metrics.media.inc({ kind: attachment.kind, outcome: 'to_model' });
    return {
      text,
      attachment: {
        kind: isImage ? 'image' : 'file',
        mediaType,
        data: bytes,
        ...(row.filename ? { filename: row.filename } : {}),
      },
    };
  }
  return { text, attachment: null };
}

async function fetchAndStore(
  deps: MediaDeps,
  bot: Pick<BotRuntime, 'id' | 'accessToken'>,
  rowId: string,
  attachment: InboundAttachment,
  budget: AbortSignal,
): Promise<{ row: InboundMediaModel; data: Buffer | null }> {
  const { repo, store, client } = deps.media;
  const log = { botId: bot.id, messageId: rowId, kind: attachment.kind };
  if (!attachment.mediaId) {
    deps.metrics.media.inc({ kind: attachment.kind, outcome: 'no_media_id' });
    return { row: await repo.recordFailed(rowId, 'the webhook carried no media id'), data: null };
  }
  try {
    const fetched = await fetchInboundMedia(client, bot.accessToken, attachment.mediaId, {
      kind: attachment.kind,
      attempts: deps.config.MEDIA_FETCH_ATTEMPTS,
      signal: budget,
    });
    const storeKey = `${bot.id}/${rowId}`;
    await store.put(storeKey, fetched.data, fetched.mimeType);
    deps.metrics.media.inc({ kind: attachment.kind, outcome: 'stored' });
    const row = await repo.recordStored(rowId, {
      mimeType: fetched.mimeType,
      fileSize: fetched.data.length,
      sha256: fetched.sha256,
      storeKey,
    });
    return { row, data: fetched.data };
  } catch (error) {
    const outcome = error instanceof MediaFetchError ? error.outcome : 'store_failed';
    const reason =
      error instanceof MediaFetchError
        ? error.message
        : `could not store the file in ${store.description}: ${error instanceof Error ? error.message : String(error)}`;
    deps.metrics.media.inc({ kind: attachment.kind, outcome });
    deps.logger.warn({ ...log, outcome }, `inbound media not stored: ${reason}`);
    return { row: await repo.recordFailed(rowId, reason), data: null };
  }
}

/** Transcribes a stored voice note once (STT_*); a failure is recorded and the placeholder stays. */
async function transcribe(
  deps: MediaDeps,
  row: InboundMediaModel,
  placeholder: string,
  load: () => Promise<Buffer | null>,
  budget: AbortSignal,
  log: Record<string, unknown>,
): Promise<InboundMediaModel> {
  const { speech, repo } = deps.media;
  if (!speech || row.transcript !== null || row.understandingError !== null) return row;
  try {
    const audio = await load();
    if (!audio) throw new Error('the stored file is gone');
    const transcript = await speech.transcribe(audio, row.mimeType ?? 'audio/ogg', budget);
    deps.metrics.media.inc({ kind: row.kind, outcome: 'transcribed' });
    return await repo.recordTranscript(row.messageId, transcript, voiceText(placeholder, transcript));
  } catch (error) {
    const reason = `transcription failed: ${error instanceof Error ? error.message : String(error)}`;
    deps.metrics.media.inc({ kind: row.kind, outcome: 'transcription_failed' });
    deps.logger.warn(log, reason);
    return repo.recordUnderstanding(row.messageId, { error: reason });
  }
}
