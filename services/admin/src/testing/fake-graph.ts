import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** Tokens and ids the fake understands. */
export const FAKE_GRAPH = {
  expiredToken: 'EAAG-expired-token-0123456789',
  revokedToken: 'EAAG-revoked-token-0123456789',
  shortLivedToken: 'EAAG-short-lived-token-0123456789',
  unknownPhoneNumberId: '999000999000',
} as const;

export interface FakeGraph {
  url: string;
  calls: { method: string; path: string; authorization: string | undefined }[];
  close(): Promise<void>;
}

function portOf(server: Server): number {
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('server is not listening on TCP');
  return address.port;
}

const send = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

const graphError = (code: number, message: string, subcode?: number) => ({
  error: { message, type: 'OAuthException', code, ...(subcode ? { error_subcode: subcode } : {}), fbtrace_id: 'Afake' },
});

/** A stand-in for Meta's Graph API on 127.0.0.1: phone number lookups and debug_token. */
export async function startFakeGraph(): Promise<FakeGraph> {
  const calls: FakeGraph['calls'] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    calls.push({ method: req.method ?? '', path: url.pathname, authorization: req.headers.authorization });
    if (token === FAKE_GRAPH.expiredToken)
      return send(res, 401, graphError(190, 'Error validating access token: Session has expired', 463));
    if (token === FAKE_GRAPH.revokedToken) return send(res, 401, graphError(190, 'Invalid OAuth access token.'));
    if (url.pathname.endsWith('/debug_token')) {
      const expiresAt = token === FAKE_GRAPH.shortLivedToken ? Math.floor(Date.now() / 1000) + 3600 : 0;
      return send(res, 200, { data: { is_valid: true, expires_at: expiresAt } });
    }
    const id = /^\/v\d+\.\d+\/(\d+)$/.exec(url.pathname)?.[1];
    if (!id) return send(res, 404, graphError(2500, 'Unknown path components'));
    if (id === FAKE_GRAPH.unknownPhoneNumberId)
      return send(res, 400, graphError(100, `Unsupported get request. Object with ID '${id}' does not exist`));
    return send(res, 200, { id, display_phone_number: '+1 555 000 1234', verified_name: 'Test' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = portOf(server);
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A 127.0.0.1 port nothing listens on (bound, then released). */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = portOf(server);
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}
