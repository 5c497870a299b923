import { useTestDatabase } from '@wabot/testing';
import { describe, expect, it } from 'vitest';
import { pingPostgres } from './index.js';

const database = useTestDatabase();

describe('pingPostgres', () => {
  it('is true for a reachable database', async () => {
    expect(await pingPostgres(database.current.db)).toBe(true);
  });

  it('is false, without throwing, when the query fails or does not answer in time', async () => {
    const failing = { $queryRaw: () => Promise.reject(new Error('connection refused')) } as never;
    expect(await pingPostgres(failing)).toBe(false);
    const hanging = { $queryRaw: () => new Promise(() => {}) } as never;
    const started = Date.now();
    expect(await pingPostgres(hanging, 50)).toBe(false);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
