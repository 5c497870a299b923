import { createGraphClient, GraphApiError } from '@wabot/whatsapp';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { type GraphSimulator, startGraphSimulator } from './graph-simulator.js';

const PHONE = '106000000000001';
const TOKEN = 'EAAG-test-token';

const accepted: string[] = [];

const SHORT_LIVED = 'EAAG-short-lived';
const shortLivedExpiry = Math.floor(Date.now() / 1000) + 3600;

const graph: GraphSimulator = await startGraphSimulator({
  validTokens: (token) => token !== 'BAD_TOKEN',
  tokenInfo: (token) => (token === SHORT_LIVED ? { type: 'USER', expires_at: shortLivedExpiry } : undefined),
  onAccepted: (request) => {
    if (request.messageId !== null) accepted.push(request.messageId);
  },
});

afterAll(() => graph.close());
beforeEach(() => {
  graph.reset();
  accepted.length = 0;
});

async function post(body: unknown, options: { token?: string | null; phone?: string; raw?: string } = {}) {
  const token = options.token === undefined ? TOKEN : options.token;
  const response = await fetch(`${graph.url}/v25.0/${options.phone ?? PHONE}/messages`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
    },
    body: options.raw ?? JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, json: (await response.json()) as unknown };
}

const text = (to: string, body = 'hello') => ({
  messaging_product: 'whatsapp',
  recipient_type: 'individual',
  to,
  type: 'text',
  text: { body },
});

function graphErrorShape(code: number) {
  return {
    error: {
      message: expect.any(String),
      type: 'OAuthException',
      code,
      fbtrace_id: expect.any(String),
    },
  };
}

