import { describe, expect, it } from 'vitest';
import { chunkCutStrategies, chunkText, WHATSAPP_TEXT_LIMIT } from './chunk-text.js';

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Deterministic PRNG (mulberry32) so a failing case can be replayed from its seed. */
function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ATOMS: readonly [string, ...string[]] = [
  'hello',
  'world',
  'WhatsApp',
  'café',
  'e\u0301',
  'a\u0308\u0323',
  '日本語テキスト',
  '中文',
  'مرحبا',
  '👍',
  '👋🏽',
  '👨‍👩‍👧‍👦',
  '🏳️‍🌈',
  '🇩🇪',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  '—',
  '…',
];
const SEPARATORS: readonly [string, ...string[]] = [' ', ' ', ' ', ' ', '\n', '\n\n', '  ', '\t', '\r\n', ' \n\n '];

function randomText(random: () => number, targetLength: number): string {
  const pick = <T>(items: readonly [T, ...T[]]): T => items[Math.floor(random() * items.length)] ?? items[0];
  let text = '';
  while (text.length < targetLength) {
    const roll = random();
    if (roll < 0.05) {
      // A long word, sometimes longer than small limits.
      text += pick(ATOMS).repeat(1 + Math.floor(random() * 60));
    } else {
      const wordLength = 1 + Math.floor(random() * 4);
      for (let i = 0; i < wordLength; i++) text += pick(ATOMS);
    }
    text += pick(SEPARATORS);
  }
  return random() < 0.5 ? text.trim() : text;
}

function boundariesOf(text: string): Set<number> {
  const set = new Set<number>([text.length]);
  for (const { index } of graphemes.segment(text)) set.add(index);
  return set;
}

/** Checks every property of the contract and returns the offsets where parts start. */
function checkParts(text: string, parts: string[], limit: number): void {
  const boundaries = boundariesOf(text);
  let offset = 0;
  for (const [i, part] of parts.entries()) {
    expect(part.length, `part ${i} length`).toBeLessThanOrEqual(limit);
    expect(part.trim(), `part ${i} is blank`).not.toBe('');
    const at = text.indexOf(part, offset);
    expect(at, `part ${i} is not the next substring`).toBeGreaterThanOrEqual(offset);
    // What lies between two parts is whitespace only (dropped at the split point).
    expect(text.slice(offset, at).trim(), `gap before part ${i}`).toBe('');
    expect(boundaries.has(at), `part ${i} starts inside a grapheme`).toBe(true);
    expect(boundaries.has(at + part.length), `part ${i} ends inside a grapheme`).toBe(true);
    offset = at + part.length;
  }
  expect(text.slice(offset).trim(), 'text after the last part').toBe('');
  const squash = (s: string) => s.replace(/\s+/gu, '');
  expect(parts.map(squash).join('')).toBe(squash(text));
}

