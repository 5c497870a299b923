import { createHash, randomUUID } from 'node:crypto';
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
import { createJwtVerifier } from './auth/jwt-verifier.js';
import { dashboardHtml } from './dashboard/dashboard-html.js';
import type { AdminDeps } from './deps.js';
import { ApiError } from './domain/api-error.js';
import { ingressWebhookPaths } from './openapi/ingress-paths.js';
import { describeResponses } from './openapi/response-descriptions.js';
import { registerErrorHandler } from './plugins/error-handler.js';
import { registerBotRoutes } from './routes/bot-routes.js';
import { registerConversationRoutes } from './routes/conversation-routes.js';
import { registerDeadLetterRoutes } from './routes/dead-letter-routes.js';
import { registerTakeoverRoutes } from './routes/takeover-routes.js';
import { registerToolRoutes } from './routes/tool-routes.js';
import { registerWorkspaceRoutes } from './routes/workspace-routes.js';
import { refuseUndeclaredBody, strictInput } from './schemas/strict-input.js';
import { registerTakeoverMetrics } from './takeover-metrics.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Request id: the caller's `x-request-id` when it is sane, else a fresh UUID. */
const requestIdOf = (header: string | string[] | undefined) =>
  typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();

const DASHBOARD_CSP =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * The admin service as a Fastify instance (never listening): REST API under /api (Bearer JWT,
 * rate-limited per token, tenant-scoped), OpenAPI at /docs, the dashboard at /, health routes.
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
  registerErrorHandler(app);
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
  // Reads (the dashboard polls every few seconds, probes hit /readyz) log at debug; changes and
  // failures at info, so the foreground log shows what someone did.
  app.addHook('onResponse', async (request, reply) => {
    const read = request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS';
    const level = reply.statusCode >= 500 ? 'warn' : read && reply.statusCode < 400 ? 'debug' : 'info';
    request.log[level](
      {
        method: request.method,
        path: request.url.split('?')[0],
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
          'Workspaces, WhatsApp bots, activation, HTTP tools, conversations and dead letters. Every /api route needs `Authorization: Bearer <JWT>`; errors are `{error:{code, message, details}}`.',
        version: '1.0.0',
      },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearerAuth: [] }],
      paths: ingressWebhookPaths(config.webhookBaseUrl),
    },
    transform: jsonSchemaTransform,
    transformObject: (documentObject) => describeResponses(jsonSchemaTransformObject(documentObject)),
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

  app.get('/', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').header('content-security-policy', DASHBOARD_CSP).send(dashboardHtml),
  );

  app.decorateRequest('caller', null);
  const apiRoutes: FastifyPluginAsync = async (api) => {
    api.addHook('onRequest', async (request) => {
      request.caller = await verifyJwt(request.headers.authorization);
    });
    await api.register(fastifyRateLimit, {
      global: true,
      hook: 'preHandler',
      max: config.API_RATE_LIMIT_MAX,
      timeWindow: config.API_RATE_LIMIT_WINDOW_MS,
      redis: deps.redis,
      nameSpace: `${config.REDIS_PREFIX}:admin-rate-limit:`,
      skipOnError: true,
      // Per token (hashed: the key lands in Redis), so one client cannot starve the others.
      keyGenerator: (request) =>
        createHash('sha256')
          .update(request.headers.authorization ?? request.ip)
          .digest('base64url')
          .slice(0, 32),
      errorResponseBuilder: (_request, context) =>
        new ApiError(429, 'rate_limited', `too many requests; retry in ${context.after}`, {
          limit: context.max,
          retry_after_ms: context.ttl,
        }),
    });
    registerWorkspaceRoutes(api, deps);
    registerBotRoutes(api, deps);
    registerToolRoutes(api, deps);
    registerConversationRoutes(api, deps);
    registerTakeoverRoutes(api, deps);
    registerDeadLetterRoutes(api, deps);
  };
  await app.register(apiRoutes, { prefix: '/api' });

  return app;
}
