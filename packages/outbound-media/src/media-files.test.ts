import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLocalMediaFiles, MediaTooLargeError, mediaFilesOver } from './media-files.js';

const directory = await mkdtemp(join(tmpdir(), 'wabot-media-files-'));
afterAll(() => rm(directory, { recursive: true, force: true }));
const files = createLocalMediaFiles(directory);

async function* chunks(...parts: string[]) {
  for (const part of parts) yield Buffer.from(part);
}

describe('local media files', () => {
  it('writes a file in chunks, reporting size, sha256 and its first bytes, and reads it back as a Blob', async () => {
    const written = await files.write('outbound/bot-1/a', chunks('hello ', 'world'), { maxBytes: 100 });
    expect(written.sizeBytes).toBe(11);
    expect(written.sha256).toBe(createHash('sha256').update('hello world').digest('hex'));
    expect(Buffer.from(written.head).toString()).toBe('hello world');
    const blob = await files.read('outbound/bot-1/a', 'text/plain');
    expect(blob.type).toBe('text/plain');
    expect(await blob.text()).toBe('hello world');
    expect(await readdir(join(directory, 'outbound', 'bot-1'))).toEqual(['a']);
  });

  it('stops past maxBytes and leaves nothing behind', async () => {
    await expect(files.write('outbound/bot-1/big', chunks('12345', '67890'), { maxBytes: 8 })).rejects.toBeInstanceOf(
      MediaTooLargeError,
    );
    expect(await readdir(join(directory, 'outbound', 'bot-1'))).toEqual(['a']);
  });

  it('refuses keys that could leave the directory, and removing a missing file is no error', async () => {
    for (const key of ['../x', 'a/../../x', '/etc/passwd', 'a//b', '']) {
      await expect(files.write(key, chunks('x'), { maxBytes: 10 }), key).rejects.toThrow('not a media key');
    }
    await expect(files.read('outbound/none')).rejects.toThrow();
    await files.remove('outbound/none');
    await files.remove('outbound/bot-1/a');
    expect(await readdir(join(directory, 'outbound', 'bot-1'))).toEqual([]);
  });
});

describe('media files over a whole-file store', () => {
  it('counts, hashes and puts the file in one call; refuses past maxBytes without putting anything', async () => {
    const kept = new Map<string, Uint8Array>();
    const over = mediaFilesOver({
      put: async (key, data) => void kept.set(key, data),
      read: async (key) => kept.get(key) ?? null,
      delete: async (key) => void kept.delete(key),
    });
    const written = await over.write('outbound/b/1', chunks('abc', 'def'), { maxBytes: 6 });
    expect(written).toMatchObject({ sizeBytes: 6, sha256: createHash('sha256').update('abcdef').digest('hex') });
    expect(await (await over.read('outbound/b/1', 'text/plain')).text()).toBe('abcdef');
    await expect(over.write('outbound/b/2', chunks('abc', 'defg'), { maxBytes: 6 })).rejects.toBeInstanceOf(
      MediaTooLargeError,
    );
    expect([...kept.keys()]).toEqual(['outbound/b/1']);
    await over.remove('outbound/b/1');
    await expect(over.read('outbound/b/1')).rejects.toThrow('no media file');
  });
});
