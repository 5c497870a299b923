// How every request reaches the admin API: same origin, the session cookie (with its CSRF token
// on changes), or an API key kept for this browser tab.

const API_KEY_STORAGE = 'wabot.api-key';
const CSRF_COOKIE = 'wabot_csrf';

export function storedApiKey(): string | null {
  return sessionStorage.getItem(API_KEY_STORAGE);
}

export function storeApiKey(key: string | null): void {
  if (key === null) sessionStorage.removeItem(API_KEY_STORAGE);
  else sessionStorage.setItem(API_KEY_STORAGE, key);
}

function cookie(name: string): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

/** The headers that authenticate a request: the API key, else the CSRF token a cookie-signed change needs. */
export function authHeaders(method: string): Record<string, string> {
  const key = storedApiKey();
  if (key) return { authorization: `Bearer ${key}` };
  const csrf = cookie(CSRF_COOKIE);
  if (csrf && method !== 'GET' && method !== 'HEAD') return { 'x-csrf-token': csrf };
  return {};
}

export interface FieldProblem {
  field: string;
  message: string;
}

/** An API error as `{error:{code, message, details}}` says it; `fields` for validation errors. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown>;

  constructor(status: number, code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }

  get fields(): FieldProblem[] {
    const fields = this.details.fields;
    if (!Array.isArray(fields)) return [];
    return fields.filter(
      (f): f is FieldProblem =>
        typeof f === 'object' && f !== null && typeof f.field === 'string' && typeof f.message === 'string',
    );
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** The API error of a failed response (any body). */
export function errorOf(status: number, body: unknown): ApiError {
  const error = isRecord(body) && isRecord(body.error) ? body.error : undefined;
  if (error && typeof error.code === 'string' && typeof error.message === 'string') {
    return new ApiError(status, error.code, error.message, isRecord(error.details) ? error.details : {});
  }
  return new ApiError(status, `http_${status}`, `the server answered ${status}`);
}

/** A JSON request to an API path that the generated client does not know (yet): sign-in and invitations. */
export async function requestJson<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...authHeaders(method) };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  const parsed: unknown = text ? JSON.parse(text) : undefined;
  if (!response.ok) throw errorOf(response.status, parsed);
  return parsed as T;
}
