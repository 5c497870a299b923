import { Writable } from 'node:stream';

export interface CaptureStream extends Writable {
  /** Every line written so far. */
  lines(): string[];
  /** Every line parsed as JSON. */
  entries(): Record<string, unknown>[];
  text(): string;
}

/** An in-memory log destination, for tests that assert on what was (or was not) logged. */
export function createCaptureStream(): CaptureStream {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  const text = () => chunks.join('');
  const lines = () => text().split('\n').filter(Boolean);
  return Object.assign(stream, {
    text,
    lines,
    entries: () => lines().map((line) => JSON.parse(line) as Record<string, unknown>),
  });
}
