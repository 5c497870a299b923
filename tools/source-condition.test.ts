import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Workspace packages export their TypeScript sources under a condition only this repository sets
// (tsc's customConditions, vitest's resolve.conditions). A generic one such as `development` is
// set by bundlers and by `node --conditions=development` in consumers' own tooling, which would then
// load our .ts files instead of dist.
const root = path.resolve(import.meta.dirname, '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const condition = '@wabot/source';

const packageDirs = ['packages', 'services'].flatMap((parent) =>
  readdirSync(path.join(root, parent))
    .map((name) => `${parent}/${name}`)
    .filter((dir) => existsSync(path.join(root, dir, 'package.json'))),
);

describe('source condition', () => {
  it(`exports every package's sources under ${condition} only`, () => {
    expect(packageDirs.length).toBeGreaterThan(10);
    for (const dir of packageDirs) {
      const manifest = read(`${dir}/package.json`);
      const exports: unknown = JSON.parse(manifest).exports;
      // The console exports no module, only its manifest (the admin finds its build from it).
      if (JSON.stringify(exports) === '{"./package.json":"./package.json"}') continue;
      expect(JSON.stringify(exports), dir).toContain(`"${condition}":"./src/`);
      expect(manifest, dir).not.toMatch(/"development"\s*:/);
    }
  });

  it('is the condition TypeScript and vitest resolve with', () => {
    expect(JSON.parse(read('tsconfig.base.json')).compilerOptions.customConditions).toEqual([condition]);
    const vitest = read('vitest.config.ts');
    expect(vitest).toContain(`conditions: ['${condition}']`);
    expect(vitest).not.toContain(`'development'`);
  });
});
