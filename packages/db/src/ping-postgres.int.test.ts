import { useTestDatabase } from '@wabot/testing';
import { describe, expect, it } from 'vitest';
import { pingPostgres } from './index.js';

const database = useTestDatabase();

describe('pingPostgres', () => {
  it('is true for a reachable database', async () => {
    expect(await pingPostgres(database.current.db)).toBe(true);
  });

  it('is false, without throwing, when the query fails', async () => {
    const failing = { $queryRaw: () => Promise.reject(new Error('connection refused')) } as never;
    expect(await pingPostgres(failing)).toBe(false);
  });
});
