import * as oidc from 'openid-client';
import { ApiError } from '../domain/api-error.js';

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUrl: string;
}

/** What the browser keeps (in a signed cookie) between the redirect to the provider and the callback. */
export interface OidcPending {
  state: string;
  nonce: string;
  verifier: string;
}

/** The person the identity provider vouched for, from the verified ID token. */
export interface OidcIdentity {
  issuer: string;
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
}

export interface OidcSignIn {
  /** The provider's authorization URL (code flow, PKCE S256, state and nonce) and what to keep until the callback. */
  start(): Promise<{ url: string; pending: OidcPending }>;
  /** Exchanges the callback's code (checking state, PKCE and the ID token's nonce, signature and audience). */
  finish(callbackQuery: URLSearchParams, pending: OidcPending): Promise<OidcIdentity>;
}

const unavailable = () =>
  new ApiError(503, 'identity_provider_unavailable', 'the identity provider cannot be reached; try again');

/**
 * OIDC sign-in with openid-client: the provider's metadata is discovered on first use (and again
 * after a failure), plain-HTTP issuers are accepted only on loopback-style test setups the config
 * allows (production demands https).
 */
export function createOidcSignIn(settings: OidcSettings): OidcSignIn {
  const issuerUrl = new URL(settings.issuer);
  let configuration: Promise<oidc.Configuration> | undefined;
  const discover = () => {
    configuration ??= oidc
      .discovery(
        issuerUrl,
        settings.clientId,
        settings.clientSecret,
        undefined,
        issuerUrl.protocol === 'http:' ? { execute: [oidc.allowInsecureRequests], timeout: 5 } : { timeout: 5 },
      )
      .catch((error: unknown) => {
        configuration = undefined;
        throw error;
      });
    return configuration.catch(() => {
      throw unavailable();
    });
  };

  return {
    async start() {
      const config = await discover();
      const pending = { state: oidc.randomState(), nonce: oidc.randomNonce(), verifier: oidc.randomPKCECodeVerifier() };
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: settings.redirectUrl,
        scope: 'openid email profile',
        code_challenge: await oidc.calculatePKCECodeChallenge(pending.verifier),
        code_challenge_method: 'S256',
        state: pending.state,
        nonce: pending.nonce,
      });
      return { url: url.href, pending };
    },

    async finish(callbackQuery, pending) {
      const config = await discover();
      const currentUrl = new URL(settings.redirectUrl);
      currentUrl.search = callbackQuery.toString();
      let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
      try {
        tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
          pkceCodeVerifier: pending.verifier,
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        });
      } catch (error) {
        throw toSignInError(error);
      }
      const claims = tokens.claims();
      if (!claims) throw new ApiError(400, 'oidc_failed', 'the identity provider returned no ID token');
      return {
        issuer: claims.iss,
        subject: claims.sub,
        email: typeof claims.email === 'string' ? claims.email.toLowerCase() : null,
        emailVerified: claims.email_verified === true,
        name: typeof claims.name === 'string' && claims.name.trim() !== '' ? claims.name.trim() : null,
      };
    },
  };
}

/** A failed code exchange as a client error: what went wrong in words, never a token or the code. */
function toSignInError(error: unknown): ApiError {
  if (error instanceof oidc.ResponseBodyError)
    return new ApiError(400, 'oidc_failed', `the identity provider refused the sign-in (${safeCode(error.error)})`);
  if (error instanceof oidc.AuthorizationResponseError)
    return new ApiError(400, 'oidc_failed', `the identity provider refused the sign-in (${safeCode(error.error)})`);
  if (error instanceof TypeError || (error instanceof Error && error.name === 'TimeoutError')) return unavailable();
  if (error instanceof oidc.ClientError)
    return new ApiError(400, 'oidc_failed', `the sign-in response did not check out (${error.code ?? 'invalid'})`);
  return new ApiError(400, 'oidc_failed', 'the sign-in response did not check out');
}

const safeCode = (code: string) => (/^[a-z_]{1,64}$/.test(code) ? code : 'error');
