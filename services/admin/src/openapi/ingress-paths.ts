import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';

type OpenApiPaths = NonNullable<NonNullable<FastifyDynamicSwaggerOptions['openapi']>['paths']>;
type OpenApiParameter = NonNullable<NonNullable<NonNullable<OpenApiPaths[string]>['parameters']>[number]>;

/**
 * Meta's webhook endpoints, served by the ingress (not the admin), described here so that one
 * OpenAPI document shows the whole outer contract (docs/contract.md, HTTP). `webhookBaseUrl` is
 * PUBLIC_WEBHOOK_BASE_URL: where Meta reaches the ingress.
 */
export function ingressWebhookPaths(webhookBaseUrl: string): OpenApiPaths {
  const servers = [{ url: webhookBaseUrl, description: 'the ingress (INGRESS_PORT), as Meta reaches it' }];
  const botId: OpenApiParameter = {
    name: 'botId',
    in: 'path',
    required: true,
    description: 'the bot id from `POST /api/bots`',
    schema: { type: 'string' },
  };
  const error = { $ref: '#/components/schemas/Error' };
  return {
    '/api/bots/webhook/whatsapp/{botId}': {
      get: {
        tags: ['Webhooks (ingress)'],
        summary: "Meta's verification handshake",
        description:
          'Meta calls this when you press "Verify and save" in its portal. Answered by the ingress; each attempt is recorded in the bot\'s `diagnostics.last_verification`.',
        security: [],
        servers,
        parameters: [
          botId,
          { name: 'hub.mode', in: 'query', schema: { type: 'string', enum: ['subscribe'] }, example: 'subscribe' },
          {
            name: 'hub.verify_token',
            in: 'query',
            description: "equal (case-sensitive) to the bot's verify token",
            schema: { type: 'string' },
          },
          { name: 'hub.challenge', in: 'query', schema: { type: 'string' }, example: '1158201444' },
        ],
        responses: {
          200: {
            description: 'Verified: the `hub.challenge` value as the plain-text body',
            content: { 'text/plain': { schema: { type: 'string' }, example: '1158201444' } },
          },
          403: { description: 'Wrong mode or verify token', content: { 'application/json': { schema: error } } },
          404: { description: 'Unknown or inactive bot', content: { 'application/json': { schema: error } } },
        },
      },
      post: {
        tags: ['Webhooks (ingress)'],
        summary: 'A notification from Meta (messages, statuses)',
        description:
          'Where the bot has an `app_secret`, `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the exact raw body>` is required. The raw event is durably enqueued before the 200. Nothing a sender puts in the body makes it answer 5xx (a 503 means the queue is unreachable: Meta retries).',
        security: [],
        servers,
        parameters: [
          botId,
          {
            name: 'X-Hub-Signature-256',
            in: 'header',
            schema: { type: 'string' },
            example: 'sha256=3f9c…',
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  object: { type: 'string', enum: ['whatsapp_business_account'] },
                  entry: { type: 'array', items: { type: 'object' } },
                },
                required: ['object', 'entry'],
              },
              example: {
                object: 'whatsapp_business_account',
                entry: [
                  {
                    id: '102290129340398',
                    changes: [
                      {
                        field: 'messages',
                        value: {
                          messaging_product: 'whatsapp',
                          metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' },
                          contacts: [{ profile: { name: 'Sheena Nelson' }, wa_id: '16505551234' }],
                          messages: [
                            {
                              from: '16505551234',
                              id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
                              timestamp: '1749416383',
                              type: 'text',
                              text: { body: 'Does it come in another color?' },
                            },
                          ],
                        },
                      },
                    ],
                  },
                ],
              },
            },
          },
        },
        responses: {
          200: {
            description: 'Accepted: durably enqueued',
            content: {
              'application/json': {
                schema: { type: 'object', properties: { status: { type: 'string', enum: ['accepted'] } } },
              },
            },
          },
          400: {
            description: 'Not JSON, not UTF-8, not a WhatsApp envelope, or nested too deep',
            content: { 'application/json': { schema: error } },
          },
          401: {
            description: 'Signature missing or wrong: nothing enqueued',
            content: { 'application/json': { schema: error } },
          },
          404: { description: 'Unknown or inactive bot', content: { 'application/json': { schema: error } } },
          413: {
            description: 'Body over WEBHOOK_BODY_LIMIT_BYTES',
            content: { 'application/json': { schema: error } },
          },
          415: { description: 'Not application/json', content: { 'application/json': { schema: error } } },
          503: {
            description: 'The queue is unreachable: retry later (Meta does)',
            content: { 'application/json': { schema: error } },
          },
        },
      },
    },
  };
}
