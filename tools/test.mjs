// ./run test: typecheck, lint, knip, then every test (vitest), ending with the plain line `N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const bin = (name) => path.join(root, 'node_modules/.bin', name);
const step = (title, cmd, args) => {
  console.error(`[run] ${title}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: process.env });
  return r.status ?? 1;
};

if (step('typecheck (tsc -p tsconfig.check.json)', bin('tsc'), ['-p', 'tsconfig.check.json', '--noEmit']) !== 0) {
  console.error('[run] typecheck failed');
  console.log('0 passed, 1 failed');
  process.exit(1);
}
// The console (packages/console) has its own compiler options (DOM, JSX): its project, as `pnpm typecheck`.
if (step('typecheck the console (tsc -b packages/console)', bin('tsc'), ['-b', 'packages/console']) !== 0) {
  console.error('[run] typecheck of the console failed');
  console.log('0 passed, 1 failed');
  process.exit(1);
}
if (step('lint (biome check)', bin('biome'), ['check', '--diagnostic-level=error', '.']) !== 0) {
  console.error('[run] lint failed (./node_modules/.bin/biome check --write . fixes most of it)');
  console.log('0 passed, 1 failed');
  process.exit(1);
}
if (step('unused files, exports and dependencies (knip)', bin('knip'), ['--no-progress', '--cache']) !== 0) {
  console.error('[run] knip found unused code or dependencies (knip.jsonc says where it starts)');
  console.log('0 passed, 1 failed');
  process.exit(1);
}

// No known high or critical advisory in production dependencies; an unreachable advisory
// endpoint is reported as SKIPPED, not failed (docs/adr/0008-dependency-audit.md).
if (
  step('dependency audit (pnpm audit --prod --audit-level high)', process.execPath, [
    path.join(root, 'tools/dependency-audit.mjs'),
  ]) !== 0
) {
  console.error('[run] dependency audit failed');
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const outDir = path.join(root, '.test-results');
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const report = path.join(outDir, 'vitest.json');
const status = step('tests (vitest run)', bin('vitest'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
  ...process.argv.slice(2),
]);

let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const json = JSON.parse(readFileSync(report, 'utf8'));
  passed = json.numPassedTests ?? 0;
  failed = json.numFailedTests ?? 0;
  skipped = (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0);
  // A file that failed to load has no tests in the count; count it as a failure.
  for (const file of json.testResults ?? []) {
    if (file.status === 'failed' && (file.assertionResults ?? []).every((a) => a.status !== 'failed')) failed++;
  }
} catch {
  failed = Math.max(failed, 1);
}
if (status !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(status === 0 && failed === 0 ? 0 : 1);
