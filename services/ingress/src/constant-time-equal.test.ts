import { describe, expect, it } from 'vitest';
import { constantTimeEqual } from './constant-time-equal.js';

describe('constantTimeEqual', () => {
  it('is exact and case-sensitive, whatever the lengths', () => {
    expect(constantTimeEqual('Verify-Token', 'Verify-Token')).toBe(true);
    expect(constantTimeEqual('verify-token', 'Verify-Token')).toBe(false);
    expect(constantTimeEqual('Verify-Token ', 'Verify-Token')).toBe(false);
    expect(constantTimeEqual('', 'Verify-Token')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
  });
});
