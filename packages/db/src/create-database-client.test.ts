import { createCaptureStream, createLogger } from '@wabot/logger';
import { describe, expect, it } from 'vitest';
import { createSqlPool } from './create-database-client.js';

describe('createSqlPool', () => {
  it('logs connection errors once per state change: again only after a connection was made', async () => {
    const out = createCaptureStream();
    // Never queried: the pool opens no connection, the events below stand in for real ones.
    const pool = createSqlPool('postgresql://postgres@127.0.0.1:1/none', {
      max: 1,
      logger: createLogger({ name: 'db', destination: out }),
    });
    try {
      pool.emit('error', new Error('terminating connection due to administrator command'));
      pool.emit('error', new Error('Connection terminated unexpectedly'));
      pool.emit('connect');
      pool.emit('error', new Error('connection refused again'));
      const entries = out.entries();
      expect(entries.map((e) => [e.level, e.connection])).toEqual([
        ['warn', 'pg pool'],
        ['info', 'pg pool'],
        ['warn', 'pg pool'],
      ]);
      expect(JSON.stringify(entries[0])).toContain('administrator command');
    } finally {
      await pool.end();
    }
  });

  it('without a logger keeps pool errors from crashing the process', async () => {
    const pool = createSqlPool('postgresql://postgres@127.0.0.1:1/none', { max: 1 });
    try {
      expect(() => pool.emit('error', new Error('dropped'))).not.toThrow();
    } finally {
      await pool.end();
    }
  });
});
