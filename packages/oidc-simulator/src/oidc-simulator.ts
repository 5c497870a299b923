import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { z } from 'zod';

/** The person the provider signs in (auto-approved: no login page). */
export interface SimulatedUser {
  sub: string;
  email?: string;
  /** Default true. */
  email_verified?: boolean;
  name?: string;
}

/** A registered relying party. */
export interface OidcClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

export interface OidcSimulatorOptions {
  clients: OidcClient[];
  user: SimulatedUser;
  /** Default 0 (a free port on 127.0.0.1). */
  port?: number;
}

export interface OidcSimulator {
  /** The issuer identifier (http://127.0.0.1:<port>): OIDC_ISSUER_URL. */
  readonly issuer: string;
  /** Who the next authorizations sign in. */
  setUser(user: SimulatedUser): void;
  /** The next authorization is refused with this OAuth error (e.g. `access_denied`) instead of a code. */
  refuseNext(error: string): void;
  /** What the token endpoint answered, newest last (`ok` or the OAuth error code). */
  readonly tokenResults: string[];
  close(): Promise<void>;
}

const CODE_TTL_MS = 60_000;
const ID_TOKEN_TTL_SECONDS = 300;

// https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest (code flow) with RFC 7636 PKCE.
const authorizeQuerySchema = z.object({
  response_type: z.literal('code'),
  client_id: z.string().min(1),
  redirect_uri: z.url(),
  scope: z.string().refine((scope) => scope.split(' ').includes('openid'), 'must include openid'),
  state: z.string().min(1).optional(),
  nonce: z.string().min(1).optional(),
  code_challenge: z.string().regex(/^[A-Za-z0-9_-]{43,128}$/),
  code_challenge_method: z.literal('S256'),
});

// https://openid.net/specs/openid-connect-core-1_0.html#TokenRequest
const tokenFormSchema = z.object({
  grant_type: z.literal('authorization_code'),
  code: z.string().min(1),
  redirect_uri: z.url(),
  code_verifier: z.string().regex(/^[A-Za-z0-9._~-]{43,128}$/),
  client_id: z.string().optional(),
  client_secret: z.string().optional(),
});

interface IssuedCode {
  clientId: string;
  redirectUri: string;
  challenge: string;
  nonce: string | undefined;
  user: SimulatedUser;
  expiresAt: number;
}

const sameSecret = (a: string, b: string) => {
  const [x, y] = [createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest()];
  return timingSafeEqual(x, y);
};

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

async function readForm(req: IncomingMessage): Promise<Record<string, string>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.from(chunk));
  return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
}

/**
 * A stand-in OpenID Connect provider for tests and the demo: discovery, JWKS, an authorization
 * endpoint that signs the configured user in at once (code flow, PKCE S256 required), a token
 * endpoint that checks the client, the redirect URI and the PKCE verifier, and RS256 ID tokens.
 */
