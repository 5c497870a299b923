import http from 'node:http';
import { type Stack, type StackService, startStack } from '@wabot/stack';
import { useTestDatabase, useTestRedis } from '@wabot/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const database = useTestDatabase();
const redis = useTestRedis();
const LIMIT = 64 * 1024;
let stack: Stack | undefined;
let ingress: StackService;

beforeAll(async () => {
  stack = await startStack({
    services: ['ingress'],
    env: {
      DATABASE_URL: database.current.url,
      REDIS_URL: redis.current.url,
      REDIS_PREFIX: redis.current.prefix,
      LOG_LEVEL: 'warn',
      WEBHOOK_BODY_LIMIT_BYTES: String(LIMIT),
    },
  });
  ingress = stack.get('ingress');
});

afterAll(async () => {
  await stack?.stop();
});

/** POSTs `body` over a real socket (optionally chunked, without content-length); resolves with the status or the socket error. */
function post(body: Buffer, { chunked = false } = {}): Promise<number | string> {
  return new Promise((resolve) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port: ingress.port,
        method: 'POST',
        path: '/api/bots/webhook/whatsapp/bt_nobody',
        agent: false,
        headers: { 'content-type': 'application/json', ...(chunked ? {} : { 'content-length': body.length }) },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    if (chunked) {
      for (let at = 0; at < body.length; at += 16 * 1024) request.write(body.subarray(at, at + 16 * 1024));
      request.end();
    } else request.end(body);
  });
}

describe('ingress body limit over real sockets', () => {
  it('answers 413 to oversized uploads and the sender reads it (no reset mid-upload)', async () => {
    for (let i = 0; i < 3; i++) expect(await post(Buffer.alloc(5 * 1024 * 1024, 0x20))).toBe(413);
    expect(await post(Buffer.alloc(LIMIT + 1, 0x20), { chunked: true })).toBe(413);
    expect(await post(Buffer.alloc(3 * 1024 * 1024, 0x20), { chunked: true })).toBe(413);
  });

  it('passes bodies within the limit on to the route, and stays ready', async () => {
    expect(await post(Buffer.from('{"object":"whatsapp_business_account","entry":[]}'))).toBe(404);
    expect(await post(Buffer.alloc(LIMIT, 0x20), { chunked: true })).toBe(404);
    expect((await fetch(`${ingress.url}/readyz`)).status).toBe(200);
  });
});
