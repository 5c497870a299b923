import createClient from 'openapi-fetch';
import type { components, paths } from '../generated/admin-api';
import { authHeaders, errorOf } from './http';

/** The admin API, typed from its OpenAPI document (src/generated/admin-api.ts). */
export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });

api.use({
  onRequest({ request }) {
    for (const [name, value] of Object.entries(authHeaders(request.method))) request.headers.set(name, value);
    return request;
  },
});

/** The data of an openapi-fetch result, or its API error thrown. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || !result.response.ok) throw errorOf(result.response.status, result.error);
  return result.data as T;
}

type Schemas = components['schemas'];
export type BotDetail = Schemas['BotDetail'];
export type Conversation = Schemas['Conversation'];
export type Message = Schemas['Message'];
export type BotSettings = Schemas['Bot']['settings'];