describe('Graph simulator: accepted sends', () => {
  it('answers a text send with Meta’s exact shape and records it', async () => {
    const { status, json } = await post(text('+1 (555) 765-4321'));
    expect(status).toBe(200);
    expect(json).toEqual({
      messaging_product: 'whatsapp',
      contacts: [{ input: '+1 (555) 765-4321', wa_id: '15557654321' }],
      messages: [{ id: expect.stringMatching(/^wamid\.HBgL/) }],
    });
    const [record] = graph.sentMessages({ to: '+15557654321' });
    expect(record).toMatchObject({
      seq: expect.any(Number),
      method: 'POST',
      path: `/v25.0/${PHONE}/messages`,
      version: 'v25.0',
      phoneNumberId: PHONE,
      token: TOKEN,
      kind: 'text',
      to: '15557654321',
      status: 200,
      fault: null,
    });
    expect(record?.messageId).toBe((json as { messages: [{ id: string }] }).messages[0].id);
    expect(accepted).toEqual([record?.messageId]);
  });

  it('lists the texts sent, in arrival order, per number and recipient ("" for other types)', async () => {
    await post(text('15550000001', 'first'));
    await post(text('15550000002', 'other user'));
    await post({
      messaging_product: 'whatsapp',
      to: '15550000001',
      type: 'image',
      image: { link: 'https://example.com/1.jpg' },
    });
    await post(text('15550000001', 'second'));
    await post(text('15550000001', 'elsewhere'), { phone: '106000000000002' });
    expect(graph.sentTexts({ phoneNumberId: PHONE, to: '+1 555 000 0001' })).toEqual(['first', '', 'second']);
    expect(graph.sentTexts({ phoneNumberId: PHONE })).toEqual(['first', 'other user', '', 'second']);
    expect(graph.sentTexts()).toHaveLength(5);
  });

  it('accepts every send type and answers templates with message_status', async () => {
    const bodies = [
      { type: 'template', template: { name: 'hello_world', language: { code: 'en_US' } } },
      { type: 'image', image: { link: 'https://example.com/a.jpg', caption: 'cap' } },
      { type: 'document', document: { link: 'https://example.com/a.pdf', filename: 'a.pdf' } },
      { type: 'audio', audio: { link: 'https://example.com/a.ogg' } },
      { type: 'video', video: { link: 'https://example.com/a.mp4' } },
      {
        type: 'interactive',
        interactive: {
          type: 'button',
          body: { text: 'pick' },
          action: { buttons: [{ type: 'reply', reply: { id: 'a', title: 'A' } }] },
        },
      },
      { type: 'location', location: { latitude: 1.5, longitude: 2.5 } },
      { type: 'reaction', reaction: { message_id: 'wamid.x', emoji: '' } },
    ];
    for (const body of bodies) {
      const { status, json } = await post({ messaging_product: 'whatsapp', to: '15557654321', ...body });
      expect(status, body.type).toBe(200);
      const message = (json as { messages: Record<string, unknown>[] }).messages[0];
      expect(message?.message_status).toBe(body.type === 'template' ? 'accepted' : undefined);
    }
    expect(graph.sentMessages().map((record) => record.kind)).toEqual(bodies.map((body) => body.type));
  });

  it('answers sends to a BSUID (in `recipient`) with user_id instead of wa_id', async () => {
    const { to: _phone, ...withoutTo } = text('');
    const { json } = await post({ ...withoutTo, recipient: 'US.13491208655302741918' });
    expect((json as { contacts: unknown[] }).contacts).toEqual([
      { input: 'US.13491208655302741918', user_id: 'US.13491208655302741918' },
    ]);
    expect(graph.sentMessages({ to: 'US.13491208655302741918' })).toHaveLength(1);
  });

  it('lets `to` win over `recipient` when both are sent (§9.1)', async () => {
    const { json } = await post({ ...text('15557654321'), recipient: 'US.13491208655302741918' });
    expect((json as { contacts: unknown[] }).contacts).toEqual([{ input: '15557654321', wa_id: '15557654321' }]);
    expect(graph.sentMessages({ to: '15557654321' })).toHaveLength(1);
  });

  it('refuses a BSUID in `to` and a phone number in `recipient` with 400 code 100', async () => {
    const { to: _phone, ...withoutTo } = text('');
    for (const body of [text('US.13491208655302741918'), { ...withoutTo, recipient: '15557654321' }]) {
      const { status, json } = await post(body);
      expect(status).toBe(400);
      expect(json).toMatchObject({
        error: { code: 100, error_data: { details: expect.stringContaining('recipient') } },
      });
    }
    expect(graph.sentMessages()).toHaveLength(0);
  });

  it('answers read receipts and typing indicators with success and lists them apart from sends', async () => {
    const read = await post({ messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.A' });
    const typing = await post({
      messaging_product: 'whatsapp',
      status: 'read',
      message_id: 'wamid.B',
      typing_indicator: { type: 'text' },
    });
    expect(read).toMatchObject({ status: 200, json: { success: true } });
    expect(typing).toMatchObject({ status: 200, json: { success: true } });
    expect(graph.readReceipts().map((record) => record.kind)).toEqual(['read', 'typing']);
    expect(graph.readReceipts('wamid.B')).toHaveLength(1);
    expect(graph.sentMessages()).toHaveLength(0);
    expect(accepted).toHaveLength(0);
  });

  it('accepts a 4096-character text (counted in characters, not UTF-16 units)', async () => {
    expect((await post(text('15557654321', 'a'.repeat(4096)))).status).toBe(200);
    expect((await post(text('15557654321', '😀'.repeat(4096)))).status).toBe(200);
  });
});

describe('Graph simulator: validation like Meta', () => {
  it('rejects a missing token with 401 code 190', async () => {
    const { status, json } = await post(text('15557654321'), { token: null });
    expect(status).toBe(401);
    expect(json).toEqual(graphErrorShape(190));
  });

  it('rejects a token refused by validTokens with 401 code 190', async () => {
    const { status, json } = await post(text('15557654321'), { token: 'BAD_TOKEN' });
    expect(status).toBe(401);
    expect(json).toEqual(graphErrorShape(190));
  });

  it.each([
    ['no messaging_product', { to: '1555', type: 'text', text: { body: 'x' } }],
    ['wrong messaging_product', { messaging_product: 'sms', to: '1555', type: 'text', text: { body: 'x' } }],
    ['unknown type', { messaging_product: 'whatsapp', to: '1555', type: 'hologram', hologram: {} }],
    ['missing to', { messaging_product: 'whatsapp', type: 'text', text: { body: 'x' } }],
    ['empty text', { messaging_product: 'whatsapp', to: '1555', type: 'text', text: { body: '' } }],
    ['text over 4096', { messaging_product: 'whatsapp', to: '1555', type: 'text', text: { body: 'a'.repeat(4097) } }],
    ['media without id or link', { messaging_product: 'whatsapp', to: '1555', type: 'image', image: {} }],
    [
      'template without language',
      { messaging_product: 'whatsapp', to: '1555', type: 'template', template: { name: 'x' } },
    ],
    ['read receipt without message_id', { messaging_product: 'whatsapp', status: 'read' }],
  ])('rejects %s with 400 code 100 and details', async (_name, body) => {
    const { status, json } = await post(body);
    expect(status).toBe(400);
    expect(json).toEqual({
      error: {
        ...graphErrorShape(100).error,
        error_data: { messaging_product: 'whatsapp', details: expect.any(String) },
      },
    });
    expect(graph.requests.at(-1)).toMatchObject({ status: 400, messageId: null });
    expect(graph.sentMessages()).toHaveLength(0);
  });

  it('rejects a body that is not JSON with 400 code 100', async () => {
    const { status, json } = await post(null, { raw: '{not json' });
    expect(status).toBe(400);
    expect(json).toMatchObject({ error: { code: 100 } });
  });

  it('names the offending length in the details for a long text', async () => {
    const { json } = await post(text('15557654321', 'a'.repeat(4097)));
    expect(json).toMatchObject({ error: { error_data: { details: expect.stringContaining('4096') } } });
  });
});

describe('Graph simulator: phone number info and other paths', () => {
  it('answers GET /{phone_number_id} with the number’s details', async () => {
    const response = await fetch(`${graph.url}/v25.0/${PHONE}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      verified_name: expect.any(String),
      display_phone_number: expect.any(String),
      quality_rating: 'GREEN',
      id: PHONE,
    });
    expect(graph.requests[0]).toMatchObject({ kind: 'get_phone_number', phoneNumberId: PHONE, status: 200 });
  });

  it('honours ?fields= and works without a version segment', async () => {
    const response = await fetch(`${graph.url}/${PHONE}?fields=verified_name`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(await response.json()).toEqual({ verified_name: 'Simulated Business', id: PHONE });
  });

  it('answers 190 for GET with an expired token', async () => {
    graph.injectFault({ kind: 'expired_token_190', match: { token: 'OLD' } });
    const response = await fetch(`${graph.url}/v25.0/${PHONE}`, { headers: { authorization: 'Bearer OLD' } });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 190, error_subcode: 463, type: 'OAuthException' } });
  });

  it('answers unknown paths with 400 code 2500', async () => {
    const response = await fetch(`${graph.url}/v25.0/${PHONE}/nothing/here`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 2500 } });
  });
});

describe('Graph simulator: debug_token', () => {
  const debug = (input: string | null, bearer = TOKEN) =>
    fetch(`${graph.url}/v25.0/debug_token${input === null ? '' : `?input_token=${encodeURIComponent(input)}`}`, {
      headers: { authorization: `Bearer ${bearer}` },
    });

  it('answers Meta’s shape: a never-expiring System User token with the WhatsApp permissions', async () => {
    const response = await debug(TOKEN);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      data: {
        app_id: expect.any(String),
        type: 'SYSTEM_USER',
        application: expect.any(String),
        data_access_expires_at: 0,
        expires_at: 0,
        is_valid: true,
        issued_at: expect.any(Number),
        scopes: expect.arrayContaining(['whatsapp_business_messaging', 'whatsapp_business_management']),
        granular_scopes: expect.arrayContaining([{ scope: 'whatsapp_business_messaging' }]),
        user_id: expect.any(String),
      },
    });
    expect(graph.requests[0]).toMatchObject({ kind: 'debug_token', phoneNumberId: null, token: TOKEN, status: 200 });
  });

  it('reports what tokenInfo says about a token', async () => {
    expect(await (await debug(SHORT_LIVED, SHORT_LIVED)).json()).toMatchObject({
      data: { is_valid: true, type: 'USER', expires_at: shortLivedExpiry },
    });
  });

  it('answers 200 is_valid false for a refused input token and 401 for a refused bearer', async () => {
    expect(await (await debug('BAD_TOKEN')).json()).toEqual({
      data: { error: { code: 190, message: expect.stringMatching(/Invalid OAuth/) }, is_valid: false, scopes: [] },
    });
    const refused = await debug('BAD_TOKEN', 'BAD_TOKEN');
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: { code: 190 } });
  });

  it('requires input_token (400 code 100)', async () => {
    const response = await debug(null);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 100 } });
  });

  it('answers token faults, but never the phone-number fault', async () => {
    graph.injectFault({ kind: 'unknown_phone_number_100' });
    graph.injectFault({ kind: 'expired_token_190', match: { token: 'OLD' } });
    expect((await debug(TOKEN)).status).toBe(200);
    const expired = await debug('OLD', 'OLD');
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ error: { code: 190, error_subcode: 463 } });
  });
});

describe('Graph simulator: as the GraphClient of @wabot/whatsapp sees it', () => {
  const client = createGraphClient({ baseUrl: graph.url, version: 'v25.0', timeoutMs: 1000 });
  afterAll(() => client.close());
  const rejection = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (error: unknown) => (error instanceof GraphApiError ? error : null),
    );

  it('reads the phone number and the token', async () => {
    expect(await client.getPhoneNumber({ phoneNumberId: PHONE, accessToken: TOKEN })).toMatchObject({
      id: PHONE,
      verifiedName: 'Simulated Business',
      qualityRating: 'GREEN',
    });
    expect(await client.debugToken({ accessToken: SHORT_LIVED })).toMatchObject({
      isValid: true,
      type: 'USER',
      expiresAt: new Date(shortLivedExpiry * 1000),
    });
    expect(await client.debugToken({ accessToken: TOKEN })).toMatchObject({ isValid: true, expiresAt: null });
  });

  it('classifies the faults the admin’s credential check meets', async () => {
    graph.injectFault({ kind: 'invalid_token_190', match: { token: 'REVOKED' } });
    graph.injectFault({ kind: 'unknown_phone_number_100', match: { phoneNumberId: '999000999000' } });
    const revoked = await rejection(client.getPhoneNumber({ phoneNumberId: PHONE, accessToken: 'REVOKED' }));
    expect(revoked).toMatchObject({ status: 401, code: 190, subcode: null, category: 'credentials' });
    const unknown = await rejection(client.getPhoneNumber({ phoneNumberId: '999000999000', accessToken: TOKEN }));
    expect(unknown).toMatchObject({ status: 400, code: 100, subcode: 33, category: 'permanent' });
    expect(unknown?.title).toMatch(/^Unsupported get request\. Object with ID '999000999000' does not exist/);
    graph.injectFault({ kind: 'drop_connection', times: 1 });
    expect(await rejection(client.debugToken({ accessToken: TOKEN }))).toMatchObject({ status: 0, timedOut: false });
  });
});

describe('Graph simulator: faults', () => {
  it.each([
    ['http_500', 500, 131000],
    ['http_503', 503, 2],
    ['rate_limit_429', 429, 4],
    ['throughput_130429', 400, 130429],
    ['pair_rate_131056', 400, 131056],
    ['window_closed_131047', 400, 131047],
    ['expired_token_190', 401, 190],
    ['invalid_token_190', 401, 190],
    ['unknown_phone_number_100', 400, 100],
    ['undeliverable_131026', 400, 131026],
  ] as const)('%s answers HTTP %i with code %i in Meta’s shape', async (kind, httpStatus, code) => {
    graph.injectFault({ kind, times: 1 });
    const failed = await post(text('15557654321'));
    expect(failed.status).toBe(httpStatus);
    const type = kind === 'unknown_phone_number_100' ? 'GraphMethodException' : 'OAuthException';
    expect(failed.json).toMatchObject({ error: { code, type, fbtrace_id: expect.any(String) } });
    expect(graph.requests[0]).toMatchObject({ fault: kind, status: httpStatus, messageId: null });
    expect((await post(text('15557654321'))).status).toBe(200);
  });

  it('answers 131047 with Meta’s re-engagement message and details', async () => {
    graph.injectFault({ kind: 'window_closed_131047' });
    const { json } = await post(text('15557654321'));
    expect(json).toEqual({
      error: {
        message: '(#131047) Re-engagement message',
        type: 'OAuthException',
        code: 131047,
        error_data: {
          messaging_product: 'whatsapp',
          details:
            'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
        },
        fbtrace_id: expect.any(String),
      },
    });
  });

  it('matches faults by recipient (any format), leaving other recipients alone', async () => {
    graph.injectFault({ kind: 'window_closed_131047', match: { to: '+1 555 765 4321' } });
    expect((await post(text('15557654321'))).status).toBe(400);
    expect((await post(text('447700900123'))).status).toBe(200);
    expect((await post(text('+15557654321'))).status).toBe(400);
  });

  it('matches faults by token and by phone number id', async () => {
    graph.injectFault({ kind: 'expired_token_190', match: { token: 'EXPIRED' } });
    graph.injectFault({ kind: 'http_500', match: { phoneNumberId: '999' } });
    expect((await post(text('15557654321'), { token: 'EXPIRED' })).status).toBe(401);
    expect((await post(text('15557654321'), { phone: '999' })).status).toBe(500);
    expect((await post(text('15557654321'))).status).toBe(200);
  });

  it('does not apply send-only faults to read receipts', async () => {
    graph.injectFault({ kind: 'window_closed_131047' });
    const read = await post({ messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.A' });
    expect(read.status).toBe(200);
  });

  it('matches faults by kind', async () => {
    graph.injectFault({ kind: 'http_503', match: { kind: 'typing' } });
    expect((await post(text('15557654321'))).status).toBe(200);
    const typing = await post({
      messaging_product: 'whatsapp',
      status: 'read',
      message_id: 'wamid.A',
      typing_indicator: { type: 'text' },
    });
    expect(typing.status).toBe(503);
  });

  it('affects only `times` requests', async () => {
    graph.injectFault({ kind: 'http_500', times: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await post(text('15557654321'))).status);
    expect(statuses).toEqual([500, 500, 200]);
  });

  it('sends Retry-After for 429 and 503', async () => {
    graph.injectFault({ kind: 'rate_limit_429', times: 1, retryAfterSeconds: 7 });
    graph.injectFault({ kind: 'http_503', times: 1, retryAfterSeconds: 3 });
    const limited = await post(text('15557654321'));
    const unavailable = await post(text('15557654321'));
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '7']);
    expect([unavailable.status, unavailable.headers.get('retry-after')]).toEqual([503, '3']);
  });

  it('drops the connection without an answer and records it', async () => {
    graph.injectFault({ kind: 'drop_connection', times: 1 });
    await expect(post(text('15557654321'))).rejects.toThrow();
    expect(graph.requests[0]).toMatchObject({ fault: 'drop_connection', status: 0, response: null });
    expect((await post(text('15557654321'))).status).toBe(200);
  });

  it('delays the answer for latency and then answers normally', async () => {
    graph.injectFault({ kind: 'latency', latencyMs: 150, times: 1 });
    const started = performance.now();
    const { status } = await post(text('15557654321'));
    expect(status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(graph.sentMessages()[0]?.fault).toBe('latency');
  });

  it('clearFaults removes every fault', async () => {
    graph.injectFault({ kind: 'http_500' });
    graph.clearFaults();
    expect((await post(text('15557654321'))).status).toBe(200);
  });
});

describe('Graph simulator: observing requests', () => {
  it('waitFor resolves with the predicate’s value once it holds', async () => {
    const waiting = graph.waitFor(() => graph.sentMessages()[0], 2_000);
    await post(text('15557654321', 'later'));
    expect((await waiting).body).toMatchObject({ text: { body: 'later' } });
  });

  it('waitFor rejects with a clear message on timeout', async () => {
    await expect(graph.waitFor(() => false, 50)).rejects.toThrow(/timed out after 50 ms/);
  });

  it('onRequest notifies each answered request until unsubscribed', async () => {
    const seen: number[] = [];
    const unsubscribe = graph.onRequest((request) => seen.push(request.status));
    await post(text('15557654321'));
    unsubscribe();
    await post(text('15557654321'));
    expect(seen).toEqual([200]);
  });

  it('numbers requests in arrival order', async () => {
    await Promise.all([post(text('1')), post(text('2')), post(text('3'))]);
    const seqs = graph.requests.map((record) => record.seq).sort((a, b) => a - b);
    expect(new Set(seqs).size).toBe(3);
    const [first, , last] = seqs;
    if (first === undefined || last === undefined) throw new Error(`expected three requests, got ${seqs.length}`);
    expect(last - first).toBe(2);
  });

  it('keeps only the newest maxRecorded records when asked', async () => {
    const small = await startGraphSimulator({ maxRecorded: 2 });
    try {
      for (const to of ['1', '2', '3']) {
        await fetch(`${small.url}/v25.0/1/messages`, {
          method: 'POST',
          headers: { authorization: 'Bearer t' },
          body: JSON.stringify(text(to)),
        });
      }
      expect(small.requests.map((record) => record.to)).toEqual(['2', '3']);
    } finally {
      await small.close();
    }
  });
});
