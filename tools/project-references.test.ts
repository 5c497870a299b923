import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// `tsc -b` builds in the order of each tsconfig's `references`, and turbo in the order of each
// package.json's dependencies; when the two disagree, a clean build fails or a stale build passes.
// These checks keep them equal. devDependencies need no reference: they serve tests, which no
// tsconfig.json compiles (tsconfig.check.json type-checks them from source).
const root = path.resolve(import.meta.dirname, '..');
const readJson = (file: string): unknown => JSON.parse(readFileSync(path.join(root, file), 'utf8'));

type Workspace = {
  dir: string;
  name: string;
  dependencies: string[];
  hasBuild: boolean;
  references: string[] | undefined;
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const internal = (deps: unknown): string[] =>
  isRecord(deps) ? Object.keys(deps).filter((name) => name.startsWith('@wabot/')) : [];

/** Reference paths of a tsconfig, as workspace-relative directories. */
function referencesOf(dir: string): string[] | undefined {
  const file = path.join(dir, 'tsconfig.json');
  if (!existsSync(path.join(root, file))) return undefined;
  const config = readJson(file);
  const refs = isRecord(config) && Array.isArray(config.references) ? config.references : [];
  return refs.map((ref: unknown) => {
    const target = isRecord(ref) && typeof ref.path === 'string' ? ref.path : '';
    return path.relative(root, path.resolve(root, dir, target)) || '.';
  });
}

function workspaces(): Workspace[] {
  const globs = [...readFileSync(path.join(root, 'pnpm-workspace.yaml'), 'utf8').matchAll(/^\s+- (\S+)$/gm)]
    .map((m) => m[1] ?? '')
    .filter((g) => g && !g.includes(':'));
  const dirs = globs.flatMap((glob) =>
    glob.endsWith('/*')
      ? readdirSync(path.join(root, glob.slice(0, -2))).map((name) => `${glob.slice(0, -2)}/${name}`)
      : [glob],
  );
  return dirs
    .filter((dir) => existsSync(path.join(root, dir, 'package.json')))
    .map((dir) => {
      const pkg = readJson(`${dir}/package.json`);
      if (!isRecord(pkg) || typeof pkg.name !== 'string') throw new Error(`${dir}/package.json has no name`);
      const scripts = isRecord(pkg.scripts) ? pkg.scripts : {};
      return {
        dir,
        name: pkg.name,
        dependencies: [...internal(pkg.dependencies), ...internal(pkg.peerDependencies)],
        hasBuild: typeof scripts.build === 'string',
        references: referencesOf(dir),
      };
    });
}

describe('project references', () => {
  const all = workspaces();
  const dirOf = new Map(all.map((w) => [w.name, w.dir]));
  const nameOf = new Map(all.map((w) => [w.dir, w.name]));

  it('finds the workspace', () => {
    expect(all.length).toBeGreaterThan(10);
    expect(all.filter((w) => w.references !== undefined).length).toBeGreaterThan(10);
  });

  it('give every @wabot/* dependency a reference and every reference a dependency', () => {
    const problems: string[] = [];
    for (const w of all) {
      if (w.references === undefined) {
        if (w.hasBuild) problems.push(`${w.name}: has a build script but no tsconfig.json`);
        continue;
      }
      for (const dep of w.dependencies) {
        const dir = dirOf.get(dep);
        if (dir === undefined) problems.push(`${w.name}: depends on ${dep}, which is not in the workspace`);
        else if (!w.references.includes(dir))
          problems.push(`${w.name}: depends on ${dep} but does not reference ${dir}`);
      }
      for (const ref of w.references) {
        const target = nameOf.get(ref);
        if (target === undefined) problems.push(`${w.name}: references ${ref}, which is not a workspace package`);
        else if (!w.dependencies.includes(target)) {
          // A built source imports it, so production needs it: a devDependency is not enough.
          problems.push(`${w.name}: references ${ref} but ${target} is not in its dependencies`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('list every built workspace package in the root tsconfig.json', () => {
    const rootRefs = referencesOf('.') ?? [];
    const built = all.filter((w) => w.references !== undefined).map((w) => w.dir);
    expect([...rootRefs].sort()).toEqual([...built].sort());
  });
});
