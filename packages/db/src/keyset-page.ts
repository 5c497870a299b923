/**
 * Position in a list ordered by (time desc, id desc) — or (time desc, part desc, id desc) for a
 * conversation's messages, whose reply parts share one time: the last item of the previous page.
 */
export interface Cursor {
  at: Date;
  id: string;
  /** The part index of a reply part (-1 for other messages); only in message lists. */
  part?: number;
}

/** One page of a list ordered newest first (ties broken by id): rows strictly after `after`, at most `take`. */
export interface KeysetPage {
  after?: Cursor | undefined;
  take: number;
}

/** The time columns lists are ordered by. */
export type KeysetField = 'createdAt' | 'lastMessageAt';

interface KeysetArgs<F extends KeysetField> {
  where: { OR?: [{ [K in F]: { lt: Date } }, { [K in F]: Date } & { id: { lt: string } }] };
  orderBy: [{ [K in F]: 'desc' }, { id: 'desc' }];
  take: number;
}

/** The `findMany` arguments of one keyset page on `field` (spread `where` into the list's own filter). */
export function keysetArgs<F extends KeysetField>(field: F, page: KeysetPage): KeysetArgs<F>;
// The implementation's computed keys widen to a string index; the overload above states the shape.
export function keysetArgs(field: KeysetField, page: KeysetPage): { where: object; orderBy: object[]; take: number } {
  const { after } = page;
  return {
    where: after ? { OR: [{ [field]: { lt: after.at } }, { [field]: after.at, id: { lt: after.id } }] } : {},
    orderBy: [{ [field]: 'desc' }, { id: 'desc' }],
    take: page.take,
  };
}
