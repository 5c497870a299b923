import type { FastifyInstance } from 'fastify';

/** A JSON Schema as the OpenAPI document holds it (only the keywords the security suite reads). */
export interface JsonSchema {
  $ref?: string;
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
}

interface OpenApiOperation {
  security?: unknown[];
  parameters?: { name: string; in: string; required?: boolean }[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, { content?: Record<string, { schema?: JsonSchema }> }>;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

/** One operation of the admin API as its OpenAPI document describes it. */
export interface ApiOperation {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** The path template, e.g. `/api/bots/{id}/tools/{toolId}`. */
  path: string;
  /** `POST /api/bots/{id}/tools`: how tables and messages name it. */
  key: string;
  /** The document marks it `security: []` (Meta's webhooks, sign-in): it needs no credentials. */
  public: boolean;
  pathParams: string[];
  queryParams: string[];
  /** The query parameters the document marks required. */
  requiredQuery: string[];
  /** The JSON request body's schema, $refs resolved at the top; null without a body. */
  body: JsonSchema | null;
  /** The schema of the first 2xx JSON response, $refs resolved at the top; null without one. */
  success: JsonSchema | null;
}

const METHODS = new Set(['get', 'post', 'patch', 'put', 'delete']);

/** The document GET /docs/json serves: what the suite generates its cases from, so a new route is covered. */
export async function loadApiDocument(app: FastifyInstance): Promise<OpenApiDocument> {
  const res = await app.inject({ method: 'GET', url: '/docs/json' });
  if (res.statusCode !== 200) throw new Error(`GET /docs/json answered ${res.statusCode}`);
  return res.json();
}

/** `{ $ref: '#/components/schemas/Bot' }` → the Bot schema; anything else as it is. */
function resolveSchema(document: OpenApiDocument, schema: JsonSchema): JsonSchema {
  const name = schema.$ref?.replace('#/components/schemas/', '');
  if (name === undefined) return schema;
  const target = document.components?.schemas?.[name];
  if (!target) throw new Error(`unresolved $ref ${schema.$ref}`);
  return resolveSchema(document, target);
}

/** Every operation under /api, in document order. */
export function apiOperations(document: OpenApiDocument): ApiOperation[] {
  const operations: ApiOperation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    if (!path.startsWith('/api/')) continue;
    for (const [method, operation] of Object.entries(item)) {
      if (!METHODS.has(method)) continue;
      const params = operation.parameters ?? [];
      const bodySchema = operation.requestBody?.content?.['application/json']?.schema;
      const successSchema = Object.entries(operation.responses ?? {})
        .filter(([status]) => /^2\d\d$/.test(status))
        .map(([, response]) => response.content?.['application/json']?.schema)
        .find((schema) => schema !== undefined);
      const upper = method.toUpperCase() as ApiOperation['method'];
      operations.push({
        method: upper,
        path,
        key: `${upper} ${path}`,
        public: Array.isArray(operation.security) && operation.security.length === 0,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: params.filter((p) => p.in === 'query').map((p) => p.name),
        requiredQuery: params.filter((p) => p.in === 'query' && p.required === true).map((p) => p.name),
        body: bodySchema ? resolveSchema(document, bodySchema) : null,
        success: successSchema ? resolveSchema(document, successSchema) : null,
      });
    }
  }
  return operations;
}

/** The object branch of a schema (a nullable object is `anyOf: [object, null]` in some generators). */
export function objectBranch(document: OpenApiDocument, schema: JsonSchema): JsonSchema | null {
  const resolved = resolveSchema(document, schema);
  if (resolved.properties) return resolved;
  for (const branch of [...(resolved.anyOf ?? []), ...(resolved.oneOf ?? []), ...(resolved.allOf ?? [])]) {
    const found = objectBranch(document, branch);
    if (found) return found;
  }
  return null;
}

/**
 * Every object with declared properties in a request body schema, by its path in the body
 * (`''` for the body itself, `platform_config`, `settings.llm`); arrays are not entered.
 */
export function declaredObjects(
  document: OpenApiDocument,
  schema: JsonSchema,
  at = '',
): { path: string; schema: JsonSchema }[] {
  const object = objectBranch(document, schema);
  if (!object?.properties) return [];
  const nested = Object.entries(object.properties).flatMap(([name, property]) =>
    declaredObjects(document, property, at ? `${at}.${name}` : name),
  );
  return [{ path: at, schema: object }, ...nested];
}
