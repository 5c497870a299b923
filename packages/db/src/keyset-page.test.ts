import { describe, expect, it } from 'vitest';
import { keysetArgs } from './keyset-page.js';

describe('keysetArgs', () => {
  const at = new Date('2026-01-02T03:04:05.678Z');

  it('without a cursor: no filter, newest first by the given column then id', () => {
    expect(keysetArgs('createdAt', { take: 51 })).toEqual({
      where: {},
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: 51,
    });
    expect(keysetArgs('lastMessageAt', { take: 2 }).orderBy).toEqual([{ lastMessageAt: 'desc' }, { id: 'desc' }]);
  });

  it('with a cursor: strictly after (time, id), ties broken by id', () => {
    const args = keysetArgs('lastMessageAt', { after: { at, id: 'c_5' }, take: 11 });
    expect(args.where).toEqual({ OR: [{ lastMessageAt: { lt: at } }, { lastMessageAt: at, id: { lt: 'c_5' } }] });
    expect(args.take).toBe(11);
  });
});
