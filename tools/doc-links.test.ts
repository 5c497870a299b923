import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

type Dangling = { file: string; line: number; target: string };

// The checker is a plain script (`node tools/check-doc-links.mjs`) without type declarations; a
// computed specifier keeps the compiler from looking for them, the annotation states its contract.
const script = new URL('./check-doc-links.mjs', import.meta.url).href;
const checker: { findDanglingLinks: (root: string) => Dangling[] } = await import(script);
const dangling = (root: string): Dangling[] => checker.findDanglingLinks(root);

describe('documentation links', () => {
  it('every relative link and path in the Markdown points at a file in the repository', () => {
    const root = path.resolve(import.meta.dirname, '..');
    expect(dangling(root).map(({ file, line, target }) => `${file}:${line}: ${target}`)).toEqual([]);
  });

  it('finds a dangling link and a dangling path, ignoring web links, anchors, globs and fences', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'doc-links-'));
    mkdirSync(path.join(root, 'docs'));
    writeFileSync(path.join(root, 'docs', 'real.md'), '# real\n');
    writeFileSync(
      path.join(root, 'README.md'),
      [
        '[ok](docs/real.md#real) [web](https://example.com/x.md) [anchor](#top)',
        '`docs/real.md` `services/*/src/config.ts` `bench/results/<date>.json` `dist/main.js`',
        '```sh',
        'cat missing/inside-a-fence.md',
        '```',
        '[gone](docs/gone.md) and `shared/CONTRACT.md`',
      ].join('\n'),
    );
    expect(dangling(root)).toEqual([
      { file: 'README.md', line: 6, target: 'docs/gone.md' },
      { file: 'README.md', line: 6, target: 'shared/CONTRACT.md' },
    ]);
  });
});
