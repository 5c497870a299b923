import { describe, expect, it } from 'vitest';
import { createRequestIdGenerator } from './request-ids.js';

describe('createRequestIdGenerator', () => {
  it('hands out distinct ids within a process and across processes', () => {
    const first = createRequestIdGenerator();
    const second = createRequestIdGenerator();
    const ids = [...Array.from({ length: 1000 }, first), ...Array.from({ length: 1000 }, second)];
    expect(new Set(ids).size).toBe(2000);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{8}-[0-9a-z]+$/);
  });
});
