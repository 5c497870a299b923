import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// README: it moves jobs and must not know what they mean (no service, database or domain code); the
// logger only for its connections' errors.
const allowed = new Set(['@wabot/contracts', '@wabot/logger', 'bullmq', 'ioredis']);

describe('@wabot/queue imports', () => {
  it('imports only @wabot/contracts, @wabot/logger, bullmq, ioredis (and its own files) outside its tests', () => {
    const dir = new URL('.', import.meta.url);
    const sources = readdirSync(dir).filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'));
    expect(sources.length).toBeGreaterThan(1);
    for (const file of sources) {
      const text = readFileSync(new URL(file, dir), 'utf8');
      const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((match) => match[1] ?? '');
      const foreign = specifiers.filter((specifier) => !specifier.startsWith('./') && !allowed.has(specifier));
      expect(foreign, file).toEqual([]);
    }
  });
});
