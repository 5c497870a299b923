import { describe, expect, it } from 'vitest';
import { chronological, deliveryOf, duration, laterStatus, windowOf } from './format';

const outbound = (status: string, error_code: number | null = null) => ({
  direction: 'outbound' as const,
  status,
  error_code,
  error_title: null,
});

describe('delivery in words', () => {
  it('gives ticks and words per status, failures explained', () => {
    expect(deliveryOf(outbound('sent'))).toMatchObject({ ticks: '✓', words: 'Sent' });
    expect(deliveryOf(outbound('delivered'))).toMatchObject({ ticks: '✓✓', words: 'Delivered' });
    expect(deliveryOf(outbound('read'))).toMatchObject({ ticks: '✓✓', tone: 'read' });
    expect(deliveryOf(outbound('failed', 131047))?.words).toMatch(/window is closed.*template/);
    expect(deliveryOf({ ...outbound('failed'), error_title: 'cancelled_by_handoff' })?.words).toMatch(/took over/);
    expect(deliveryOf({ direction: 'inbound', status: 'handled', error_code: null, error_title: null })).toBeNull();
  });

  it('never lets an older status undo a newer one', () => {
    expect(laterStatus('read', 'delivered')).toBe('read');
    expect(laterStatus('sent', 'delivered')).toBe('delivered');
    expect(laterStatus('delivered', 'failed')).toBe('failed');
  });
});

describe('window state', () => {
  const now = Date.parse('2026-12-01T12:00:00Z');
  it('says how long it stays open, and when it is closing', () => {
    const open = windowOf({ open: true, expires_at: '2026-12-01T13:30:00Z', closed_by_meta_at: null }, now);
    expect(open).toEqual({ open: true, words: 'Window open for 1 h 30 min', closingSoon: true });
    const wide = windowOf({ open: true, expires_at: '2026-12-02T11:00:00Z', closed_by_meta_at: null }, now);
    expect(wide.closingSoon).toBe(false);
    expect(windowOf({ open: false, expires_at: null, closed_by_meta_at: null }, now).words).toMatch(/template/);
  });
  it('formats durations', () => {
    expect(duration(30_000)).toBe('less than a minute');
    expect(duration(3_600_000)).toBe('1 h');
  });
});

describe('transcript order', () => {
  it('is oldest first, parts by index', () => {
    const at = '2026-12-01T12:00:00Z';
    const sorted = chronological([
      { id: 'c', created_at: at, part_index: 1 },
      { id: 'a', created_at: '2026-12-01T11:59:00Z', part_index: null },
      { id: 'b', created_at: at, part_index: 0 },
    ]);
    expect(sorted.map((m) => m.id)).toEqual(['a', 'b', 'c']);
  });
});
