import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Data access has one owner (shared/STYLE.md: "packages/db — Prisma client factory and
// repositories; the only importer of Prisma"): services and the other packages call the
// repositories of @wabot/db, never Prisma itself. Tests may reach into the client to set up or
// assert; product code and test kits may not.

const root = path.resolve(import.meta.dirname, '..');

/** Every TypeScript source under `dir`, recursively, without generated code or build output. */
function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory())
      return ['node_modules', 'dist', 'generated'].includes(entry.name) ? [] : sourcesUnder(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

const workspaces = ['packages', 'services'].flatMap((group) =>
  readdirSync(path.join(root, group)).map((name) => ({
    name: `${group}/${name}`,
    src: path.join(root, group, name, 'src'),
  })),
);
const outsideDb = workspaces.filter((w) => w.name !== 'packages/db').flatMap((w) => sourcesUnder(w.src));
const isTest = (file: string) => /\.test\.ts$/.test(file);
const relative = (file: string) => path.relative(root, file);

// The model delegates of the generated client (`db.bot`, `tx.auditLog`, ...), named after the schema's models.
const models = [...readFileSync(path.join(root, 'prisma/schema.prisma'), 'utf8').matchAll(/^model (\w+) \{/gm)].map(
  ([, name = '']) => name.charAt(0).toLowerCase() + name.slice(1),
);
const delegateCall = new RegExp(
  `\\.(?:${models.join('|')})\\s*\\.\\s*(?:find\\w*|create\\w*|update\\w*|upsert|delete\\w*|count|aggregate|groupBy)\\s*\\(`,
);
const rawAccess = /\$(?:transaction|queryRaw|queryRawUnsafe|executeRaw|executeRawUnsafe)\b/;
const prismaImport = /(?:from|import)\s*\(?\s*'(@prisma\/[^']+|[^']*generated\/prisma[^']*)'/;

describe('data access', () => {
  it('finds the schema models and the sources it checks', () => {
    expect(models).toEqual(expect.arrayContaining(['bot', 'message', 'auditLog']));
    expect(outsideDb.filter((file) => !isTest(file)).length).toBeGreaterThan(50);
  });

  it('nothing outside packages/db imports Prisma or its generated client (tests included)', () => {
    const offenders = outsideDb.filter((file) => prismaImport.test(readFileSync(file, 'utf8'))).map(relative);
    expect(offenders).toEqual([]);
  });

  it('no service or package source outside packages/db calls a Prisma model delegate, $transaction or raw SQL (test kits included)', () => {
    const offenders = outsideDb
      .filter((file) => !isTest(file))
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .map((line, index) => ({ line, at: `${relative(file)}:${index + 1}` }))
          .filter(({ line }) => delegateCall.test(line) || rawAccess.test(line))
          .map(({ at, line }) => `${at}: ${line.trim()}`),
      );
    expect(offenders).toEqual([]);
  });

  it('the patterns catch what they are meant to catch', () => {
    expect(delegateCall.test('await db.bot.findFirst({ where })')).toBe(true);
    expect(delegateCall.test('tx.auditLog.create({ data })')).toBe(true);
    expect(delegateCall.test('options.db.workspace.create({ data: { name } })')).toBe(true);
    expect(delegateCall.test('repos.bots.findLive(id)')).toBe(false);
    expect(rawAccess.test('await db.$transaction(async (tx) => {})')).toBe(true);
    expect(rawAccess.test('db.$disconnect()')).toBe(false);
    expect(prismaImport.test("import { Prisma } from '@prisma/client';")).toBe(true);
    expect(prismaImport.test("import { PrismaClient } from '../generated/prisma/client.js';")).toBe(true);
    expect(prismaImport.test("import { createRepositories } from '@wabot/db';")).toBe(false);
  });
});
