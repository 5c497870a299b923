import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

export interface TestBrowser {
  /** The cookies this browser holds (name → value). */
  readonly cookies: Map<string, string>;
  /**
   * `app.inject` with this browser's cookies, keeping what the response sets or clears. A change
   * (POST/PATCH/DELETE) sends the `wabot_csrf` cookie as `x-csrf-token`, as the console does, unless `csrf: false`.
   */
  call(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    options?: { body?: unknown; csrf?: boolean | string; headers?: Record<string, string> },
  ): Promise<LightMyRequestResponse>;
}

/** A cookie-keeping client of the admin app (a person in a browser), recording bodies in `bodies`. */
export function createTestBrowser(app: FastifyInstance, bodies: string[] = []): TestBrowser {
  const cookies = new Map<string, string>();
  return {
    cookies,
    async call(method, url, { body, csrf = true, headers = {} } = {}) {
      const all: Record<string, string> = { ...headers };
      if (cookies.size > 0) all.cookie = [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
      if (method !== 'GET' && csrf !== false) {
        const token = typeof csrf === 'string' ? csrf : cookies.get('wabot_csrf');
        if (token) all['x-csrf-token'] = token;
      }
      if (body !== undefined) all['content-type'] = 'application/json';
      const response = await app.inject({
        method,
        url,
        headers: all,
        ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
      });
      bodies.push(response.body);
      for (const cookie of response.cookies) {
        const cleared = cookie.maxAge === 0 || (cookie.expires !== undefined && cookie.expires.getTime() <= Date.now());
        if (cleared || cookie.value === '') cookies.delete(cookie.name);
        else cookies.set(cookie.name, cookie.value);
      }
      return response;
    },
  };
}
