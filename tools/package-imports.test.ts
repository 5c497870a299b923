import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// What a package may import outside its tests, as its README says ("Imports:"). A package listed
// here fails the moment one of its source files imports anything else.
const rules: Record<string, { allowed: string[]; why: string }> = {
  contracts: { allowed: ['zod'], why: 'every package imports this one: it must pull in nothing but zod' },
  'http-tools': {
    allowed: ['ajv', 'ajv/dist/2020.js', 'undici', 'zod', 'node:dns/promises', 'node:net', 'node:perf_hooks'],
    why: 'the admin and the worker both use it: tool rules and the guarded runner, no database, no service',
  },
  queue: {
    allowed: ['@wabot/contracts', '@wabot/logger', 'bullmq', 'ioredis'],
    why: 'it moves jobs and must not know what they mean (the logger only for its connection errors)',
  },
  stack: {
    allowed: ['node:child_process', 'node:events', 'node:fs', 'node:net', 'node:path', 'node:readline'],
    why: './run start runs it too, and no service depends on it: Node built-ins only',
  },
};

const root = path.resolve(import.meta.dirname, '..');

describe('package imports', () => {
  for (const [name, { allowed, why }] of Object.entries(rules)) {
    it(`@wabot/${name} imports only ${allowed.join(', ')} (and its own files): ${why}`, () => {
      const dir = path.join(root, 'packages', name, 'src');
      const sources = readdirSync(dir).filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'));
      expect(sources.length).toBeGreaterThan(1);
      for (const file of sources) {
        const text = readFileSync(path.join(dir, file), 'utf8');
        const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((match) => match[1] ?? '');
        const foreign = specifiers.filter((specifier) => !specifier.startsWith('./') && !allowed.includes(specifier));
        expect(foreign, file).toEqual([]);
      }
    });
  }
});
