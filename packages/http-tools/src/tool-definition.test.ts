import { describe, expect, it } from 'vitest';
import { toolHeadersSchema, toolNameSchema, toolParametersSchema, toolUrlSchema } from './tool-definition.js';
import { compileToolParameters } from './tool-parameters.js';

const orderSchema = {
  type: 'object',
  properties: { order_id: { type: 'string', pattern: '^[0-9]+$' }, verbose: { type: 'boolean' } },
  required: ['order_id'],
  additionalProperties: false,
};

describe('compileToolParameters', () => {
  it('validates arguments against the schema and names the bad one', () => {
    const compiled = compileToolParameters(orderSchema);
    if (!compiled.ok) throw new Error(compiled.error);
    expect(compiled.validate({ order_id: '123' })).toBeNull();
    expect(compiled.validate({ order_id: 123 })).toBe('arguments/order_id must be string');
    expect(compiled.validate({})).toBe("arguments must have required property 'order_id'");
    expect(compiled.validate({ order_id: '1', extra: 1 })).toBe('arguments must NOT have additional properties');
  });

  it('accepts draft-07 and 2020-12 schemas, with annotations it does not know', () => {
    for (const $schema of ['http://json-schema.org/draft-07/schema#', 'https://json-schema.org/draft/2020-12/schema'])
      expect(compileToolParameters({ ...orderSchema, $schema, example: { order_id: '1' } }).ok).toBe(true);
  });

  it.each([
    [[], 'must be a JSON Schema object'],
    [{ type: 'string' }, 'must be an object schema'],
    [{ type: 'object', properties: { a: { type: 'strnig' } } }, 'is not a valid JSON Schema'],
    [{ type: 'object', required: 'a' }, 'is not a valid JSON Schema'],
    [{ type: 'object', $schema: 'http://json-schema.org/draft-04/schema#' }, '$schema must be'],
    [{ type: 'object', description: 'x'.repeat(20_000) }, 'at most 16384 bytes'],
  ])('refuses %j', (schema, error) => {
    const compiled = compileToolParameters(schema);
    expect(compiled.ok).toBe(false);
    if (!compiled.ok) expect(compiled.error).toContain(error);
  });

  it('compiles the same schema once and keeps answering for it', () => {
    const a = compileToolParameters(structuredClone(orderSchema));
    const b = compileToolParameters(structuredClone(orderSchema));
    if (!a.ok || !b.ok) throw new Error('not compiled');
    expect(b.validate({ order_id: 'x' })).toContain('must match pattern');
  });
});

describe('tool definition schemas', () => {
  it('takes function names only', () => {
    expect(toolNameSchema.safeParse('lookup_order-2').success).toBe(true);
    for (const name of ['', 'with space', 'ü', 'a'.repeat(65), 'a.b'])
      expect(toolNameSchema.safeParse(name).success, name).toBe(false);
  });

  it('takes absolute http(s) URLs without credentials', () => {
    expect(toolUrlSchema.safeParse('https://api.example.com/orders?x=1').success).toBe(true);
    for (const url of ['/orders', 'ftp://example.com/', 'file:///etc/passwd', 'https://user:pw@example.com/'])
      expect(toolUrlSchema.safeParse(url).success, url).toBe(false);
  });

  it('takes header names and values that cannot inject or override the request framing', () => {
    expect(toolHeadersSchema.safeParse({ Authorization: 'Bearer abc', 'X-Api-Key': 'k' }).success).toBe(true);
    for (const headers of [
      { 'Bad Name': 'x' },
      { 'X-A': 'a\r\nX-Injected: 1' },
      { Host: 'internal' },
      { 'Content-Length': '1' },
      { 'X-A': '' },
      { 'x-a': '1', 'X-A': '2' },
    ])
      expect(toolHeadersSchema.safeParse(headers).success, JSON.stringify(headers)).toBe(false);
  });

  it('takes a JSON Schema and reports why another is not one', () => {
    expect(toolParametersSchema.safeParse(orderSchema).success).toBe(true);
    const bad = toolParametersSchema.safeParse({ type: 'object', properties: 'nope' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toContain('is not a valid JSON Schema');
  });
});
