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

const readJson = (file: string): Record<string, unknown> => JSON.parse(read(file));

function serviceNames(): string[] {
  return workspacePackageDirs()
    .filter((dir) => dir.startsWith('services/'))
    .map((dir) => String(readJson(`${dir}/package.json`).name))
    .sort();
}

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const lines = dockerfile.split('\n');
  const indexOf = (pattern: RegExp) => lines.findIndex((line) => pattern.test(line));

  it('prunes the workspace to exactly the services, in docker mode', () => {
    const prune = lines.filter((line) => /^RUN turbo prune /.test(line));
    expect(prune).toHaveLength(1);
    const args = (prune[0] ?? '').replace(/^RUN turbo prune /, '').split(/\s+/);
    expect(args).toContain('--docker');
    expect(args.filter((arg) => !arg.startsWith('-')).sort()).toEqual(serviceNames());
    expect(serviceNames()).toHaveLength(3);
  });

  it('builds every service it pruned for', () => {
    const build = lines.find((line) => /turbo run build /.test(line)) ?? '';
    const filters = [...build.matchAll(/--filter=(\S+)/g)].map((m) => m[1]).sort();
    expect(filters).toEqual(serviceNames());
  });

  it('installs from the pruned manifests and lockfile before the sources arrive', () => {
    const json = indexOf(/^COPY --from=prune \/app\/out\/json\/ /);
    const install = indexOf(/^RUN pnpm install --frozen-lockfile$/);
    const full = indexOf(/^COPY --from=prune \/app\/out\/full\/ /);
    expect(json).toBeGreaterThan(indexOf(/^RUN turbo prune /));
    expect(install).toBeGreaterThan(json);
    expect(full).toBeGreaterThan(install);
    expect(indexOf(/^RUN pnpm install --frozen-lockfile --prod /)).toBeGreaterThan(full);
  });

  it('keeps no hand-written list of workspace packages', () => {
    expect(dockerfile).not.toMatch(/^COPY (packages|services|bench)\//m);
  });

  it('copies the root files prune leaves out: global dependencies, Prisma and the scripts it runs', () => {
    const turbo = readJson('turbo.json');
    const globals = Array.isArray(turbo.globalDependencies) ? turbo.globalDependencies : [];
    expect(globals).toContain('tsconfig.base.json');
    const copied = lines
      .filter((line) => /^COPY (?!--from)/.test(line))
      .flatMap((line) =>
        line
          .replace(/^COPY /, '')
          .split(/\s+/)
          .slice(0, -1),
      );
    for (const file of [...globals, 'prisma.config.ts', 'prisma/']) expect(copied, file).toContain(file);
    const scripts = [...`${dockerfile}\n${read('docker-compose.yml')}`.matchAll(/tools\/[\w-]+\.mjs/g)].map(
      (m) => m[0],
    );
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) {
      expect(copied, script).toContain(script);
      expect(existsSync(path.join(root, script)), script).toBe(true);
    }
  });

  it('uses the pnpm and turbo versions package.json pins', () => {
    const pkg = readJson('package.json');
    const turbo = JSON.stringify(pkg.devDependencies).match(/"turbo":"([^"]+)"/)?.[1];
    expect(turbo).toBeDefined();
    expect(dockerfile).toContain(`npm install -g ${String(pkg.packageManager)} turbo@${turbo}`);
  });

  it('runs as a non-root user on Node 24', () => {
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('FROM '));
    expect(runtime).toMatch(/^FROM node:24/);
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).not.toMatch(/^USER (root|0)\b/m);
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

  it('runs Redis durably: append-only, fsync before a write is confirmed, no eviction', () => {
    const redis = compose.slice(compose.indexOf('\n  redis:'), compose.indexOf('\n  postgres:'));
    expect(redis).toMatch(/"--appendonly", "yes"/);
    expect(redis).toMatch(/"--appendfsync", "always"/);
    expect(redis).toMatch(/"--maxmemory-policy", "noeviction"/);
  });

  it('requires the production secrets instead of shipping defaults', () => {
    expect(compose).toMatch(/SECRETS_KEY: \$\{SECRETS_KEY:\?/);
    expect(compose).toMatch(/JWT_SECRET: \$\{JWT_SECRET:\?/);
    expect(compose).toMatch(/NODE_ENV: production/);
  });
});
