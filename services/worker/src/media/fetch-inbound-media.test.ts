import { createHash } from 'node:crypto';
import { GraphApiError, type MediaClient, MediaDownloadError } from '@wabot/whatsapp';
import { describe, expect, it } from 'vitest';
import { fetchInboundMedia, MediaFetchError } from './fetch-inbound-media.js';

const bytes = Buffer.from('voice note bytes');
const hex = createHash('sha256').update(bytes).digest('hex');

/**
 * A MediaClient answering from scripts, for the outcomes the Graph simulator does not produce on
 * its own (a refused download with a token that could look the id up, a dropped connection).
 */
function scripted(lookups: (() => Promise<unknown>)[], downloads: (() => Promise<Buffer>)[]) {
  const calls: string[] = [];
  const client: MediaClient = {
    async getMedia() {
      calls.push('lookup');
      const next = lookups.shift();
      if (!next) throw new Error('no more lookups scripted');
      await next();
      return {
        url: `https://lookaside.example/${calls.length}`,
        mimeType: 'audio/ogg',
        sha256: hex,
        fileSize: bytes.length,
      };
    },
    async download() {
      calls.push('download');
      const next = downloads.shift();
      if (!next) throw new Error('no more downloads scripted');
      return next();
    },
    close: async () => {},
  };
  return { client, calls };
}

const ok = async () => undefined;
const options = (signal = new AbortController().signal) => ({ kind: 'audio', attempts: 3, signal });

describe('fetchInboundMedia', () => {
  it('a download refused with 403 fails at once (another lookup would not help)', async () => {
    const { client, calls } = scripted(
      [ok, ok],
      [async () => Promise.reject(new MediaDownloadError('forbidden', 'download answered HTTP 403', 403))],
    );
    const error = await fetchInboundMedia(client, 't', '1', options()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaFetchError);
    expect(error).toMatchObject({ outcome: 'refused' });
    expect(calls).toEqual(['lookup', 'download']);
  });

  it('a dropped download and a lookup 500 are retried with a fresh URL, then succeed', async () => {
    const { client, calls } = scripted(
      [ok, async () => Promise.reject(new GraphApiError({ status: 500, title: 'down' })), ok],
      [async () => Promise.reject(new MediaDownloadError('network', 'download interrupted')), async () => bytes],
    );
    const fetched = await fetchInboundMedia(client, 't', '1', options());
    expect(fetched).toEqual({ data: bytes, mimeType: 'audio/ogg', sha256: hex });
    expect(calls).toEqual(['lookup', 'download', 'lookup', 'lookup', 'download']);
  });

  it('gives up after `attempts` lookups, naming the last failure', async () => {
    const expired = async () => Promise.reject(new MediaDownloadError('expired', 'download answered HTTP 404', 404));
    const { client, calls } = scripted([ok, ok, ok], [expired, expired, expired]);
    await expect(fetchInboundMedia(client, 't', '1', options())).rejects.toMatchObject({
      outcome: 'unavailable',
      message: 'gave up after 3 lookup(s): download answered HTTP 404',
    });
    expect(calls.filter((c) => c === 'lookup')).toHaveLength(3);
  });

  it('an aborted budget stops before the next attempt', async () => {
    const budget = new AbortController();
    const { client, calls } = scripted(
      [ok, ok],
      [
        async () => {
          budget.abort();
          throw new MediaDownloadError('network', 'aborted');
        },
      ],
    );
    await expect(fetchInboundMedia(client, 't', '1', options(budget.signal))).rejects.toMatchObject({
      outcome: 'timeout',
    });
    expect(calls).toEqual(['lookup', 'download']);
  });
});