describe('chunkText', () => {
  it('returns short text unchanged and nothing for blank text', () => {
    expect(chunkText('Hello there')).toEqual(['Hello there']);
    expect(chunkText('x'.repeat(WHATSAPP_TEXT_LIMIT))).toEqual(['x'.repeat(WHATSAPP_TEXT_LIMIT)]);
    expect(chunkText('')).toEqual([]);
    expect(chunkText(' \n\t\r\n ')).toEqual([]);
    expect(WHATSAPP_TEXT_LIMIT).toBe(4096);
  });

  it('splits at word boundaries', () => {
    expect(chunkText('hello world foo bar', 11)).toEqual(['hello world', 'foo bar']);
    expect(chunkText('aaa bbb ccc ddd', 8)).toEqual(['aaa bbb', 'ccc ddd']);
  });

  it('prefers a paragraph break, then a line break, when it keeps the part at least half full', () => {
    const paragraph = `${'a'.repeat(60)}\n\n${'b '.repeat(30)}${'c '.repeat(30)}`;
    expect(chunkText(paragraph, 100)[0]).toBe('a'.repeat(60));
    const line = `${'a'.repeat(30)} ${'a'.repeat(29)}\n${'b '.repeat(50)}`;
    expect(chunkText(line, 100)[0]).toBe(`${'a'.repeat(30)} ${'a'.repeat(29)}`);
    // A paragraph break in the first half is not worth a tiny message: fill up to a word break instead.
    const early = `${'a'.repeat(10)}\n\n${'b '.repeat(100)}`;
    expect(chunkText(early, 100)[0]?.length).toBeGreaterThan(90);
  });

  it('cuts a word longer than the limit hard', () => {
    expect(chunkText('x'.repeat(25), 10)).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
    expect(chunkText(`ab ${'x'.repeat(12)} cd`, 10)).toEqual(['ab', 'x'.repeat(10), 'xx cd']);
  });

  it('never splits a surrogate pair, a ZWJ sequence, a skin tone or a combining mark', () => {
    const family = '👨‍👩‍👧‍👦'; // 11 code units
    expect(chunkText(family.repeat(3), 12)).toEqual([family, family, family]);
    expect(chunkText('👋🏽'.repeat(5), 9)).toEqual(['👋🏽👋🏽', '👋🏽👋🏽', '👋🏽']);
    expect(chunkText('𝔘'.repeat(5), 3)).toEqual(['𝔘', '𝔘', '𝔘', '𝔘', '𝔘']);
    expect(chunkText('e\u0301'.repeat(4), 3)).toEqual(['e\u0301', 'e\u0301', 'e\u0301', 'e\u0301']);
    // A space carrying a combining mark is not a break point.
    expect(chunkText('abc \u0301def ghi', 9)).toEqual(['abc \u0301def', 'ghi']);
  });

  it('cuts a single grapheme cluster longer than the limit at code point boundaries', () => {
    const family = '👨‍👩‍👧‍👦';
    const parts = chunkText(family, 4);
    expect(parts.join('')).toBe(family);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(4);
      expect(part.isWellFormed()).toBe(true);
    }
  });

  it('does not break at no-break spaces', () => {
    expect(chunkText('aaaa\u00a0bbbb cc', 10)).toEqual(['aaaa\u00a0bbbb', 'cc']);
  });

  it('keeps Meta-length replies whole at 4096 and splits 10k of prose into ordered parts', () => {
    const sentence = 'The quick brown fox jumps over the lazy dog. ';
    const text = sentence.repeat(Math.ceil(10_000 / sentence.length));
    const parts = chunkText(text);
    expect(parts.length).toBe(3);
    checkParts(text, parts, WHATSAPP_TEXT_LIMIT);
  });

  it('rejects a limit that cannot hold a surrogate pair', () => {
    expect(() => chunkText('abc', 1)).toThrow(RangeError);
    expect(() => chunkText('abc', 2.5)).toThrow(RangeError);
  });

  it('holds its properties on random texts (emoji, ZWJ, skin tones, CJK, combining marks, long words)', () => {
    const limits = [12, 16, 25, 40, 100, 333, WHATSAPP_TEXT_LIMIT];
    for (let seed = 1; seed <= 300; seed++) {
      const random = rng(seed);
      const limit = limits[seed % limits.length] ?? WHATSAPP_TEXT_LIMIT;
      const text = randomText(random, Math.floor(limit * (0.5 + random() * 5)));
      const parts = chunkText(text, limit);
      try {
        checkParts(text, parts, limit);
      } catch (error) {
        throw new Error(`seed ${seed}, limit ${limit}: ${String(error)}`);
      }
    }
  });

  it('chooses, on its fast path, exactly the cut the grapheme-by-grapheme path chooses', () => {
    const limits = [12, 16, 25, 40, 100, 333, WHATSAPP_TEXT_LIMIT];
    let fastCuts = 0;
    for (let seed = 2000; seed < 2300; seed++) {
      const random = rng(seed);
      const limit = limits[seed % limits.length] ?? WHATSAPP_TEXT_LIMIT;
      const text = randomText(random, Math.floor(limit * (1.2 + random() * 3)));
      if (text.length <= limit) continue;
      const fast = chunkCutStrategies.fast(text, limit);
      if (fast === null) continue;
      fastCuts++;
      expect(fast, `seed ${seed}, limit ${limit}`).toBe(chunkCutStrategies.exact(text, limit));
    }
    // The fast path must actually be taken for most texts, or it buys nothing.
    expect(fastCuts).toBeGreaterThan(150);
  });

  it('only cuts inside a word when the word does not fit', () => {
    for (let seed = 1000; seed < 1100; seed++) {
      const random = rng(seed);
      const limit = 40;
      const text = randomText(random, 400);
      const parts = chunkText(text, limit);
      let offset = 0;
      for (const [i, part] of parts.entries()) {
        const at = text.indexOf(part, offset);
        offset = at + part.length;
        const next = parts[i + 1];
        if (next === undefined) break;
        const cutInsideWord = text.indexOf(next, offset) === offset;
        // A hard cut means the part had no break point after its start.
        if (cutInsideWord) expect(/\s/u.test(part.trim()), `seed ${seed} part ${i}`).toBe(false);
      }
    }
  });
});
