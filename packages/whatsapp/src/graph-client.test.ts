import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GraphApiError } from './graph-api-error.js';
import { createGraphClient, type GraphClient, parseRetryAfter, toRecipientField } from './graph-client.js';

interface Recorded {
  method: string;
  url: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: unknown;
}

type Handler = (req: IncomingMessage, res: ServerResponse, body: unknown) => void;

const TOKEN = 'EAAG-secret-token-value';
const APP_TOKEN = '1234567890|app-secret-token';
const auth = { phoneNumberId: '106000000000001', accessToken: TOKEN };

function portOf(server: Server): number {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server is not listening on TCP');
  return address.port;
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

const okSend: Handler = (_req, res, body) => {
  const to = typeof body === 'object' && body !== null && 'to' in body ? body.to : null;
  json(res, 200, {
    messaging_product: 'whatsapp',
    contacts: [{ input: to, wa_id: '15557654321' }],
    messages: [{ id: 'wamid.SENT1' }],
  });
};

const graphError = (status: number, code: number, message: string, extra: Record<string, unknown> = {}): Handler => {
  return (_req, res) =>
    json(res, status, { error: { message, type: 'OAuthException', code, fbtrace_id: 'AbCdEf', ...extra } });
};

describe('createGraphClient', () => {
  let server: Server;
  let baseUrl: string;
  let client: GraphClient;
  const requests: Recorded[] = [];
  let handler: Handler = okSend;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const body: unknown = raw === '' ? undefined : JSON.parse(raw);
        requests.push({
          method: req.method ?? '',
          url: req.url ?? '',
          authorization: req.headers.authorization,
          contentType: req.headers['content-type'],
          body,
        });
        handler(req, res, body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${portOf(server)}/`;
    client = createGraphClient({ baseUrl, version: 'v25.0', timeoutMs: 1000 });
  });

  afterEach(() => {
    requests.length = 0;
    handler = okSend;
  });

  afterAll(async () => {
    await client.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  async function failure(promise: Promise<unknown>): Promise<GraphApiError> {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    if (!(error instanceof GraphApiError)) throw new Error(`expected a GraphApiError, got ${String(error)}`);
    for (const secret of [TOKEN, APP_TOKEN]) {
      expect(error.message).not.toContain(secret);
      expect(JSON.stringify({ ...error, message: error.message })).not.toContain(secret);
    }
    return error;
  }

  const envelope = { messaging_product: 'whatsapp', recipient_type: 'individual', to: '+15557654321' };

  it('sends reply buttons, a list, a CTA URL and a location request as the interactive payloads of §9.2', async () => {
    await client.sendAction(auth, '15557654321', {
      kind: 'buttons',
      body: 'Pick one',
      buttons: [
        { id: 'yes', title: 'Yes' },
        { id: 'no', title: 'No' },
      ],
    });
    await client.sendAction(auth, '15557654321', {
      kind: 'list',
      body: 'Our menu',
      button: 'See menu',
      sections: [
        {
          title: 'Drinks',
          rows: [
            { id: 'tea', title: 'Tea', description: 'Hot' },
            { id: 'cola', title: 'Cola' },
          ],
        },
      ],
    });
    await client.sendAction(auth, '15557654321', {
      kind: 'cta_url',
      body: 'Track it',
      display_text: 'Open',
      url: 'https://example.com/t/1',
    });
    await client.sendAction(auth, '15557654321', { kind: 'location_request', body: 'Where are you?' });
    expect(requests.map((r) => r.body)).toEqual([
      {
        ...envelope,
        type: 'interactive',
        interactive: {
          type: 'button',
          body: { text: 'Pick one' },
          action: {
            buttons: [
              { type: 'reply', reply: { id: 'yes', title: 'Yes' } },
              { type: 'reply', reply: { id: 'no', title: 'No' } },
            ],
          },
        },
      },
      {
        ...envelope,
        type: 'interactive',
        interactive: {
          type: 'list',
          body: { text: 'Our menu' },
          action: {
            button: 'See menu',
            sections: [
              {
                title: 'Drinks',
                rows: [
                  { id: 'tea', title: 'Tea', description: 'Hot' },
                  { id: 'cola', title: 'Cola' },
                ],
              },
            ],
          },
        },
      },
      {
        ...envelope,
        type: 'interactive',
        interactive: {
          type: 'cta_url',
          body: { text: 'Track it' },
          action: { name: 'cta_url', parameters: { display_text: 'Open', url: 'https://example.com/t/1' } },
        },
      },
      {
        ...envelope,
        type: 'interactive',
        interactive: {
          type: 'location_request_message',
          body: { text: 'Where are you?' },
          action: { name: 'send_location' },
        },
      },
    ]);
  });

  it('sends media by link (caption on image/video/document, filename on documents only) and reactions', async () => {
    const sends = [
      { kind: 'media', type: 'image', url: 'https://cdn.example.com/a.jpg', caption: 'A' },
      { kind: 'media', type: 'document', url: 'https://cdn.example.com/b.pdf', caption: 'B', filename: 'b.pdf' },
      { kind: 'media', type: 'audio', url: 'https://cdn.example.com/c.mp3', caption: 'dropped', filename: 'x' },
      { kind: 'media', type: 'video', url: 'https://cdn.example.com/d.mp4' },
    ] as const;
    for (const action of sends) await client.sendAction(auth, '15557654321', action);
    const result = await client.sendReaction(auth, '15557654321', 'wamid.IN1', '👍');
    expect(result.messageId).toBe('wamid.SENT1');
    expect(requests.map((r) => r.body)).toEqual([
      { ...envelope, type: 'image', image: { link: 'https://cdn.example.com/a.jpg', caption: 'A' } },
      {
        ...envelope,
        type: 'document',
        document: { link: 'https://cdn.example.com/b.pdf', caption: 'B', filename: 'b.pdf' },
      },
      { ...envelope, type: 'audio', audio: { link: 'https://cdn.example.com/c.mp3' } },
      { ...envelope, type: 'video', video: { link: 'https://cdn.example.com/d.mp4' } },
      { ...envelope, type: 'reaction', reaction: { message_id: 'wamid.IN1', emoji: '👍' } },
    ]);
  });

  it('addresses a user known only by a business-scoped user id with `recipient`, never `to` (§9.1)', async () => {
    handler = (_req, res) =>
      json(res, 200, {
        messaging_product: 'whatsapp',
        contacts: [{ input: 'US.13491208655302741918', user_id: 'US.13491208655302741918' }],
        messages: [{ id: 'wamid.SENT2' }],
      });
    const result = await client.sendText(auth, 'US.13491208655302741918', 'hi');
    await client.sendAction(auth, 'US.13491208655302741918', { kind: 'location_request', body: 'Where?' });
    await client.sendReaction(auth, 'US.13491208655302741918', 'wamid.IN1', '👍');
    expect(result).toEqual({ messageId: 'wamid.SENT2', waId: null, userId: 'US.13491208655302741918' });
    for (const request of requests) {
      expect(request.body).toMatchObject({ recipient: 'US.13491208655302741918', recipient_type: 'individual' });
      expect(request.body).not.toHaveProperty('to');
    }
  });

  it('throws the 131009 for a refused action like any send', async () => {
    handler = graphError(400, 131009, '(#131009) Parameter value is not valid', {
      error_data: {
        messaging_product: 'whatsapp',
        details: 'Button title length invalid. Min length: 1, Max length: 20',
      },
    });
    const error = await failure(client.sendAction(auth, '15557654321', { kind: 'location_request', body: 'x' }));
    expect(error).toMatchObject({ code: 131009, category: 'permanent' });
    expect(error.details).toBe('Button title length invalid. Min length: 1, Max length: 20');
  });

  it('sends a text in Meta shape with the bearer token and returns the wamid', async () => {
    const result = await client.sendText(auth, '15557654321', 'Hello 👋', {
      replyToMessageId: 'wamid.IN1',
      bizOpaqueCallbackData: 'job-1',
    });
    expect(result).toEqual({ messageId: 'wamid.SENT1', waId: '15557654321', userId: null });
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      method: 'POST',
      url: '/v25.0/106000000000001/messages',
      authorization: `Bearer ${TOKEN}`,
      contentType: 'application/json',
    });
    expect(requests[0]?.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '+15557654321',
      type: 'text',
      text: { preview_url: false, body: 'Hello 👋' },
      context: { message_id: 'wamid.IN1' },
      biz_opaque_callback_data: 'job-1',
    });
  });

  it('sends to a business-scoped user id in `recipient`, without `to`', async () => {
    handler = (_req, res) =>
      json(res, 200, {
        messaging_product: 'whatsapp',
        contacts: [{ input: 'DE.13000000000000000777', user_id: 'DE.13000000000000000777' }],
        messages: [{ id: 'wamid.SENT2' }],
      });
    const result = await client.sendText(auth, 'DE.13000000000000000777', 'hi', { previewUrl: true });
    expect(result).toEqual({ messageId: 'wamid.SENT2', waId: null, userId: 'DE.13000000000000000777' });
    expect(requests[0]?.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      recipient: 'DE.13000000000000000777',
      type: 'text',
      text: { preview_url: true, body: 'hi' },
    });
  });

  it('sends a template with body parameters', async () => {
    await client.sendTemplate(auth, '+44 7700 900123', {
      name: 'reopen',
      language: 'en_US',
      parameters: ['Ana', '42'],
    });
    expect(requests[0]?.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '+447700900123',
      type: 'template',
      template: {
        name: 'reopen',
        language: { code: 'en_US' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Ana' },
              { type: 'text', text: '42' },
            ],
          },
        ],
      },
    });
  });

  it('omits components for a template without parameters', async () => {
    await client.sendTemplate(auth, '15557654321', { name: 'hello_world', language: 'en_US', parameters: [] });
    expect(requests[0]?.body).toMatchObject({ template: { name: 'hello_world', language: { code: 'en_US' } } });
    expect(requests[0]?.body).not.toHaveProperty('template.components');
  });

  it('marks a message read, with and without the typing indicator', async () => {
    handler = (_req, res) => json(res, 200, { success: true });
    await client.markRead(auth, 'wamid.IN1');
    await client.markRead(auth, 'wamid.IN2', { typingIndicator: true });
    expect(requests.map((r) => r.body)).toEqual([
      { messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.IN1' },
      { messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.IN2', typing_indicator: { type: 'text' } },
    ]);
    expect(requests[1]?.url).toBe('/v25.0/106000000000001/messages');
  });

  it('reads the phone number', async () => {
    handler = (_req, res) =>
      json(res, 200, {
        verified_name: 'Lucky Shrub',
        display_phone_number: '15550783881',
        quality_rating: 'GREEN',
        id: '106000000000001',
      });
    const info = await client.getPhoneNumber(auth);
    expect(info).toEqual({
      id: '106000000000001',
      displayPhoneNumber: '15550783881',
      verifiedName: 'Lucky Shrub',
      qualityRating: 'GREEN',
    });
    expect(requests[0]?.method).toBe('GET');
    expect(requests[0]?.url).toBe('/v25.0/106000000000001?fields=id,display_phone_number,verified_name,quality_rating');
    expect(requests[0]?.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('debugs the token with itself by default', async () => {
    handler = (_req, res) =>
      json(res, 200, {
        data: {
          app_id: '1234567890',
          type: 'SYSTEM_USER',
          application: 'wabot',
          data_access_expires_at: 0,
          expires_at: 1_893_456_000,
          is_valid: true,
          issued_at: 1_780_000_000,
          scopes: ['whatsapp_business_messaging', 'whatsapp_business_management'],
          granular_scopes: [
            { scope: 'whatsapp_business_messaging', target_ids: ['102290129340398'] },
            { scope: 'business_management' },
          ],
          user_id: '100000000000001',
        },
      });
    const info = await client.debugToken(auth);
    expect(info).toEqual({
      isValid: true,
      appId: '1234567890',
      type: 'SYSTEM_USER',
      expiresAt: new Date(1_893_456_000_000),
      dataAccessExpiresAt: null,
      scopes: ['whatsapp_business_messaging', 'whatsapp_business_management'],
      granularScopes: [
        { scope: 'whatsapp_business_messaging', targetIds: ['102290129340398'] },
        { scope: 'business_management', targetIds: [] },
      ],
      error: null,
    });
    expect(requests[0]).toMatchObject({
      method: 'GET',
      url: `/v25.0/debug_token?input_token=${TOKEN}`,
      authorization: `Bearer ${TOKEN}`,
    });
  });

  it('debugs the token with an app token; a never-expiring token has no expiry', async () => {
    handler = (_req, res) => json(res, 200, { data: { is_valid: true, expires_at: 0, scopes: [] } });
    const info = await client.debugToken(auth, APP_TOKEN);
    expect(info).toMatchObject({ isValid: true, expiresAt: null, appId: null, type: null, error: null });
    expect(requests[0]?.authorization).toBe(`Bearer ${APP_TOKEN}`);
  });

  it('reports an invalid input token as isValid false with Meta’s reason, redacted', async () => {
    handler = (_req, res) =>
      json(res, 200, {
        data: {
          error: { code: 190, subcode: 460, message: `The session for ${TOKEN} has been invalidated` },
          is_valid: false,
          scopes: [],
        },
      });
    const info = await client.debugToken(auth, APP_TOKEN);
    expect(info.isValid).toBe(false);
    expect(info.error).toEqual({
      code: 190,
      subcode: 460,
      message: 'The session for [REDACTED] has been invalidated',
    });
  });

  it('throws a redacted credentials error when debug_token rejects the token', async () => {
    handler = graphError(400, 190, `Invalid OAuth access token ${APP_TOKEN} for ${TOKEN}`);
    const error = await failure(client.debugToken(auth, APP_TOKEN));
    expect(error).toMatchObject({ status: 400, code: 190, category: 'credentials' });
    expect(error.title).toBe('Invalid OAuth access token [REDACTED] for [REDACTED]');
  });

  it('throws a permanent error for a malformed 2xx debug_token or phone number answer', async () => {
    handler = (_req, res) => json(res, 200, { data: { expires_at: 'never' } });
    expect(await failure(client.debugToken(auth))).toMatchObject({ status: 200, category: 'permanent' });
    handler = (_req, res) => json(res, 200, ['not', 'an', 'object']);
    expect(await failure(client.debugToken(auth))).toMatchObject({ status: 200, category: 'permanent' });
    handler = (_req, res) => json(res, 200, { display_phone_number: '15550783881' });
    expect(await failure(client.getPhoneNumber(auth))).toMatchObject({
      status: 200,
      title: 'Unexpected phone number response',
      category: 'permanent',
    });
  });

  it('parses a malformed error body into a GraphApiError by status', async () => {
    handler = (_req, res) => json(res, 401, { error: 'boom' });
    expect(await failure(client.getPhoneNumber(auth))).toMatchObject({
      status: 401,
      code: null,
      title: 'HTTP 401',
      details: '{"error":"boom"}',
      category: 'credentials',
    });
    handler = (_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end('{"error":{"code":100,"message":"trunc');
    };
    expect(await failure(client.debugToken(auth))).toMatchObject({ status: 400, code: null, category: 'permanent' });
    handler = (_req, res) => json(res, 400, { error: { code: '131047', message: 7 } });
    expect(await failure(client.sendText(auth, '15557654321', 'hi'))).toMatchObject({
      status: 400,
      code: null,
      title: 'HTTP 400',
    });
  });

  it('parses 400/131047 into window_closed with details', async () => {
    handler = graphError(400, 131047, '(#131047) Re-engagement message', {
      error_data: { messaging_product: 'whatsapp', details: 'More than 24 hours have passed.' },
    });
    const error = await failure(client.sendText(auth, '15550009047', 'late'));
    expect(error).toMatchObject({
      status: 400,
      code: 131047,
      subcode: null,
      title: '(#131047) Re-engagement message',
      details: 'More than 24 hours have passed.',
      fbtraceId: 'AbCdEf',
      retryAfterMs: null,
      category: 'window_closed',
    });
    expect(error.message).toBe('Graph API HTTP 400 (#131047): (#131047) Re-engagement message');
  });

  it('parses 401/190 into credentials without leaking the token', async () => {
    handler = graphError(401, 190, `Error validating access token ${TOKEN}: Session has expired`, {
      error_subcode: 463,
    });
    const error = await failure(client.sendText(auth, '15557654321', 'hi'));
    expect(error).toMatchObject({ status: 401, code: 190, subcode: 463, category: 'credentials' });
    expect(error.title).toContain('[REDACTED]');
  });

  it('parses 429 with Retry-After seconds as retryable', async () => {
    handler = (_req, res) =>
      json(res, 429, { error: { message: '(#130429) Rate limit hit', code: 130429 } }, { 'retry-after': '7' });
    const error = await failure(client.sendText(auth, '15557654321', 'hi'));
    expect(error).toMatchObject({ status: 429, code: 130429, retryAfterMs: 7000, category: 'retryable' });
  });

  it('parses a 500 with a non-JSON body as retryable', async () => {
    handler = (_req, res) => {
      res.writeHead(500, { 'content-type': 'text/html' });
      res.end('<html>oops</html>');
    };
    const error = await failure(client.sendText(auth, '15557654321', 'hi'));
    expect(error).toMatchObject({ status: 500, code: null, title: 'HTTP 500', category: 'retryable' });
    expect(error.details).toBe('<html>oops</html>');
  });

  it('parses 131056 into pair_rate_limited', async () => {
    handler = graphError(400, 131056, '(#131056) (Business Account, Consumer Account) pair rate limit hit');
    const error = await failure(client.sendText(auth, '15557654321', 'hi'));
    expect(error).toMatchObject({ status: 400, code: 131056, category: 'pair_rate_limited' });
  });

  it('throws a permanent error for a 2xx send response without a message id', async () => {
    handler = (_req, res) => json(res, 200, { messaging_product: 'whatsapp' });
    const error = await failure(client.sendText(auth, '15557654321', 'hi'));
    expect(error.category).toBe('permanent');
  });

  it('turns a timeout into a retryable status-0 error', async () => {
    handler = () => {
      // never answers
    };
    const fast = createGraphClient({ baseUrl, version: 'v25.0', timeoutMs: 150 });
    try {
      const started = Date.now();
      const error = await failure(fast.sendText(auth, '15557654321', 'hi'));
      expect(error).toMatchObject({ status: 0, code: null, category: 'retryable', timedOut: true });
      expect(error.title).toContain('timed out');
      expect(Date.now() - started).toBeLessThan(1500);
    } finally {
      await fast.close();
    }
  });

  it('turns a refused connection into a retryable status-0 error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = portOf(closed);
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const refused = createGraphClient({ baseUrl: `http://127.0.0.1:${port}`, version: 'v25.0', timeoutMs: 1000 });
    try {
      const error = await failure(refused.markRead(auth, 'wamid.IN1'));
      expect(error).toMatchObject({ status: 0, category: 'retryable', timedOut: false });
      expect(error.title).toContain('ECONNREFUSED');
    } finally {
      await refused.close();
    }
  });

  it('reuses connections (keep-alive)', async () => {
    const sockets = new Set<unknown>();
    handler = (req, res, body) => {
      sockets.add(req.socket.remotePort);
      okSend(req, res, body);
    };
    for (let i = 0; i < 6; i++) await client.sendText(auth, '15557654321', `n${i}`);
    // undici may open a second socket while the first is being released; never one per request.
    expect(sockets.size).toBeLessThanOrEqual(2);
  });
});

