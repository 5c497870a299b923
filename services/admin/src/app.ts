import { createHash, randomBytes, randomUUID } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { pingRedis } from '@wabot/queue';
import { registerHealthRoutes } from '@wabot/service-runtime';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync, LogController } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createAuthenticator, registerAuthentication } from './auth/authenticate.js';
import { createJwtVerifier } from './auth/jwt-verifier.js';
import { createLoginThrottle } from './auth/login-throttle.js';
import { createOidcSignIn } from './auth/oidc-sign-in.js';
import { hashPassword } from './auth/password-hash.js';
import { SESSION_COOKIE } from './auth/session-cookies.js';
import { createSessions } from './auth/sessions.js';
import { defaultConsoleDir, registerConsole } from './console/serve-console.js';
import type { AdminDeps } from './deps.js';
import { ApiError } from './domain/api-error.js';
import { MULTIPART_LIMITS } from './domain/operator-media.js';
import { defineDanglingRefs } from './openapi/dangling-refs.js';
import { ingressWebhookPaths } from './openapi/ingress-paths.js';
import { withOperatorUploadForm } from './openapi/operator-upload-form.js';
import { describeResponses } from './openapi/response-descriptions.js';
import { registerErrorHandler } from './plugins/error-handler.js';
import { registerApiKeyRoutes } from './routes/api-key-routes.js';
import { registerAuthRoutes } from './routes/auth-routes.js';
import { registerBotRoutes } from './routes/bot-routes.js';
import { registerConversationRoutes } from './routes/conversation-routes.js';
import { registerDeadLetterRoutes } from './routes/dead-letter-routes.js';
import { registerEventRoutes } from './routes/event-routes.js';
import { registerInvitationRoutes } from './routes/invitation-routes.js';
import { registerMediaRoutes } from './routes/media-routes.js';
import { registerOidcRoutes } from './routes/oidc-routes.js';
import { registerTakeoverRoutes } from './routes/takeover-routes.js';
import { registerToolRoutes } from './routes/tool-routes.js';
import { registerVerifyTokenRoute } from './routes/verify-token-route.js';
import { registerWorkspaceRoutes } from './routes/workspace-routes.js';
import { refuseUndeclaredBody, strictInput } from './schemas/strict-input.js';
import { registerTakeoverMetrics } from './takeover-metrics.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Request id: the caller's `x-request-id` when it is sane, else a fresh UUID. */
const requestIdOf = (header: string | string[] | undefined) =>
  typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The request log shows the route pattern instead of the path (a token travels in the path). */
    logRoute?: boolean;
  }
}

/**
 * The admin service as a Fastify instance (never listening): REST API under /api (a session
 * cookie, an API key or a bearer JWT; rate-limited per credential, tenant-scoped), sign-in for
 * people under /api/auth, OpenAPI at /docs, the console (web app) at /, health routes.
 */
