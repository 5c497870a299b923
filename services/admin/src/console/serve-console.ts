import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Answers a browser's request for a client route with the console's page; undefined for anything else. */
export type ClientRouteFallback = (request: FastifyRequest, reply: FastifyReply) => FastifyReply | undefined;

/**
 * The console's policy: its own scripts, styles and images only (no inline script or style, no
 * CDN), API calls and the event stream to this origin, never framed.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The console's build output: `@wabot/console`'s dist (built by `./run setup`). */
export function defaultConsoleDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('@wabot/console/package.json')), 'dist');
}

/** Paths the console never answers: the API, its documents and the probes keep their JSON 404s. */
const NOT_CONSOLE = /^\/(api|docs|healthz|readyz|metrics)(\/|$)/;

/**
 * Serves the console (a single-page app) at `/`: its hashed assets cached for good, and
 * `index.html` for `/` and every client route (/setup, /bots/:id, /inbox, …) a browser asks for.
 * Without a build, `/` says how to make one instead of failing. Returns the client-route fallback
 * for the not-found handler.
 */
export async function registerConsole(app: FastifyInstance, dir: string): Promise<ClientRouteFallback> {
  const indexFile = path.join(dir, 'index.html');
  const built = existsSync(indexFile);
  const indexHtml = built ? readFileSync(indexFile) : undefined;
  const sendIndex = (reply: FastifyReply) => {
    if (!indexHtml) {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('The console is not built: run ./run setup (it builds @wabot/console).');
    }
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('content-security-policy', CONSOLE_CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'same-origin')
      .send(indexHtml);
  };

  if (built) {
    await app.register(fastifyStatic, {
      root: path.join(dir, 'assets'),
      prefix: '/assets/',
      index: false,
      wildcard: true,
      immutable: true,
      maxAge: '365d',
      setHeaders: (res) => {
        res.header('content-security-policy', CONSOLE_CSP);
        res.header('x-content-type-options', 'nosniff');
      },
    });
  }
  app.get('/', { schema: { hide: true } }, async (_request, reply) => sendIndex(reply));
  app.get('/favicon.svg', { schema: { hide: true } }, async (_request, reply) => {
    const file = path.join(dir, 'favicon.svg');
    if (!existsSync(file)) return reply.code(404).send();
    return reply.type('image/svg+xml').header('cache-control', 'max-age=86400').send(readFileSync(file));
  });

  return (request, reply) => {
    const pathname = request.url.split('?')[0] ?? '/';
    const clientRoute =
      (request.method === 'GET' || request.method === 'HEAD') &&
      !NOT_CONSOLE.test(pathname) &&
      !pathname.startsWith('/assets/') &&
      (request.headers.accept ?? '').includes('text/html');
    return clientRoute ? sendIndex(reply) : undefined;
  };
}