describe('toRecipientField', () => {
  it('puts phone digits with + in `to` and a business-scoped user id in `recipient` (§9.1)', () => {
    expect(toRecipientField('15557654321')).toEqual({ to: '+15557654321' });
    expect(toRecipientField('+1 (555) 765-4321')).toEqual({ to: '+15557654321' });
    expect(toRecipientField('US.13491208655302741918')).toEqual({ recipient: 'US.13491208655302741918' });
    expect(toRecipientField('US.ENT.11815799212886844830')).toEqual({ recipient: 'US.ENT.11815799212886844830' });
    expect(() => toRecipientField('abc')).toThrow(GraphApiError);
  });

  it('rejects (never throws synchronously) for a recipient without digits', async () => {
    const client = createGraphClient({ baseUrl: 'http://127.0.0.1:9', version: 'v25.0' });
    try {
      const pending = client.sendText(auth, 'nobody', 'hi');
      await expect(pending).rejects.toMatchObject({ category: 'permanent' });
    } finally {
      await client.close();
    }
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('2026-11-27T10:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(['1.5'], now)).toBe(1500);
    expect(parseRetryAfter('Fri, 27 Nov 2026 10:00:09 GMT', now)).toBe(9000);
    expect(parseRetryAfter('Fri, 27 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(undefined, now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
  });
});