export async function startOidcSimulator(options: OidcSimulatorOptions): Promise<OidcSimulator> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const kid = randomUUID();
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const codes = new Map<string, IssuedCode>();
  const tokenResults: string[] = [];
  let user = options.user;
  let refusal: string | null = null;
  let issuer = '';

  const clientOf = (req: IncomingMessage, form: z.infer<typeof tokenFormSchema>) => {
    const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    let id = form.client_id;
    let secret = form.client_secret;
    if (basic) {
      const [rawId = '', rawSecret = ''] = Buffer.from(basic, 'base64').toString('utf8').split(':');
      id = decodeURIComponent(rawId);
      secret = decodeURIComponent(rawSecret);
    }
    const client = options.clients.find((c) => c.clientId === id);
    return client && secret !== undefined && sameSecret(client.clientSecret, secret) ? client : null;
  };

  const tokenError = (res: ServerResponse, status: number, error: string, description: string) => {
    tokenResults.push(error);
    send(res, status, { error, error_description: description });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', issuer);
    if (req.method === 'GET' && url.pathname === '/.well-known/openid-configuration') {
      return send(res, 200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        scopes_supported: ['openid', 'email', 'profile'],
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
        code_challenge_methods_supported: ['S256'],
        grant_types_supported: ['authorization_code'],
      });
    }
    if (req.method === 'GET' && url.pathname === '/jwks') return send(res, 200, { keys: [jwk] });
    if (req.method === 'GET' && url.pathname === '/authorize') {
      const parsed = authorizeQuerySchema.safeParse(Object.fromEntries(url.searchParams));
      if (!parsed.success)
        return send(res, 400, { error: 'invalid_request', error_description: parsed.error.issues[0]?.message });
      const query = parsed.data;
      const client = options.clients.find((c) => c.clientId === query.client_id);
      // An unknown client or redirect URI is never redirected to (RFC 6749 §4.1.2.1).
      if (!client) return send(res, 400, { error: 'unauthorized_client' });
      if (!client.redirectUris.includes(query.redirect_uri))
        return send(res, 400, { error: 'invalid_request', error_description: 'redirect_uri is not registered' });
      const target = new URL(query.redirect_uri);
      if (query.state) target.searchParams.set('state', query.state);
      if (refusal) {
        target.searchParams.set('error', refusal);
        refusal = null;
      } else {
        const code = randomBytes(24).toString('base64url');
        codes.set(code, {
          clientId: client.clientId,
          redirectUri: query.redirect_uri,
          challenge: query.code_challenge,
          nonce: query.nonce,
          user,
          expiresAt: Date.now() + CODE_TTL_MS,
        });
        target.searchParams.set('code', code);
      }
      res.writeHead(302, { location: target.href });
      return res.end();
    }
    if (req.method === 'POST' && url.pathname === '/token') {
      const parsed = tokenFormSchema.safeParse(await readForm(req));
      if (!parsed.success) return tokenError(res, 400, 'invalid_request', 'malformed token request');
      const form = parsed.data;
      const client = clientOf(req, form);
      if (!client) return tokenError(res, 401, 'invalid_client', 'unknown client or wrong secret');
      const issued = codes.get(form.code);
      codes.delete(form.code); // single use, even when the exchange fails
      if (!issued || issued.expiresAt < Date.now() || issued.clientId !== client.clientId)
        return tokenError(res, 400, 'invalid_grant', 'unknown, used or expired code');
      if (issued.redirectUri !== form.redirect_uri)
        return tokenError(res, 400, 'invalid_grant', 'redirect_uri differs from the authorization request');
      const challenge = createHash('sha256').update(form.code_verifier).digest('base64url');
      if (challenge !== issued.challenge) return tokenError(res, 400, 'invalid_grant', 'PKCE verification failed');
      const { sub, email, email_verified: emailVerified = true, name } = issued.user;
      const idToken = await new SignJWT({
        ...(issued.nonce ? { nonce: issued.nonce } : {}),
        ...(email ? { email, email_verified: emailVerified } : {}),
        ...(name ? { name } : {}),
      })
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
        .setIssuer(issuer)
        .setSubject(sub)
        .setAudience(client.clientId)
        .setIssuedAt()
        .setExpirationTime(`${ID_TOKEN_TTL_SECONDS}s`)
        .sign(privateKey);
      tokenResults.push('ok');
      return send(res, 200, {
        access_token: randomBytes(24).toString('base64url'),
        token_type: 'Bearer',
        expires_in: ID_TOKEN_TTL_SECONDS,
        id_token: idToken,
      });
    }
    return send(res, 404, { error: 'not_found' });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => send(res, 500, { error: 'server_error' }));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('OIDC simulator: no TCP address');
  issuer = `http://127.0.0.1:${address.port}`;

  return {
    get issuer() {
      return issuer;
    },
    setUser(next) {
      user = next;
    },
    refuseNext(error) {
      refusal = error;
    },
    tokenResults,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
