import { describe, expect, it } from 'vitest';
import { ApiError } from './api-error.js';
import { encodeCursor, keysetPage } from './keyset-pagination.js';

describe('keysetPage', () => {
  const at = new Date('2026-01-02T03:04:05.678Z');

  it('without a cursor: starts at the top, one row more than the page', () => {
    expect(keysetPage('createdAt', undefined, 50)).toMatchObject({ after: undefined, take: 51 });
    expect(keysetPage('lastMessageAt', '', 1)).toMatchObject({ after: undefined, take: 2 });
  });

  it('with a cursor: starts strictly after its (time, id)', () => {
    const page = keysetPage('lastMessageAt', encodeCursor({ at, id: 'c_5' }), 10);
    expect(page.after).toEqual({ at, id: 'c_5' });
  });

  it('cuts the extra row and hands out the cursor of the last row shown', () => {
    const rows = [3, 2, 1].map((n) => ({ createdAt: new Date(n), id: `r${n}` }));
    const page = keysetPage('createdAt', undefined, 2);
    expect(page.toPage(rows)).toEqual({
      items: rows.slice(0, 2),
      nextCursor: encodeCursor({ at: new Date(2), id: 'r2' }),
    });
    expect(keysetPage('createdAt', undefined, 3).toPage(rows)).toEqual({ items: rows, nextCursor: null });
    const next = keysetPage('createdAt', page.toPage(rows).nextCursor ?? '', 2);
    expect(next.after).toEqual({ at: new Date(2), id: 'r2' });
  });

  it.each([
    ['not base64 JSON', 'nope'],
    ['not a date', Buffer.from('["x","y"]').toString('base64url')],
    ['not a pair', Buffer.from('{"at":1}').toString('base64url')],
    ['id not a string', Buffer.from(JSON.stringify([at.toISOString(), 5])).toString('base64url')],
  ])('a malformed cursor (%s) is a 400 naming the cursor parameter', (_, token) => {
    let thrown: unknown;
    try {
      keysetPage('createdAt', token, 10);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ApiError);
    expect(thrown).toMatchObject({
      statusCode: 400,
      details: { fields: [{ field: 'cursor', message: 'is not a valid page token' }] },
    });
  });
});
