import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '..');

// The benchmark harness itself (not the benchmarks): ./run bench must still produce its files.
describe('bench harness smoke', () => {
  const out = mkdtempSync(path.join(os.tmpdir(), 'wabot-bench-smoke-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('runs the quick micro-benchmarks and writes the JSON results and the SVG plot', async () => {
    const { stdout } = await run(process.execPath, ['bench/run.mjs', '--quick', '--only', 'micro', '--out', out], {
      cwd: repoRoot,
      timeout: 20_000,
    });
    expect(stdout).toContain('chunkText short reply');
    const files = readdirSync(out);
    const json = files.find((f) => f.endsWith('.json'));
    const svg = files.find((f) => f.endsWith('.svg'));
    expect(json).toBeDefined();
    expect(svg).toBeDefined();
    const results = JSON.parse(readFileSync(path.join(out, json ?? ''), 'utf8'));
    expect(results.quick).toBe(true);
    expect(results.machine.cores).toBeGreaterThan(0);
    expect(results.benchmarks.micro.length).toBeGreaterThanOrEqual(5);
    for (const task of results.benchmarks.micro) expect(task.opsPerSecond).toBeGreaterThan(0);
    const plot = readFileSync(path.join(out, svg ?? ''), 'utf8');
    expect(plot).toMatch(/^<svg /);
    expect(plot).toContain('Hot-path micro-benchmarks');
  }, 25_000);
});
