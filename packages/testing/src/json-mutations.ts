import fc from 'fast-check';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** One change to a JSON document (a Meta webhook, an API body), at the `at`-th of its values (depth first, modulo their count). */
export interface JsonMutation {
  at: number;
  op: 'set' | 'delete' | 'null' | 'stringify' | 'wrap' | 'proto' | 'duplicate';
  value: Json;
}

/** Every value in a JSON document with its parent and key, depth first (the root excluded). */
function slots(root: Json): { parent: Json[] | { [key: string]: Json }; key: string | number }[] {
  const found: { parent: Json[] | { [key: string]: Json }; key: string | number }[] = [];
  const walk = (node: Json) => {
    if (Array.isArray(node))
      node.forEach((child, index) => {
        found.push({ parent: node, key: index });
        walk(child);
      });
    else if (node !== null && typeof node === 'object')
      for (const [key, child] of Object.entries(node)) {
        found.push({ parent: node, key });
        walk(child);
      }
  };
  walk(root);
  return found;
}

/**
 * `body` (parsed JSON: a Meta webhook, an API request body) with the mutations applied in order: values replaced by arbitrary
 * JSON, removed, nulled, turned into strings, wrapped in arrays, `__proto__` keys added, array
 * entries duplicated. The result is what a sender could post; the original is not changed.
 */
export function mutateJson(body: unknown, mutations: readonly JsonMutation[]): Json {
  const root = structuredClone(body) as Json;
  for (const mutation of mutations) {
    const all = slots(root);
    const slot = all[mutation.at % Math.max(all.length, 1)];
    if (!slot) continue;
    const { parent, key } = slot;
    const current = (parent as Record<string | number, Json>)[key] ?? null;
    // An own property even for `__proto__` (assignment would set the prototype instead).
    const set = (value: Json) => {
      Object.defineProperty(parent, key, { value, enumerable: true, writable: true, configurable: true });
    };
    switch (mutation.op) {
      case 'set':
        set(structuredClone(mutation.value));
        break;
      case 'delete':
        if (Array.isArray(parent)) parent.splice(Number(key), 1);
        else delete parent[key];
        break;
      case 'null':
        set(null);
        break;
      case 'stringify':
        set(JSON.stringify(current));
        break;
      case 'wrap':
        set([current]);
        break;
      case 'proto':
        if (current !== null && typeof current === 'object' && !Array.isArray(current))
          Object.defineProperty(current, '__proto__', {
            value: structuredClone(mutation.value),
            enumerable: true,
            writable: true,
            configurable: true,
          });
        break;
      case 'duplicate':
        if (Array.isArray(current)) current.push(...structuredClone(current));
        break;
    }
  }
  return root;
}

/** Arbitrary mutation lists for {@link mutateJson} (fast-check): fuzzing that keeps most of a valid document's shape. */
export const jsonMutationsArbitrary = (maxLength = 6) =>
  fc.array(
    fc.record({
      at: fc.nat(),
      op: fc.constantFrom<JsonMutation['op']>('set', 'delete', 'null', 'stringify', 'wrap', 'proto', 'duplicate'),
      value: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
    }),
    { minLength: 1, maxLength },
  );
