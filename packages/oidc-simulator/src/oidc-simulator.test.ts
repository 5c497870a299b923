import { createHash } from 'node:crypto';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type OidcSimulator, startOidcSimulator } from './oidc-simulator.js';

const REDIRECT = 'http://127.0.0.1:9/callback';
const CLIENT = { clientId: 'app', clientSecret: 'app-secret', redirectUris: [REDIRECT] };
const VERIFIER = 'v'.repeat(50);
const CHALLENGE = createHash('sha256').update(VERIFIER).digest('base64url');
let idp: OidcSimulator;

const authorize = (params: Record<string, string>) =>
  fetch(
    `${idp.issuer}/authorize?${new URLSearchParams({
      response_type: 'code',
      client_id: 'app',
      redirect_uri: REDIRECT,
      scope: 'openid email',
      state: 's1',
      nonce: 'n1',
      code_challenge: CHALLENGE,
      code_challenge_method: 'S256',
      ...params,
    })}`,
    { redirect: 'manual' },
  );

const token = (form: Record<string, string>, secret = 'app-secret') =>
  fetch(`${idp.issuer}/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`app:${secret}`).toString('base64')}`,
    },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      redirect_uri: REDIRECT,
      code_verifier: VERIFIER,
      ...form,
    }),
  });

const codeOf = async (response: Response) =>
  new URL(response.headers.get('location') ?? '').searchParams.get('code') ?? '';

beforeAll(async () => {
  idp = await startOidcSimulator({ clients: [CLIENT], user: { sub: 'u1', email: 'u1@example.com', name: 'U One' } });
});
afterAll(async () => {
  await idp.close();
});

describe('OIDC simulator', () => {
  it('publishes discovery and a JWKS for its issuer', async () => {
    const discovery = await (await fetch(`${idp.issuer}/.well-known/openid-configuration`)).json();
    expect(discovery).toMatchObject({
      issuer: idp.issuer,
      token_endpoint: `${idp.issuer}/token`,
      code_challenge_methods_supported: ['S256'],
    });
    const jwks = z
      .object({ keys: z.array(z.record(z.string(), z.unknown())) })
      .parse(await (await fetch(`${idp.issuer}/jwks`)).json());
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
  });

  it('refuses an unregistered redirect URI without redirecting, and a non-S256 challenge', async () => {
    const foreign = await authorize({ redirect_uri: 'https://evil.example/cb' });
    expect(foreign.status).toBe(400);
    expect(foreign.headers.get('location')).toBeNull();
    expect((await authorize({ code_challenge_method: 'plain' })).status).toBe(400);
  });

  it('exchanges a code once, with the right verifier, for an ID token with nonce and email', async () => {
    const redirect = await authorize({});
    expect(redirect.status).toBe(302);
    expect(new URL(redirect.headers.get('location') ?? '').searchParams.get('state')).toBe('s1');
    const code = await codeOf(redirect);
    const ok = await token({ code });
    expect(ok.status).toBe(200);
    const claims = decodeJwt(z.object({ id_token: z.string() }).parse(await ok.json()).id_token);
    expect(claims).toMatchObject({
      iss: idp.issuer,
      sub: 'u1',
      aud: 'app',
      nonce: 'n1',
      email: 'u1@example.com',
      email_verified: true,
    });
    expect((await token({ code })).status).toBe(400);
  });

  it('refuses a wrong PKCE verifier and a wrong client secret', async () => {
    const wrongVerifier = await token({ code: await codeOf(await authorize({})), code_verifier: 'w'.repeat(50) });
    expect(wrongVerifier.status).toBe(400);
    expect(z.object({ error_description: z.string() }).parse(await wrongVerifier.json()).error_description).toMatch(
      /PKCE/,
    );
    const wrongSecret = await token({ code: await codeOf(await authorize({})) }, 'nope');
    expect(wrongSecret.status).toBe(401);
    expect(idp.tokenResults.slice(-2)).toEqual(['invalid_grant', 'invalid_client']);
  });
});
