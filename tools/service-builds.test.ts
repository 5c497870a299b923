import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// What `tsc -b` compiles into a service's dist is what production runs: no test fake, test kit or
// test runner may be in it. Fakes are product code of their own packages (the Meta simulator,
// @wabot/testing) or stay beside the tests (src/testing/, excluded from the build).
const root = path.resolve(import.meta.dirname, '..');
const services = readdirSync(path.join(root, 'services')).filter((name) =>
  existsSync(path.join(root, 'services', name, 'tsconfig.json')),
);
const testOnlyImports = ['vitest', '@wabot/testing', '@wabot/meta-simulator', '@wabot/stack'];

/** The source files `tsc -b services/<name>` compiles, as tsc itself reads its tsconfig.json. */
function builtFiles(name: string): string[] {
  const configFile = path.join(root, 'services', name, 'tsconfig.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(
    configFile,
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic() {} },
  );
  if (!parsed) throw new Error(`cannot read ${configFile}`);
  return parsed.fileNames.map((file) => path.relative(root, file));
}

describe('service builds', () => {
  it('finds the services and their sources', () => {
    expect(services.sort()).toEqual(['admin', 'ingress', 'worker']);
    for (const name of services) expect(builtFiles(name)).toContain(`services/${name}/src/main.ts`);
  });

  for (const name of services) {
    it(`services/${name}: no test, test kit or fake is built into dist`, () => {
      const files = builtFiles(name);
      const fakes = files.filter((file) => /\/testing\/|\.test\.ts$|test-kit|fake/i.test(file));
      expect(fakes).toEqual([]);
      const importers = files.filter((file) => {
        const text = readFileSync(path.join(root, file), 'utf8');
        return testOnlyImports.some((module) => text.includes(`from '${module}'`));
      });
      expect(importers).toEqual([]);
    });
  }
});
