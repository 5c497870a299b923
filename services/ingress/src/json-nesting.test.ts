import { loadMetaFixtures } from '@wabot/testing';
import { describe, expect, it } from 'vitest';
import { exceedsNestingDepth } from './json-nesting.js';

describe('exceedsNestingDepth', () => {
  const depth = (text: string, limit: number) => exceedsNestingDepth(Buffer.from(text), limit);

  it('counts object and array nesting', () => {
    expect(depth('{"a":[{"b":[1]}]}', 4)).toBe(false);
    expect(depth('{"a":[{"b":[1]}]}', 3)).toBe(true);
    expect(depth('['.repeat(100_000), 64)).toBe(true);
    expect(depth('[]'.repeat(1000), 1)).toBe(false);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(depth('{"a":"[[[[{{{{"}', 1)).toBe(false);
    // JSON text {"a":"\\"}: the string holds one backslash, then ends.
    expect(depth(String.raw`{"a":"\\"}`, 1)).toBe(false);
    expect(depth(String.raw`{"a":"\\\"[[[["}`, 1)).toBe(false);
    expect(depth(String.raw`{"a":"\\",  "b":[[1]]}`, 2)).toBe(true);
  });

  it('accepts every Meta fixture at the ingress limit', () => {
    for (const fixture of loadMetaFixtures()) expect(exceedsNestingDepth(fixture.body, 64), fixture.name).toBe(false);
  });
});
