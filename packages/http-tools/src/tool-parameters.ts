import { Ajv, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';

/** Largest `parameters` schema accepted, serialized: it is sent to the model on every turn. */
export const MAX_PARAMETERS_SCHEMA_BYTES = 16_384;

const DRAFT_2020 = 'https://json-schema.org/draft/2020-12/schema';
const DRAFT_07 = /^https?:\/\/json-schema\.org\/draft-07\/schema#?$/;

export type ToolParameters =
  | {
      ok: true;
      /** Null when `args` matches the schema, else the problems (`arguments/order_id must be string`). */
      validate: (args: unknown) => string | null;
    }
  | { ok: false; error: string };

// Draft-07 unless the schema names 2020-12. Not strict: schemas written for OpenAPI or a provider
// often carry annotations (example, x-…) that are harmless; formats are the remote API's business.
const options = { strict: false, allErrors: true, validateFormats: false, logger: false } as const;
let draft07: Ajv | undefined;
let draft2020: Ajv2020 | undefined;
const ajvFor = (dialect: unknown): Ajv | Ajv2020 => {
  if (dialect === DRAFT_2020) {
    draft2020 ??= new Ajv2020(options);
    return draft2020;
  }
  draft07 ??= new Ajv(options);
  return draft07;
};

// Process-wide on purpose: Ajv keeps every schema it compiled, and a worker compiles each bot's
// tools on every turn, so the validators are kept here by the schema's text, a bounded number.
const MAX_CACHED = 500;
const cache = new Map<string, { ajv: Ajv | Ajv2020; schema: object; validate: ValidateFunction }>();

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks that `schema` is a JSON Schema a model can be given as a function's parameters (an
 * object schema, draft-07 or 2020-12, at most {@link MAX_PARAMETERS_SCHEMA_BYTES}) and returns
 * the validator of arguments against it; never throws.
 */
export function compileToolParameters(schema: unknown): ToolParameters {
  if (!isPlainObject(schema)) return { ok: false, error: 'must be a JSON Schema object' };
  const text = JSON.stringify(schema);
  if (Buffer.byteLength(text) > MAX_PARAMETERS_SCHEMA_BYTES)
    return { ok: false, error: `must be at most ${MAX_PARAMETERS_SCHEMA_BYTES} bytes as JSON` };
  if (schema.type !== 'object') return { ok: false, error: 'must be an object schema ("type": "object")' };
  const dialect = schema.$schema;
  if (dialect !== undefined && dialect !== DRAFT_2020 && !(typeof dialect === 'string' && DRAFT_07.test(dialect)))
    return { ok: false, error: `$schema must be draft-07 or ${DRAFT_2020} (or left out)` };

  let entry = cache.get(text);
  if (!entry) {
    const ajv = ajvFor(dialect);
    const own = structuredClone(schema);
    try {
      entry = { ajv, schema: own, validate: ajv.compile(own) };
    } catch (error) {
      return { ok: false, error: `is not a valid JSON Schema: ${error instanceof Error ? error.message : error}` };
    }
    if (cache.size >= MAX_CACHED) {
      const [oldestKey, oldest] = cache.entries().next().value ?? [];
      if (oldestKey !== undefined && oldest) {
        cache.delete(oldestKey);
        oldest.ajv.removeSchema(oldest.schema);
      }
    }
    cache.set(text, entry);
  }
  const { ajv, validate } = entry;
  return {
    ok: true,
    validate: (args) => (validate(args) ? null : ajv.errorsText(validate.errors, { dataVar: 'arguments' })),
  };
}
