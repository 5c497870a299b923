import type { Cursor, KeysetField, KeysetPage } from '@wabot/db';
import { badRequest } from './api-error.js';

/** An opaque page token for {@link Cursor}. */
export function encodeCursor(cursor: Cursor): string {
  const value = [cursor.at.toISOString(), cursor.id, ...(cursor.part === undefined ? [] : [cursor.part])];
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** Reads a page token; a token that is not ours is a 400 naming the `cursor` parameter. */
export function decodeCursor(token: string | undefined): Cursor | undefined {
  if (!token) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (Array.isArray(value) && typeof value[0] === 'string' && typeof value[1] === 'string') {
      const at = new Date(value[0]);
      const part: unknown = value[2];
      if (!Number.isNaN(at.getTime())) {
        if (part === undefined) return { at, id: value[1] };
        if (Number.isInteger(part) && typeof part === 'number') return { at, id: value[1], part };
      }
    }
  } catch {
    // fall through to the 400 below
  }
  throw badRequest('invalid cursor: pass the next_cursor value of the previous page', {
    fields: [{ field: 'cursor', message: 'is not a valid page token' }],
  });
}

/**
 * Splits `rows` fetched with `limit + 1` into the page and the token of the next one.
 * `key` gives each row's ordering time and id.
 */
export function toPage<T>(
  rows: T[],
  limit: number,
  key: (row: T) => Cursor,
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(key(last)) : null };
}

/** One page of a list: what the repository fetches (one row more than the page) and how to cut what came back. */
export interface Keyset<F extends KeysetField> extends KeysetPage {
  toPage<T extends { [K in F]: Date } & { id: string }>(rows: T[]): { items: T[]; nextCursor: string | null };
}

/**
 * The one keyset rule of every list: order by (`field` desc, id desc) (the repositories' `keysetArgs`)
 * and start strictly after the position in `token` (a malformed token is a 400 naming `cursor`,
 * before any query runs).
 */
export function keysetPage<F extends KeysetField>(field: F, token: string | undefined, limit: number): Keyset<F> {
  return {
    after: decodeCursor(token),
    // One more than the page, so toPage knows whether a next page exists.
    take: limit + 1,
    toPage: (rows) => toPage(rows, limit, (row) => ({ at: row[field], id: row.id })),
  };
}