export async function buildApp(deps: AdminDeps): Promise<FastifyInstance> {
  const { config, logger } = deps;
  const verifyJwt =
    deps.verifyJwt ??
    createJwtVerifier({
      secret: config.jwtSecret,
      jwksUrl: config.JWT_JWKS_URL,
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
    });
  const sessions = createSessions(deps.repositories, {
    ttlHours: config.SESSION_TTL_HOURS,
    secure: config.secureCookies,
  });
  const authenticate = createAuthenticator({
    verifyJwt,
    repositories: deps.repositories,
    sessions,
    secureCookies: config.secureCookies,
  });
  const oidcSignIn = config.oidc ? createOidcSignIn(config.oidc) : null;
  const dummyPasswordHash = hashPassword(randomBytes(16).toString('hex'));
  const loginThrottle = createLoginThrottle(deps.redis, {
    prefix: config.REDIS_PREFIX,
    max: config.LOGIN_RATE_LIMIT_MAX,
    windowMs: config.LOGIN_RATE_LIMIT_WINDOW_MS,
  });

  // pino's Logger is a FastifyBaseLogger; typing it as such keeps the instance type the plain one.
  const loggerInstance: FastifyBaseLogger = logger;
  const app = Fastify({
    loggerInstance,
    bodyLimit: config.BODY_LIMIT_BYTES,
    genReqId: (request) => requestIdOf(request.headers['x-request-id']),
    return503OnClosing: true,
    // One line per request (below) instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // An empty body sent as JSON (`curl -X POST -H 'content-type: application/json' .../activate`)
  // means "no body", as for a request without one; anything else goes through Fastify's parser
  // (prototype-poisoning protection included).
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body.toString();
    if (text.trim() === '') return done(null, undefined);
    return parseJson(request, text, done);
  });
  const clientRoute = await registerConsole(app, config.CONSOLE_DIR ?? defaultConsoleDir());
  registerErrorHandler(app, { notFound: clientRoute });
  // Every request body is strict, in this one place: an unknown field is a 400 naming it (a typo,
  // or a field the client may not set: id, status, workspace_id on update...), never dropped; a
  // write route without a body schema refuses any field.
  app.addHook('onRoute', (route) => {
    const body = route.schema?.body;
    if (body instanceof z.ZodType) route.schema = { ...route.schema, body: strictInput(body) };
    else if (body === undefined) refuseUndeclaredBody(route);
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  // Reads (the console's queries, probes hit /readyz) log at debug; changes and
  // failures at info, so the foreground log shows what someone did.
  app.addHook('onResponse', async (request, reply) => {
    const read = request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS';
    const level = reply.statusCode >= 500 ? 'warn' : read && reply.statusCode < 400 ? 'debug' : 'info';
    request.log[level](
      {
        method: request.method,
        path: request.routeOptions.config.logRoute ? request.routeOptions.url : request.url.split('?')[0],
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request',
    );
  });

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'wabot admin API',
        description:
          "Workspaces, WhatsApp bots, activation, HTTP tools, conversations and dead letters. Every /api route but the public sign-in ones needs a credential: `Authorization: Bearer <JWT>`, `Authorization: Bearer wbk_...` (a personal API key) or the `wabot_session` cookie (changes then also send the `wabot_csrf` cookie's value as `x-csrf-token`); errors are `{error:{code, message, details}}`.",
        version: '1.0.0',
      },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          apiKeyAuth: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'wbk_<random>',
            description: 'A personal API key (POST /api/auth/api-keys), sent as `Authorization: Bearer wbk_...`',
          },
          cookieAuth: {
            type: 'apiKey',
            in: 'cookie',
            name: SESSION_COOKIE,
            description:
              'The session cookie set by sign-in; POST/PATCH/DELETE also send the `wabot_csrf` cookie value in `x-csrf-token`',
          },
        },
      },
      security: [{ bearerAuth: [] }, { apiKeyAuth: [] }, { cookieAuth: [] }],
      paths: ingressWebhookPaths(config.webhookBaseUrl),
    },
    transform: jsonSchemaTransform,
    transformObject: (documentObject) =>
      defineDanglingRefs(describeResponses(withOperatorUploadForm(jsonSchemaTransformObject(documentObject)))),
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });

  registerTakeoverMetrics(deps.metrics, deps.repositories);
  registerHealthRoutes(app, {
    checks: {
      redis: () => pingRedis(deps.redis),
      postgres: () => deps.repositories.ping(),
    },
    registry: deps.metrics,
    ...(deps.isShuttingDown ? { isShuttingDown: deps.isShuttingDown } : {}),
  });

  // Open event streams end first, or the server would wait for them to close.
  app.addHook('preClose', async () => deps.liveEvents.close());
  // Signed cookies (the OIDC sign-in state) use SESSION_SECRET.
  await app.register(fastifyCookie, { secret: config.sessionSecret });
  app.decorateRequest('caller', null);
  app.decorateRequest('auth', null);
  const apiRoutes: FastifyPluginAsync = async (api) => {
    registerAuthentication(api, authenticate);
    await api.register(fastifyRateLimit, {
      global: true,
      hook: 'preHandler',
      max: config.API_RATE_LIMIT_MAX,
      timeWindow: config.API_RATE_LIMIT_WINDOW_MS,
      redis: deps.redis,
      nameSpace: `${config.REDIS_PREFIX}:admin-rate-limit:`,
      skipOnError: true,
      // Per credential (hashed: the key lands in Redis), so one client cannot starve the others.
      keyGenerator: (request) =>
        createHash('sha256')
          .update(request.headers.authorization ?? request.cookies[SESSION_COOKIE] ?? request.ip)
          .digest('base64url')
          .slice(0, 32),
      errorResponseBuilder: (_request, context) =>
        new ApiError(429, 'rate_limited', `too many requests; retry in ${context.after}`, {
          limit: context.max,
          retry_after_ms: context.ttl,
        }),
    });
    // Operators' uploads (POST /api/conversations/:id/messages); streamed, never buffered whole.
    await api.register(fastifyMultipart, { limits: MULTIPART_LIMITS });
    registerAuthRoutes(api, deps, { authenticate, sessions, loginThrottle, dummyPasswordHash });
    registerApiKeyRoutes(api, deps);
    registerInvitationRoutes(api, deps, sessions);
    registerOidcRoutes(api, deps, { signIn: oidcSignIn, sessions });
    registerWorkspaceRoutes(api, deps);
    registerBotRoutes(api, deps);
    registerVerifyTokenRoute(api, deps);
    registerToolRoutes(api, deps);
    registerConversationRoutes(api, deps);
    registerTakeoverRoutes(api, deps);
    registerDeadLetterRoutes(api, deps);
    registerMediaRoutes(api, deps);
    registerEventRoutes(api, deps);
  };
  await app.register(apiRoutes, { prefix: '/api' });

  return app;
}
