import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { migrationsDir, useTestDatabase } from '@wabot/testing';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { applyMigrations } from './index.js';

const schema = readFileSync(path.resolve(import.meta.dirname, '../../../prisma/schema.prisma'), 'utf8');

/** Tables and columns the Prisma schema declares (model @@map and field @map names). */
function expectedTables(): Map<string, Set<string>> {
  const tables = new Map<string, Set<string>>();
  const enums = new Set([...schema.matchAll(/^enum (\w+)/gm)].map((m) => m[1]));
  const models = new Set([...schema.matchAll(/^model (\w+)/gm)].map((m) => m[1]));
  for (const block of schema.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
    const body = block[2] ?? '';
    const table = /@@map\("([^"]+)"\)/.exec(body)?.[1] ?? block[1] ?? '';
    const columns = new Set<string>();
    for (const line of body.split('\n')) {
      const field = /^\s+(\w+)\s+(\w+)(\[\])?(\?)?(.*)$/.exec(line);
      if (!field) continue;
      const [, name = '', type = '', list, , rest = ''] = field;
      if (list || (models.has(type) && !enums.has(type))) continue; // relation fields have no column
      columns.add(/@map\("([^"]+)"\)/.exec(rest)?.[1] ?? name);
    }
    tables.set(table, columns);
  }
  return tables;
}

describe('migrations vs. schema.prisma', () => {
  const database = useTestDatabase();

  it('migrated tables and columns match the models and fields exactly', async () => {
    const client = new pg.Client({ connectionString: database.current.url });
    await client.connect();
    try {
      const rows = await client.query<{ table_name: string; column_name: string }>(
        `SELECT table_name, column_name FROM information_schema.columns
          WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
      );
      const actual = new Map<string, Set<string>>();
      for (const row of rows.rows) {
        if (!actual.has(row.table_name)) actual.set(row.table_name, new Set());
        actual.get(row.table_name)?.add(row.column_name);
      }
      const expected = expectedTables();
      expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
      for (const [table, columns] of expected) {
        expect([...(actual.get(table) ?? [])].sort(), `columns of ${table}`).toEqual([...columns].sort());
      }
    } finally {
      await client.end();
    }
  });

  it('records migrations the way prisma migrate deploy does, and re-running is a no-op', async () => {
    const client = new pg.Client({ connectionString: database.current.url });
    await client.connect();
    try {
      const recorded = await client.query(
        'SELECT migration_name, checksum, finished_at, applied_steps_count FROM _prisma_migrations',
      );
      expect(recorded.rowCount).toBeGreaterThan(0);
      for (const row of recorded.rows) {
        const sql = readFileSync(path.join(migrationsDir, row.migration_name, 'migration.sql'));
        const { createHash } = await import('node:crypto');
        expect(row.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
        expect(row.finished_at).toBeInstanceOf(Date);
        expect(row.applied_steps_count).toBe(1);
      }
    } finally {
      await client.end();
    }
    const again = await applyMigrations(database.current.url, migrationsDir);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toBeGreaterThan(0);
  });

  it('the generated client reads and writes every model against the migrated database', async () => {
    const db = database.current.db;
    const workspace = await db.workspace.create({ data: { name: 'Acme' } });
    await db.membership.create({ data: { workspaceId: workspace.id, userId: 'alice', role: 'owner' } });
    const bot = await db.bot.create({
      data: {
        id: `bt_${randomUUID().slice(0, 8)}`,
        workspaceId: workspace.id,
        name: 'Support',
        phoneNumberId: '106000000000001',
        accessTokenCipher: 'v1:x:y:z:w',
        verifyTokenCipher: 'v1:x:y:z:w',
        settings: { rate_limit_per_second: 10 },
      },
    });
    const conversation = await db.conversation.create({
      data: { botId: bot.id, userKey: '15557654321', waId: '15557654321' },
    });
    const inbound = await db.message.create({
      data: {
        botId: bot.id,
        conversationId: conversation.id,
        direction: 'inbound',
        metaMessageId: 'wamid.1',
        type: 'text',
        text: 'hi',
        status: 'received',
      },
    });
    await db.message.create({
      data: {
        botId: bot.id,
        conversationId: conversation.id,
        direction: 'outbound',
        type: 'text',
        status: 'pending',
        replyToId: inbound.id,
        partIndex: 0,
      },
    });
    await db.auditLog.create({
      data: { workspaceId: workspace.id, actor: 'alice', action: 'bot.create', botId: bot.id },
    });

    await expect(
      db.message.create({
        data: {
          botId: bot.id,
          conversationId: conversation.id,
          direction: 'inbound',
          metaMessageId: 'wamid.1',
          type: 'text',
          status: 'received',
        },
      }),
    ).rejects.toThrow();
    expect(await db.message.count({ where: { conversationId: conversation.id } })).toBe(2);
    expect(await db.auditLog.count()).toBe(1);
    expect(await db.membership.count()).toBe(1);
  });

  it('allows one active bot per phone number id', async () => {
    const db = database.current.db;
    const workspace = await db.workspace.create({ data: { name: 'Dup' } });
    const data = {
      workspaceId: workspace.id,
      name: 'x',
      phoneNumberId: '555000111',
      accessTokenCipher: 'c',
      verifyTokenCipher: 'c',
      status: 'active' as const,
    };
    await db.bot.create({ data: { ...data, id: 'bt_dup_1' } });
    await expect(db.bot.create({ data: { ...data, id: 'bt_dup_2' } })).rejects.toThrow();
    await db.bot.create({ data: { ...data, id: 'bt_dup_3', status: 'inactive' } });
  });
});
