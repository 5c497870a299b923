import { SignJWT } from 'jose';

export interface SignDevTokenOptions {
  secret: string;
  sub: string;
  ttlSeconds: number;
  issuer?: string | undefined;
  audience?: string | undefined;
}

/** An HS256 admin token for local use (`./run token`) and tests; verifiable by {@link createJwtVerifier}. */
export async function signDevToken({
  secret,
  sub,
  ttlSeconds,
  issuer,
  audience,
}: SignDevTokenOptions): Promise<string> {
  let jwt = new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds);
  if (issuer) jwt = jwt.setIssuer(issuer);
  if (audience) jwt = jwt.setAudience(audience);
  return jwt.sign(new TextEncoder().encode(secret));
}
