const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

const COMPONENT = '#/components/schemas/';

/**
 * Defines every `#/components/schemas/<name>` the document points at but does not hold as "any
 * JSON value". fastify-type-provider-zod names the recursive part of `z.json()` (a tool's
 * `parameters`) `schema0` without emitting it, and a client generator refuses such a document.
 */
export function defineDanglingRefs<T extends object>(document: T): T {
  const referenced = new Set<string>();
  const walk = (node: unknown) => {
    if (Array.isArray(node)) for (const item of node) walk(item);
    else if (isRecord(node))
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string' && value.startsWith(COMPONENT))
          referenced.add(value.slice(COMPONENT.length));
        else walk(value);
      }
  };
  walk(document);
  const root: Record<string, unknown> = Object(document);
  const components: Record<string, unknown> = isRecord(root.components) ? root.components : {};
  const schemas: Record<string, unknown> = isRecord(components.schemas) ? components.schemas : {};
  for (const name of referenced)
    if (!(name in schemas)) schemas[name] = { description: 'any JSON value (a JSON Schema document here)' };
  components.schemas = schemas;
  root.components = components;
  return document;
}
