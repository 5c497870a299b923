import { z } from 'zod';
import type { WorkerConfig } from '../config.js';

/** Turns a voice note into text; rejects on failure (the engine then gets the placeholder). */
export interface SpeechToText {
  transcribe(audio: Uint8Array, mimeType: string, signal: AbortSignal): Promise<string>;
}

type SttConfig = Pick<WorkerConfig, 'STT_BASE_URL' | 'STT_API_KEY' | 'STT_MODEL' | 'STT_TIMEOUT_MS'>;

/** https://platform.openai.com/docs/api-reference/audio/createTranscription (response_format json). */
const transcriptionSchema = z.object({ text: z.string() });

/** A file name whose extension names the format (OpenAI-compatible servers guess the codec from it). */
function fileNameOf(mimeType: string): string {
  const subtype = mimeType.split(';')[0]?.split('/')[1]?.trim() ?? 'bin';
  const extension = subtype === 'mpeg' ? 'mp3' : subtype === 'mp4' ? 'm4a' : subtype;
  return `voice.${extension}`;
}

/**
 * OpenAI-compatible speech to text (`POST {STT_BASE_URL}/audio/transcriptions`, multipart with
 * `file` and `model`); null when STT_BASE_URL is unset. The key never appears in an error.
 */
export function createSpeechToText(config: SttConfig): SpeechToText | null {
  const base = config.STT_BASE_URL?.replace(/\/+$/, '');
  if (!base) return null;
  return {
    async transcribe(audio, mimeType, signal) {
      const form = new FormData();
      form.set(
        'file',
        new Blob([Buffer.from(audio)], { type: mimeType.split(';')[0] ?? mimeType }),
        fileNameOf(mimeType),
      );
      form.set('model', config.STT_MODEL);
      form.set('response_format', 'json');
      let response: Response;
      try {
        response = await fetch(`${base}/audio/transcriptions`, {
          method: 'POST',
          body: form,
          headers: config.STT_API_KEY ? { authorization: `Bearer ${config.STT_API_KEY}` } : {},
          signal: AbortSignal.any([signal, AbortSignal.timeout(config.STT_TIMEOUT_MS)]),
        });
      } catch (error) {
        const name = error instanceof Error ? error.name : 'error';
        throw new Error(
          name === 'TimeoutError' || name === 'AbortError'
            ? `speech to text timed out`
            : `speech to text unreachable (${name})`,
        );
      }
      const text = await response.text();
      if (!response.ok) throw new Error(`speech to text answered HTTP ${response.status}`);
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new Error('speech to text answered something that is not JSON');
      }
      const parsed = transcriptionSchema.safeParse(json);
      if (!parsed.success) throw new Error('speech to text answered without a text');
      return parsed.data.text.trim();
    },
  };
}
