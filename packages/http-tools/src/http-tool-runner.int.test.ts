import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Resolver } from './address-guard.js';
import { createHttpToolRunner, toToolOutput } from './http-tool-runner.js';
import type { HttpToolSpec } from './tool-definition.js';

// A real HTTP server on 127.0.0.1, reachable only because the tests allow it (TOOL_ALLOWED_HOSTS).
let server: FastifyInstance;
let base: string;
let port: number;
const seen: { url: string; method: string; headers: Record<string, unknown>; body: unknown }[] = [];

const resolver: Resolver = async (hostname) => {
  const table: Record<string, string[]> = {
    'tools.example.test': ['127.0.0.1'],
    'other.example.test': ['127.0.0.1'],
    'internal.example.test': ['10.0.0.1'],
  };
  const addresses = table[hostname];
  if (!addresses) throw new Error(`ENOTFOUND ${hostname}`);
  return addresses.map((address) => ({ address, family: 4 as const }));
};

const runner = createHttpToolRunner({ allowedHosts: ['127.0.0.1'], resolver });

const tool = (overrides: Partial<HttpToolSpec> = {}): HttpToolSpec => ({
  name: 'lookup_order',
  url: `${base}/echo`,
  method: 'POST',
  parameters: { type: 'object', properties: { order_id: { type: 'string' } }, required: ['order_id'] },
  headers: { Authorization: 'Bearer tool-secret' },
  timeoutMs: 2_000,
  maxResponseBytes: 4_096,
  ...overrides,
});

beforeAll(async () => {
  server = Fastify();
  server.all('/echo', async (request) => ({
    method: request.method,
    query: request.query,
    body: request.body ?? null,
  }));
  server.get('/big', async (_request, reply) => reply.type('text/plain').send('é'.repeat(10_000)));
  server.get('/slow', async () => new Promise((resolve) => setTimeout(() => resolve({ late: true }), 1_500)));
  server.post('/missing', async (_request, reply) => reply.code(404).send({ error: 'no such order' }));
  server.all('/redirect', async (request, reply) => {
    const { to, code } = request.query as { to: string; code?: string };
    return reply
      .code(Number(code ?? 302))
      .header('location', to)
      .send();
  });
  server.get('/loop', async (_request, reply) => reply.redirect('/loop'));
  server.addHook('onRequest', async (request) => {
    seen.push({ url: request.url, method: request.method, headers: request.headers, body: undefined });
  });
  await server.listen({ host: '127.0.0.1', port: 0 });
  const address = server.server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  port = address.port;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  seen.length = 0;
});

