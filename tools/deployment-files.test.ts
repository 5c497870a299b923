import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// No Docker engine runs where the tests run, so these checks keep the Dockerfile and
// docker-compose.yml in step with the workspace they build.
const root = path.resolve(import.meta.dirname, '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

function workspacePackageDirs(): string[] {
  const globs = [...read('pnpm-workspace.yaml').matchAll(/^\s+- (\S+)$/gm)]
    .map((m) => m[1] ?? '')
    .filter((g) => g && !g.includes(':'));
  const dirs: string[] = [];
  for (const glob of globs) {
    if (glob.endsWith('/*')) {
      const parent = glob.slice(0, -2);
      for (const name of readdirSync(path.join(root, parent))) {
        if (existsSync(path.join(root, parent, name, 'package.json'))) dirs.push(`${parent}/${name}`);
      }
    } else if (existsSync(path.join(root, glob, 'package.json'))) dirs.push(glob);
  }
  return dirs;
}

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');

  it('copies every workspace package.json before the frozen install', () => {
    const dirs = workspacePackageDirs();
    expect(dirs.length).toBeGreaterThan(10);
    for (const dir of dirs) expect(dockerfile, dir).toContain(`COPY ${dir}/package.json ${dir}/`);
  });

  it('runs as a non-root user on Node 24', () => {
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('FROM '));
    expect(runtime).toMatch(/^FROM node:24/);
    expect(runtime).toMatch(/^USER node$/m);
  });
});

describe('docker-compose.yml', () => {
  const compose = read('docker-compose.yml');

  it('runs redis, postgres, ingress, admin and a scalable worker from built entry points', () => {
    for (const service of ['redis', 'postgres', 'migrate', 'ingress', 'admin', 'worker']) {
      expect(compose, service).toMatch(new RegExp(`^  ${service}:$`, 'm'));
    }
    for (const name of ['ingress', 'admin', 'worker']) {
      expect(compose).toContain(`services/${name}/dist/main.js`);
      expect(existsSync(path.join(root, `services/${name}/src/main.ts`))).toBe(true);
    }
    expect(compose).toMatch(/worker:[\s\S]*deploy:\s*\n\s+replicas: \d+/);
    expect(existsSync(path.join(root, 'tools/migrate.mjs'))).toBe(true);
  });

  it('requires the production secrets instead of shipping defaults', () => {
    expect(compose).toMatch(/SECRETS_KEY: \$\{SECRETS_KEY:\?/);
    expect(compose).toMatch(/JWT_SECRET: \$\{JWT_SECRET:\?/);
    expect(compose).toMatch(/NODE_ENV: production/);
  });
});
