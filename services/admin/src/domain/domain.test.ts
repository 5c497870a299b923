import { describe, expect, it } from 'vitest';
import { botIdPattern, createBotId } from './bot-id.js';
import { decodeCursor, encodeCursor, toPage } from './keyset-pagination.js';
import { toWindowState } from './window-state.js';

describe('createBotId', () => {
  it('makes bt_ + 20 lowercase alphanumerics, all different', () => {
    const ids = new Set(Array.from({ length: 500 }, createBotId));
    expect(ids.size).toBe(500);
    for (const id of ids) expect(id).toMatch(botIdPattern);
  });
});

describe('cursor', () => {
  it('round-trips and rejects tokens that are not ours', () => {
    const at = new Date('2026-01-02T03:04:05.678Z');
    expect(decodeCursor(encodeCursor({ at, id: 'abc' }))).toEqual({ at, id: 'abc' });
    expect(decodeCursor(undefined)).toBeUndefined();
    expect(() => decodeCursor('nope')).toThrow(/invalid cursor/);
    expect(() => decodeCursor(Buffer.from('["x","y"]').toString('base64url'))).toThrow(/invalid cursor/);
  });

  it('pages: a next cursor only when more rows exist', () => {
    const rows = [1, 2, 3].map((n) => ({ at: new Date(n), id: String(n) }));
    expect(toPage(rows, 2, (r) => r).nextCursor).toBe(encodeCursor(rows[1] ?? { at: new Date(0), id: '' }));
    expect(toPage(rows, 3, (r) => r)).toEqual({ items: rows, nextCursor: null });
  });
});

describe('toWindowState', () => {
  const now = Date.parse('2026-05-01T12:00:00Z');
  it('is open for 24 h after the last inbound message', () => {
    expect(toWindowState(new Date(now - 23 * 3600_000), now)).toEqual({
      open: true,
      expires_at: '2026-05-01T13:00:00.000Z',
      closed_by_meta_at: null,
    });
    expect(toWindowState(new Date(now - 24 * 3600_000), now).open).toBe(false);
    expect(toWindowState(null, now)).toEqual({ open: false, expires_at: null, closed_by_meta_at: null });
  });

  it("is closed after Meta's 131047, until a newer inbound message", () => {
    const lastInbound = new Date(now - 3600_000);
    const refused = new Date(now - 60_000);
    expect(toWindowState(lastInbound, now, refused)).toEqual({
      open: false,
      expires_at: '2026-05-02T11:00:00.000Z',
      closed_by_meta_at: refused.toISOString(),
    });
    // The user wrote again after the refusal: open again.
    expect(toWindowState(new Date(now - 1_000), now, refused)).toMatchObject({ open: true, closed_by_meta_at: null });
  });
});
