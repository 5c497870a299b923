import { isUtf8 } from 'node:buffer';
import {
  type BotDiagnosticsStore,
  type BotRegistry,
  type BotRuntime,
  verificationFailureOf,
} from '@wabot/bot-registry';
import type { RedisClient, ShardedProducer } from '@wabot/queue';
import { isWhatsAppWebhook, verifyWebhookSignature, WEBHOOK_ROUTE } from '@wabot/whatsapp';
import type { FastifyError, FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import { constantTimeEqual } from '../constant-time-equal.js';
import type { IngressMetrics, NotificationOutcome, VerificationOutcome } from '../ingress-metrics.js';
import { exceedsNestingDepth } from '../json-nesting.js';
import { createLimitedBodyParser } from '../limited-body-parser.js';
import { createShardedWebhookBatcher } from '../webhook-batcher.js';

export interface WebhookRoutesOptions {
  bots: Pick<BotRegistry, 'get'>;
  diagnostics: BotDiagnosticsStore;
  /** One producer per stage-1 shard (a bot's webhooks go to its shard's queue). */
  webhooks: ShardedProducer;
  /** The producers' connection: while it is not ready, POSTs get 503 at once instead of waiting. */
  redis: RedisClient;
  metrics: IngressMetrics;
  bodyLimit: number;
  enqueueTimeoutMs: number;
  /** After each confirmed write, before its 200s (INGRESS_DURABILITY=replica: WAIT for replicas). */
  confirmWrite?: () => Promise<void>;
  /** False until WEBHOOK_SHARDS was compared with the deployment's: POSTs get 503 meanwhile. */
  shardsVerified?: () => boolean;
}

interface WebhookRoute {
  Params: { botId: string };
  Querystring: Record<string, unknown>;
}

// Ids the admin service hands out are short and URL-safe; anything else cannot name a bot, so it is
// answered without a database lookup.
const BOT_ID = /^[A-Za-z0-9_-]{1,128}$/;
const ACCEPTED = '{"status":"accepted"}';
const JSON_TYPE = 'application/json; charset=utf-8';
const MAX_WARNED_BOTS = 10_000;
// Meta's notifications nest about ten levels deep. Below 16 KiB even the worst nesting parses in
// well under a millisecond, so typical bodies skip the extra scan.
const MAX_NESTING_DEPTH = 64;
const NESTING_SCAN_MIN_BYTES = 16 * 1024;

class BotLookupError extends Error {
  constructor(cause: unknown) {
    super('bot lookup failed', { cause });
    this.name = 'BotLookupError';
  }
}

const errorBody = (code: string, message: string) => JSON.stringify({ error: { code, message, details: {} } });

/**
 * Meta's webhook endpoints, in their own scope (raw-body JSON parser, error handler):
 * GET = verification handshake, POST = notification → verify signature → enqueue → 200.
 */
export const webhookRoutes: FastifyPluginCallback<WebhookRoutesOptions> = (scope, options, done) => {
  const { bots, diagnostics, webhooks, redis, metrics, bodyLimit, enqueueTimeoutMs } = options;
  const shardsVerified = options.shardsVerified ?? (() => true);
  const warnedUnsigned = new Set<string>();
  const batcher = createShardedWebhookBatcher(webhooks, {
    timeoutMs: enqueueTimeoutMs,
    onWrite: (events) => metrics.batchWritten(events),
    ...(options.confirmWrite ? { confirmWrite: options.confirmWrite } : {}),
  });

  // Keep the exact bytes: the signature covers them and re-serialized JSON would not match.
  // Only JSON is accepted (any charset parameter); other media types get Fastify's 415.
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('application/json', createLimitedBodyParser(bodyLimit));

  const lookup = async (botId: string): Promise<BotRuntime | null> => {
    if (!BOT_ID.test(botId)) return null;
    try {
      return await bots.get(botId);
    } catch (error) {
      throw new BotLookupError(error);
    }
  };

  /** Answers a POST, counts it and logs it: the one exit of every notification. */
  const answerNotification = (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    outcome: NotificationOutcome,
    detail: { code?: string; message?: string; jobId?: string; shard?: number; err?: unknown } = {},
  ): FastifyReply => {
    metrics.notification(outcome, reply.elapsedTime / 1000);
    const botId = botIdOf(request);
    if (outcome === 'accepted') {
      // Accepted events are counted by metrics; a line each at info would cost more than the enqueue itself at peak.
      request.log.debug({ botId, outcome, shard: detail.shard, jobId: detail.jobId }, 'webhook accepted');
      return reply.code(200).type(JSON_TYPE).send(ACCEPTED);
    }
    const code = detail.code ?? outcome;
    const message = detail.message ?? outcome;
    if (status >= 500)
      request.log.warn({ botId, outcome, status, reason: message, err: detail.err }, 'webhook not accepted');
    else request.log.info({ botId, outcome, status, reason: message }, 'webhook rejected');
    return reply.code(status).type(JSON_TYPE).send(errorBody(code, message));
  };

  const answerVerification = (
    request: FastifyRequest,
    reply: FastifyReply,
    outcome: VerificationOutcome,
    challenge?: string,
  ): FastifyReply => {
    metrics.verification(outcome);
    const botId = botIdOf(request);
    if (outcome === 'verified' && challenge !== undefined) {
      request.log.info({ botId, outcome }, 'webhook verified');
      // Echo the challenge byte for byte; nosniff so a browser never renders it as anything but text.
      return reply
        .code(200)
        .type('text/plain; charset=utf-8')
        .header('x-content-type-options', 'nosniff')
        .send(challenge);
    }
    const status = outcome === 'rejected' ? 403 : outcome === 'unavailable' ? 503 : 404;
    const code = outcome === 'rejected' ? 'forbidden' : outcome === 'unavailable' ? 'unavailable' : 'not_found';
    request.log.info({ botId, outcome, status }, 'webhook verification refused');
    return reply
      .code(status)
      .type(JSON_TYPE)
      .send(errorBody(code, messageOf(outcome)));
  };

  scope.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode ?? 500;
    const lookupFailed = error instanceof BotLookupError;
    if (request.method === 'GET') {
      if (!lookupFailed) request.log.error({ err: error }, 'webhook verification failed unexpectedly');
      return answerVerification(request, reply, 'unavailable');
    }
    if (lookupFailed)
      return answerNotification(request, reply, 503, 'unavailable', {
        message: 'bot lookup failed; retry later',
        err: error.cause,
      });
    if (status === 413)
      return answerNotification(request, reply, 413, 'bad_input', {
        code: 'payload_too_large',
        message: `body larger than ${bodyLimit} bytes`,
      });
    if (status === 415)
      return answerNotification(request, reply, 415, 'bad_input', {
        code: 'unsupported_media_type',
        message: 'content-type must be application/json',
      });
    if (status >= 400 && status < 500)
      return answerNotification(request, reply, status, 'bad_input', { code: 'bad_request', message: error.message });
    request.log.error({ err: error }, 'webhook failed unexpectedly');
    return answerNotification(request, reply, 500, 'unavailable', { code: 'internal', message: 'internal error' });
  });

  scope.get<WebhookRoute>(WEBHOOK_ROUTE, async (request, reply) => {
    const bot = await lookup(request.params.botId);
    if (!bot) return answerVerification(request, reply, 'unknown_bot');
    if (!bot.active) return answerVerification(request, reply, 'inactive_bot');
    const challenge = request.query['hub.challenge'];
    const failure = verificationFailureOf(
      { mode: request.query['hub.mode'], token: request.query['hub.verify_token'], challenge },
      bot.verifyToken,
      constantTimeEqual,
    );
    diagnostics.recordVerification(bot.id, failure ? 'rejected' : 'verified', failure);
    if (failure !== null || typeof challenge !== 'string') return answerVerification(request, reply, 'rejected');
    return answerVerification(request, reply, 'verified', challenge);
  });

  scope.post<WebhookRoute>(WEBHOOK_ROUTE, async (request, reply) => {
    const { botId } = request.params;
    const bot = await lookup(botId);
    if (!bot)
      return answerNotification(request, reply, 404, 'unknown_bot', { code: 'not_found', message: 'no such bot' });
    if (!bot.active)
      return answerNotification(request, reply, 404, 'inactive_bot', {
        code: 'not_found',
        message: 'bot is not active',
      });

    const raw = request.body;
    if (!Buffer.isBuffer(raw))
      return answerNotification(request, reply, 400, 'bad_input', { code: 'bad_request', message: 'empty body' });

    if (bot.appSecret !== null) {
      const header = request.headers['x-hub-signature-256'];
      if (!verifyWebhookSignature(bot.appSecret, raw, header)) {
        diagnostics.countRejectedSignature(bot.id);
        return answerNotification(request, reply, 401, 'bad_signature', {
          code: 'bad_signature',
          message: header === undefined ? 'X-Hub-Signature-256 missing' : 'X-Hub-Signature-256 does not match the body',
        });
      }
    } else if (!warnedUnsigned.has(botId)) {
      if (warnedUnsigned.size >= MAX_WARNED_BOTS) warnedUnsigned.clear();
      warnedUnsigned.add(botId);
      request.log.warn({ botId }, 'bot has no app_secret: accepting unsigned webhooks (development only)');
    }

    // The job stores the body as text, so it must be valid UTF-8 to stay byte-for-byte what Meta sent.
    if (!isUtf8(raw)) return answerNotification(request, reply, 400, 'bad_input', { message: 'body is not UTF-8' });
    if (raw.length >= NESTING_SCAN_MIN_BYTES && exceedsNestingDepth(raw, MAX_NESTING_DEPTH))
      return answerNotification(request, reply, 400, 'bad_input', {
        message: `JSON nested deeper than ${MAX_NESTING_DEPTH} levels`,
      });
    const rawBody = raw.toString('utf8');
    let payload: unknown;
    try {
      payload = JSON.parse(rawBody);
    } catch {
      return answerNotification(request, reply, 400, 'bad_input', { message: 'body is not JSON' });
    }
    // Only the envelope routing needs (`object`, `entry` array); the worker parses the rest.
    if (!isWhatsAppWebhook(payload))
      return answerNotification(request, reply, 400, 'bad_input', {
        message: 'not a whatsapp_business_account notification',
      });

    // Fail fast: with the connection down, waiting would only hold Meta's request open.
    if (redis.status !== 'ready' || !shardsVerified()) {
      metrics.enqueueFailure();
      return answerNotification(request, reply, 503, 'unavailable', { message: 'queue unavailable; retry later' });
    }
    try {
      const signature = request.headers['x-hub-signature-256'];
      const { shard, jobId } = await batcher.enqueue({
        botId,
        rawBody,
        receivedAt: Date.now(),
        requestId: request.id,
        // Events for another number of the workspace are routed by the worker to that number's bot
        // only if this signature verifies with that bot's app secret too.
        ...(typeof signature === 'string' && bot.appSecret !== null ? { signature } : {}),
      });
      diagnostics.recordWebhook(bot.id);
      return answerNotification(request, reply, 200, 'accepted', { jobId, shard });
    } catch (err) {
      metrics.enqueueFailure();
      return answerNotification(request, reply, 503, 'unavailable', { message: 'queue unavailable; retry later', err });
    }
  });
  done();
};

function botIdOf(request: FastifyRequest): string | undefined {
  const params = request.params;
  return params && typeof params === 'object' && 'botId' in params && typeof params.botId === 'string'
    ? params.botId
    : undefined;
}

function messageOf(outcome: VerificationOutcome): string {
  switch (outcome) {
    case 'rejected':
      return 'hub.mode must be subscribe and hub.verify_token must match';
    case 'unavailable':
      return 'bot lookup failed; retry later';
    case 'inactive_bot':
      return 'bot is not active';
    default:
      return 'no such bot';
  }
}
