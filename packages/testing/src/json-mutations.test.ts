import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonMutationsArbitrary, mutateJson } from './json-mutations.js';

const document = { object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'messages' }] }] };

describe('mutateJson', () => {
  it('applies each kind of mutation, leaving the original alone', () => {
    const original = structuredClone(document);
    expect(mutateJson(document, [{ at: 0, op: 'set', value: 7 }])).toEqual({ ...document, object: 7 });
    expect(mutateJson(document, [{ at: 0, op: 'delete', value: null }])).toEqual({ entry: document.entry });
    expect(mutateJson(document, [{ at: 1, op: 'duplicate', value: null }])).toMatchObject({
      entry: [{ id: '1' }, { id: '1' }],
    });
    expect(mutateJson(document, [{ at: 0, op: 'wrap', value: null }])).toMatchObject({
      object: ['whatsapp_business_account'],
    });
    // `__proto__` becomes an own key, serialized like any other; the prototype is untouched.
    const proto = mutateJson(document, [{ at: 2, op: 'proto', value: { admin: true } }]);
    expect(JSON.stringify(proto)).toContain('"__proto__":{"admin":true}');
    expect(Object.getPrototypeOf((proto as { entry: object[] }).entry[0])).toBe(Object.prototype);
    expect(document).toEqual(original);
  });

  it('never throws and always yields serializable JSON (any mutation list, any order)', () => {
    fc.assert(
      fc.property(jsonMutationsArbitrary(8), (mutations) => {
        const mutated = mutateJson(document, mutations);
        expect(JSON.parse(JSON.stringify(mutated))).toBeDefined();
      }),
      { numRuns: 500 },
    );
  });
});
