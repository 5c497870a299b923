import { describe, expect, it } from 'vitest';
import {
  CUSTOMER_SERVICE_WINDOW_MS,
  customerServiceWindowClosesAt,
  isCustomerServiceWindowOpen,
} from './customer-service-window.js';

describe('customer-service window', () => {
  const last = new Date('2026-05-01T12:00:00.000Z');
  const at = (offsetMs: number) => last.getTime() + offsetMs;

  it('lasts 24 hours', () => {
    expect(CUSTOMER_SERVICE_WINDOW_MS).toBe(86_400_000);
    expect(customerServiceWindowClosesAt(last).toISOString()).toBe('2026-05-02T12:00:00.000Z');
  });

  it('is open up to the last millisecond and closed at exactly 24 h', () => {
    expect(isCustomerServiceWindowOpen(last, at(0))).toBe(true);
    expect(isCustomerServiceWindowOpen(last, at(CUSTOMER_SERVICE_WINDOW_MS - 1))).toBe(true);
    expect(isCustomerServiceWindowOpen(last, at(CUSTOMER_SERVICE_WINDOW_MS))).toBe(false);
    expect(isCustomerServiceWindowOpen(last, at(CUSTOMER_SERVICE_WINDOW_MS + 1))).toBe(false);
  });

  it('is closed when the user never wrote', () => {
    expect(isCustomerServiceWindowOpen(null, at(0))).toBe(false);
  });
});
