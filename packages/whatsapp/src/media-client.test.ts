import { createHash } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { GraphApiError } from './graph-api-error.js';
import { createMediaClient, MediaDownloadError, sha256Matches } from './media-client.js';

// A stand-in for Graph and lookaside answering per path (the full Meta behaviour is the
// meta-simulator's, exercised in its own tests and the worker's).
const routes = new Map<string, (res: ServerResponse) => void>();
const seen: { url: string; authorization: string | undefined; userAgent: string | undefined }[] = [];
const server = createServer((req, res) => {
  seen.push({ url: req.url ?? '', authorization: req.headers.authorization, userAgent: req.headers['user-agent'] });
  const route = routes.get(req.url ?? '');
  if (route) route(res);
  else res.writeHead(404).end();
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const address = server.address();
const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
const client = createMediaClient({ baseUrl: base, version: 'v25.0', timeoutMs: 2000 });
afterAll(async () => {
  await client.close();
  server.close();
});

const json =
  (body: unknown, status = 200) =>
  (res: ServerResponse) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

describe('media client', () => {
  it('reads GET /{media-id} with file_size as a number or a quoted string, sending the token and a User-Agent', async () => {
    routes.set(
      '/v25.0/111',
      json({ url: `${base}/f`, mime_type: 'image/jpeg', sha256: 'ab', file_size: '42', id: '111' }),
    );
    expect(await client.getMedia('EAAG-t', '111')).toEqual({
      url: `${base}/f`,
      mimeType: 'image/jpeg',
      sha256: 'ab',
      fileSize: 42,
    });
    expect(seen.at(-1)).toMatchObject({ authorization: 'Bearer EAAG-t', userAgent: expect.stringContaining('wabot') });
  });

  it("turns Meta's error into a GraphApiError without the token", async () => {
    routes.set(
      '/v25.0/222',
      json({ error: { message: 'bad EAAG-secret', code: 100, type: 'GraphMethodException' } }, 400),
    );
    const error = await client.getMedia('EAAG-secret', '222').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphApiError);
    expect(String((error as Error).message)).not.toContain('EAAG-secret');
  });

  it('refuses a download over the limit by Content-Length and while reading (chunked)', async () => {
    routes.set('/big', (res) => res.writeHead(200, { 'content-length': '1000' }).end(Buffer.alloc(1000)));
    routes.set('/chunked', (res) => {
      res.writeHead(200, { 'transfer-encoding': 'chunked' });
      res.write(Buffer.alloc(600));
      res.end(Buffer.alloc(600));
    });
    for (const path of ['/big', '/chunked']) {
      const error = await client.download('t', `${base}${path}`, 999).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MediaDownloadError);
      expect(error).toMatchObject({ reason: 'too_large' });
    }
  });

  it('names 404 expired and 401/403 forbidden', async () => {
    routes.set('/gone', (res) => res.writeHead(404).end('Not Found'));
    routes.set('/nope', (res) => res.writeHead(403).end('Forbidden'));
    await expect(client.download('t', `${base}/gone`, 10)).rejects.toMatchObject({ reason: 'expired', status: 404 });
    await expect(client.download('t', `${base}/nope`, 10)).rejects.toMatchObject({ reason: 'forbidden', status: 403 });
  });
});

describe('sha256Matches', () => {
  const digest = createHash('sha256').update('x').digest();
  it('accepts the hash in hex (any case) or base64, and nothing else', () => {
    expect(sha256Matches(digest.toString('hex'), digest)).toBe(true);
    expect(sha256Matches(digest.toString('hex').toUpperCase(), digest)).toBe(true);
    expect(sha256Matches(digest.toString('base64'), digest)).toBe(true);
    expect(sha256Matches('ab'.repeat(32), digest)).toBe(false);
    expect(sha256Matches('', digest)).toBe(false);
  });
});
