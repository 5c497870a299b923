import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { assertMediaKey, type MediaStore } from './media-store.js';

/** Content type kept next to each file (`<file>.type`): a plain directory has no metadata. */
const TYPE_SUFFIX = '.type';

const isMissing = (error: unknown) =>
  error instanceof Error && 'code' in error && (error.code === 'ENOENT' || error.code === 'ENOTDIR');

/** A MediaStore in a local directory (created on first write); writes go to a temporary file first. */
export function createLocalMediaStore(root: string): MediaStore {
  const dir = path.resolve(root);
  const fileOf = (key: string) => {
    assertMediaKey(key);
    return path.join(dir, ...key.split('/'));
  };
  const typeOf = async (file: string) => {
    try {
      return (await readFile(`${file}${TYPE_SUFFIX}`, 'utf8')).trim() || 'application/octet-stream';
    } catch {
      return 'application/octet-stream';
    }
  };
  async function walk(base: string, relative: string, out: string[]): Promise<void> {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(base, { withFileTypes: true });
    } catch (error) {
      if (isMissing(error)) return;
      throw error;
    }
    for (const entry of entries) {
      const key = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(path.join(base, entry.name), key, out);
      else if (!entry.name.endsWith(TYPE_SUFFIX) && !entry.name.includes('.tmp-')) out.push(key);
    }
  }
  return {
    description: `local:${dir}`,
    async put(key, data, contentType) {
      const file = fileOf(key);
      await mkdir(path.dirname(file), { recursive: true });
      const temporary = `${file}.tmp-${process.pid}-${Date.now()}`;
      await writeFile(temporary, data);
      await writeFile(`${file}${TYPE_SUFFIX}`, contentType);
      await rename(temporary, file);
    },
    async open(key) {
      const file = fileOf(key);
      try {
        const info = await stat(file);
        return { body: createReadStream(file), size: info.size, contentType: await typeOf(file) };
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
    },
    async read(key) {
      try {
        return await readFile(fileOf(key));
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
    },
    async delete(key) {
      const file = fileOf(key);
      await rm(file, { force: true });
      await rm(`${file}${TYPE_SUFFIX}`, { force: true });
    },
    async list(prefix = '') {
      const keys: string[] = [];
      await walk(dir, '', keys);
      return keys.filter((key) => key.startsWith(prefix)).sort();
    },
    close: async () => {},
  };
}
