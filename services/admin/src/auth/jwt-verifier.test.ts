import { createServer } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../domain/api-error.js';
import { createJwtVerifier } from './jwt-verifier.js';
import { signDevToken } from './sign-dev-token.js';

const secret = 'unit-test-secret-0123456789abcdefghijkl';

const rejection = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return { status: error.statusCode, message: error.message };
    throw error;
  }
  throw new Error('expected a rejection');
};

describe('createJwtVerifier (HS256)', () => {
  const verify = createJwtVerifier({ secret, issuer: 'wabot', audience: 'admin' });

  it('accepts a dev token and returns its sub', async () => {
    const token = await signDevToken({ secret, sub: 'alice', ttlSeconds: 60, issuer: 'wabot', audience: 'admin' });
    expect(await verify(`Bearer ${token}`)).toEqual({ userId: 'alice' });
  });

  it('checks issuer and audience when configured', async () => {
    const token = await signDevToken({ secret, sub: 'alice', ttlSeconds: 60, issuer: 'other', audience: 'admin' });
    expect(await rejection(verify(`Bearer ${token}`))).toEqual({
      status: 401,
      message: expect.stringMatching(/claim "iss"/),
    });
  });

  it('refuses HS256 when no secret is configured', async () => {
    const token = await signDevToken({ secret, sub: 'alice', ttlSeconds: 60 });
    const jwksOnly = createJwtVerifier({ jwksUrl: 'http://127.0.0.1:9/jwks.json' });
    expect((await rejection(jwksOnly(`Bearer ${token}`))).status).toBe(401);
  });
});

describe('createJwtVerifier (JWKS)', () => {
  let url = '';
  let close: () => void = () => {};
  const keys = generateKeyPair('RS256');

  beforeAll(async () => {
    const { publicKey } = await keys;
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    url = `http://127.0.0.1:${address.port}/jwks.json`;
    close = () => server.close();
  });
  afterAll(() => close());

  it('verifies RS256 tokens of an identity provider', async () => {
    const { privateKey } = await keys;
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setSubject('idp|42')
      .setIssuer('https://idp.example/')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
    const verify = createJwtVerifier({ jwksUrl: url, issuer: 'https://idp.example/' });
    expect(await verify(`Bearer ${token}`)).toEqual({ userId: 'idp|42' });
    const other = await generateKeyPair('RS256');
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setSubject('idp|42')
      .setIssuer('https://idp.example/')
      .setExpirationTime('5m')
      .sign(other.privateKey);
    expect((await rejection(verify(`Bearer ${forged}`))).status).toBe(401);
  });
});