describe('createHttpToolRunner against a local server', () => {
  it('POSTs the arguments as JSON with the tool headers and gives back the answer', async () => {
    const result = await runner.run(tool(), { order_id: '42' });
    expect(result).toMatchObject({ tool: 'lookup_order', ok: true, outcome: 'ok', status: 200, truncated: false });
    expect(JSON.parse(result.body)).toEqual({ method: 'POST', query: {}, body: { order_id: '42' } });
    expect(result.argumentsBytes).toBe(JSON.stringify({ order_id: '42' }).length);
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expect(seen[0]?.headers).toMatchObject({ authorization: 'Bearer tool-secret', 'content-type': 'application/json' });
    expect(toToolOutput(result)).toEqual({ status: 200, body: result.body });
  });

  it('GETs with the arguments in the query string, next to the URL’s own', async () => {
    const result = await runner.run(
      tool({
        method: 'GET',
        url: `${base}/echo?lang=en`,
        parameters: { type: 'object', properties: { order_id: { type: 'string' }, tags: { type: 'array' } } },
      }),
      { order_id: '42', tags: ['a', 'b'] },
    );
    expect(result.ok).toBe(true);
    expect(JSON.parse(result.body)).toMatchObject({
      method: 'GET',
      query: { lang: 'en', order_id: '42', tags: ['a', 'b'] },
    });
  });

  it('connects to the address the guard checked, not to what the name resolves to later', async () => {
    // tools.example.test exists only in the injected resolver: the call can only work pinned.
    const result = await runner.run(tool({ url: `http://tools.example.test:${port}/echo` }), { order_id: '1' });
    expect(result).toMatchObject({ ok: true, status: 200 });
    expect(seen[0]?.headers.host).toBe(`tools.example.test:${port}`);
  });

  it('refuses arguments that do not match the schema without calling the tool', async () => {
    const result = await runner.run(tool(), { order_id: 42 });
    expect(result).toMatchObject({
      ok: false,
      outcome: 'invalid_arguments',
      status: null,
      error: 'invalid arguments: arguments/order_id must be string',
    });
    expect(seen).toEqual([]);
    expect(toToolOutput(result)).toEqual({ error: 'invalid arguments: arguments/order_id must be string' });
  });

  it('gives the model the status and body of a non-2xx answer', async () => {
    const result = await runner.run(tool({ url: `${base}/missing` }), { order_id: '9' });
    expect(result).toMatchObject({
      ok: false,
      outcome: 'http_error',
      status: 404,
      error: 'the tool answered HTTP 404',
    });
    expect(toToolOutput(result)).toEqual({
      error: 'the tool answered HTTP 404',
      status: 404,
      body: '{"error":"no such order"}',
    });
  });

  it('cuts the answer at max_response_bytes, on a character boundary', async () => {
    const result = await runner.run(tool({ method: 'GET', url: `${base}/big`, maxResponseBytes: 1_001 }), {
      order_id: '1',
    });
    expect(result).toMatchObject({ ok: true, truncated: true });
    expect(result.body).toBe('é'.repeat(500));
    expect(toToolOutput(result)).toMatchObject({ truncated: true });
  });

  it('gives up after timeout_ms', async () => {
    const result = await runner.run(tool({ method: 'GET', url: `${base}/slow`, timeoutMs: 200 }), { order_id: '1' });
    expect(result).toMatchObject({ ok: false, outcome: 'timeout', error: 'no answer within 200 ms' });
    expect(result.durationMs).toBeGreaterThanOrEqual(150);
    expect(result.durationMs).toBeLessThan(1_400);
  });

  it('rejects with the caller’s reason when the turn is superseded', async () => {
    const controller = new AbortController();
    const pending = runner.run(tool({ method: 'GET', url: `${base}/slow` }), { order_id: '1' }, controller.signal);
    setTimeout(() => controller.abort(new Error('superseded')), 50);
    await expect(pending).rejects.toThrow('superseded');
  });

  it('reports an unreachable tool as a network error', async () => {
    const closed = Fastify();
    await closed.listen({ host: '127.0.0.1', port: 0 });
    const address = closed.server.address();
    await closed.close();
    const closedPort = typeof address === 'object' && address ? address.port : 1;
    const result = await runner.run(tool({ url: `http://127.0.0.1:${closedPort}/` }), { order_id: '1' });
    expect(result).toMatchObject({ ok: false, outcome: 'network_error' });
    expect(result.error).toContain('ECONNREFUSED');
  });

  it('refuses 127.0.0.1 when it is not allowed, without connecting', async () => {
    const strict = createHttpToolRunner({ resolver });
    const result = await strict.run(tool(), { order_id: '1' });
    expect(result).toMatchObject({
      ok: false,
      outcome: 'blocked',
      error: '127.0.0.1 is not a public address (loopback)',
    });
    expect(seen).toEqual([]);
  });

  it("refuses the platform's own endpoints on an allowed host", async () => {
    const guarded = createHttpToolRunner({
      allowedHosts: ['127.0.0.1'],
      resolver,
      deniedEndpoints: [`127.0.0.1:${port}`],
    });
    expect(await guarded.run(tool(), { order_id: '1' })).toMatchObject({ outcome: 'blocked' });
    expect(seen).toEqual([]);
  });

  describe('redirects', () => {
    const via = (to: string, code = 302) => `${base}/redirect?code=${code}&to=${encodeURIComponent(to)}`;

    it('follows one to an allowed address; a 302 after a POST continues as a GET, a 307 stays a POST', async () => {
      const found = await runner.run(tool({ url: via('/echo') }), { order_id: '1' });
      expect(JSON.parse(found.body)).toMatchObject({ method: 'GET', body: null });
      const temporary = await runner.run(tool({ url: via('/echo', 307) }), { order_id: '1' });
      expect(JSON.parse(temporary.body)).toMatchObject({ method: 'POST', body: { order_id: '1' } });
    });

    it.each([
      ['the cloud metadata address', 'http://169.254.169.254/latest/meta-data/', 'link-local (cloud metadata)'],
      ['a private IPv4 address', 'http://10.0.0.1/', 'private'],
      ['an IPv6 loopback', 'http://[::1]:80/', 'loopback'],
      ['an IPv4-mapped IPv6 address', 'http://[::ffff:192.168.0.1]/', 'private (IPv4 inside IPv6)'],
      ['a name resolving to a private address', 'http://internal.example.test/', 'private'],
    ])('refuses one to %s', async (_what, to, reason) => {
      const result = await runner.run(tool({ url: via(to) }), { order_id: '1' });
      expect(result).toMatchObject({ ok: false, outcome: 'blocked' });
      expect(result.error).toContain(reason);
      expect(seen).toHaveLength(1);
    });

    it('refuses one to a non-http scheme', async () => {
      expect(await runner.run(tool({ url: via('file:///etc/passwd') }), { order_id: '1' })).toMatchObject({
        outcome: 'blocked',
        error: 'redirect to a non-http(s) URL',
      });
    });

    it('stops after 3', async () => {
      const result = await runner.run(tool({ method: 'GET', url: `${base}/loop` }), { order_id: '1' });
      expect(result).toMatchObject({ ok: false, outcome: 'too_many_redirects', status: 302 });
      expect(seen).toHaveLength(4);
    });

    it('sends the tool’s headers to its own origin only', async () => {
      const result = await runner.run(tool({ url: via(`http://other.example.test:${port}/echo`, 307) }), {
        order_id: '1',
      });
      expect(result.ok).toBe(true);
      expect(seen[0]?.headers.authorization).toBe('Bearer tool-secret');
      expect(seen[1]?.headers.host).toBe(`other.example.test:${port}`);
      expect(seen[1]?.headers.authorization).toBeUndefined();
    });
  });
});
