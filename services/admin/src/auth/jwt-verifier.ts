import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors,
  type JWTPayload,
  type JWTVerifyOptions,
  jwtVerify,
} from 'jose';
import { ApiError, unauthorized } from '../domain/api-error.js';

export interface JwtVerifierOptions {
  /** HS256 key; undefined disables HS256 tokens. */
  secret?: string | undefined;
  /** Identity provider key set for asymmetric tokens. */
  jwksUrl?: string | undefined;
  issuer?: string | undefined;
  audience?: string | undefined;
}

/** Who is calling: the token's `sub`. */
export interface Caller {
  userId: string;
}

export type JwtVerifier = (authorization: string | undefined) => Promise<Caller>;

const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
];

/**
 * Verifies `Authorization: Bearer <JWT>`: HS256 with the shared secret, or asymmetric algorithms
 * against the JWKS of an identity provider (jose caches and refreshes the key set). Every failure
 * is an {@link ApiError} 401 whose message says what is wrong, never why in cryptographic detail.
 */
export function createJwtVerifier(options: JwtVerifierOptions): JwtVerifier {
  const secret = options.secret ? new TextEncoder().encode(options.secret) : undefined;
  const jwks = options.jwksUrl ? createRemoteJWKSet(new URL(options.jwksUrl), { timeoutDuration: 3_000 }) : undefined;
  const claims: JWTVerifyOptions = {
    ...(options.issuer ? { issuer: options.issuer } : {}),
    ...(options.audience ? { audience: options.audience } : {}),
    clockTolerance: 5,
  };

  const verifyToken = async (token: string): Promise<JWTPayload> => {
    let alg: string | undefined;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      throw unauthorized('malformed bearer token: expected a JWT (header.payload.signature)');
    }
    if (alg === 'HS256') {
      if (!secret) throw unauthorized('HS256 tokens are not accepted by this deployment');
      return (await jwtVerify(token, secret, { ...claims, algorithms: ['HS256'] })).payload;
    }
    if (alg && jwks && ASYMMETRIC_ALGORITHMS.includes(alg)) {
      return (await jwtVerify(token, jwks, { ...claims, algorithms: ASYMMETRIC_ALGORITHMS })).payload;
    }
    throw unauthorized(`token algorithm ${alg ?? '(none)'} is not accepted`);
  };

  return async (authorization) => {
    if (!authorization) throw unauthorized('missing bearer token: send "Authorization: Bearer <JWT>"');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match?.[1]) throw unauthorized('malformed Authorization header: expected "Bearer <JWT>"');
    let payload: JWTPayload;
    try {
      payload = await verifyToken(match[1]);
    } catch (error) {
      throw toUnauthorized(error);
    }
    if (typeof payload.sub !== 'string' || payload.sub.length === 0 || payload.sub.length > 255)
      throw unauthorized('token has no usable "sub" claim (the user id)');
    return { userId: payload.sub };
  };
}

function toUnauthorized(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof errors.JWTExpired) return unauthorized('token expired; request a new one');
  if (error instanceof errors.JWSSignatureVerificationFailed) return unauthorized('token signature is invalid');
  if (error instanceof errors.JWTClaimValidationFailed)
    return unauthorized(`token claim "${error.claim}" is not acceptable (${error.reason})`);
  if (error instanceof errors.JWKSNoMatchingKey) return unauthorized('token was signed by an unknown key');
  if (error instanceof errors.JOSEAlgNotAllowed) return unauthorized('token algorithm is not accepted');
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid)
    return new ApiError(503, 'identity_provider_unavailable', 'cannot fetch the identity provider keys; try again');
  return unauthorized('malformed bearer token');
}
