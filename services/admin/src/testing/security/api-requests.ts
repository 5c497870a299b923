import { randomBytes } from 'node:crypto';
import { botBody } from '../test-admin.js';
import type { ApiOperation } from './api-document.js';
import type { Tenant } from './tenant-fixture.js';

/**
 * A valid body for each operation of the document that takes one, naming the tenant's resources.
 * A route added with a body needs an entry here: the suites fail naming it until it has one.
 */
const SAMPLE_BODIES: Record<string, (tenant: Tenant) => unknown> = {
  'POST /api/workspaces': () => ({ name: `another-${randomBytes(3).toString('hex')}` }),
  'POST /api/workspaces/{id}/members': () => ({ user_id: `member-${randomBytes(3).toString('hex')}`, role: 'member' }),
  'POST /api/bots': (tenant) => botBody(tenant.workspaceId).body,
  'PATCH /api/bots/{id}': () => ({ name: 'Renamed bot' }),
  'POST /api/bots/{id}/tools': () => ({
    name: `tool_${randomBytes(3).toString('hex')}`,
    description: 'Finds a thing',
    url: 'https://shop.example.com/api/things',
  }),
  'PATCH /api/bots/{id}/tools/{toolId}': () => ({ description: 'Finds another thing' }),
  'POST /api/conversations/{id}/template': () => ({ name: 'hello_world', language: 'en_US' }),
  'POST /api/conversations/{id}/handoff': () => ({ reason: 'VIP customer' }),
  'POST /api/conversations/{id}/messages': () => ({ text: 'Hello from support' }),
  // Sign-in's routes (where the document has them).
  'POST /api/auth/api-keys': () => ({ name: 'ci key' }),
  'POST /api/workspaces/{id}/invitations': () => ({
    email: `invitee-${randomBytes(3).toString('hex')}@example.com`,
    role: 'member',
  }),
};

/** The valid body of `operation` for `tenant`; throws for a documented body without a sample. */
export function sampleBody(operation: ApiOperation, tenant: Tenant): unknown {
  if (!operation.body) return undefined;
  const sample = SAMPLE_BODIES[operation.key];
  if (!sample)
    throw new Error(
      `no sample body for ${operation.key}: add one to SAMPLE_BODIES (src/testing/security/api-requests.ts)`,
    );
  return sample(tenant);
}

/** The resource a path parameter names, by the segment before it (`bots/{id}` is a bot). */
function pathValue(tenant: Tenant, segmentBefore: string, param: string): string {
  const values: Record<string, string> = {
    'workspaces/id': tenant.workspaceId,
    'bots/id': tenant.botId,
    'conversations/id': tenant.conversationId,
    'messages/id': tenant.messageId,
    'tools/toolId': tenant.toolId,
    'dead-letters/queue': tenant.deadLetter.queue,
    '{queue}/jobId': tenant.deadLetter.jobId,
    'api-keys/id': tenant.apiKeyId,
    'invitations/invId': tenant.invitationId,
  };
  const value = values[`${segmentBefore}/${param}`];
  if (value === undefined)
    throw new Error(
      `no resource for {${param}} after ${segmentBefore}: add it to pathValue (src/testing/security/api-requests.ts)`,
    );
  return value;
}

/** Query parameters that name a resource: filled with the tenant's, so the request reaches its data. */
const QUERY_VALUES: Record<string, (tenant: Tenant) => string> = {
  workspace_id: (tenant) => tenant.workspaceId,
  bot_id: (tenant) => tenant.botId,
  tool_id: (tenant) => tenant.toolId,
  turn_id: (tenant) => tenant.messageId,
};

/** The URL of `operation` on the tenant's real resources (path parameters, and query filters that name one). */
export function urlOf(operation: ApiOperation, tenant: Tenant, { filters = true } = {}): string {
  const segments = operation.path.split('/');
  const path = segments
    .map((segment, index) => {
      const param = /^\{(.+)\}$/.exec(segment)?.[1];
      return param === undefined ? segment : encodeURIComponent(pathValue(tenant, segments[index - 1] ?? '', param));
    })
    .join('/');
  const query = new URLSearchParams();
  if (filters)
    for (const name of operation.queryParams) {
      const value = QUERY_VALUES[name]?.(tenant);
      if (value !== undefined) query.set(name, value);
    }
  const search = query.toString();
  return search ? `${path}?${search}` : path;
}

/** True when the request built by {@link urlOf} and {@link sampleBody} names one of the tenant's resources. */
export function namesTenantResource(operation: ApiOperation, tenant: Tenant, url: string, body: unknown): boolean {
  const ids = [
    tenant.workspaceId,
    tenant.botId,
    tenant.conversationId,
    tenant.messageId,
    tenant.toolId,
    tenant.deadLetter.jobId,
    tenant.apiKeyId,
    tenant.invitationId,
  ];
  const text = `${url} ${JSON.stringify(body ?? null)}`;
  return operation.pathParams.length > 0 || ids.some((id) => text.includes(id));
}
