import { createHmac } from 'node:crypto';
import http from 'node:http';
import { createSecretScan, loadMetaFixture, useTestDatabase, useTestRedis } from '@wabot/testing';
import { signWebhookBody } from '@wabot/whatsapp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BODY_LIMIT, createIngressHarness, type IngressHarness } from '../testing/ingress-harness.js';

// A notification is enqueued only with X-Hub-Signature-256 = sha256=<HMAC-SHA256 of the exact raw
// body under the bot's app secret>. Every forgery below is a 401 and leaves the real Redis queue
// as it was; oversized bodies and headers are refused (413, 431) before any work.

const database = useTestDatabase();
const redis = useTestRedis();
const scan = createSecretScan();
let ingress: IngressHarness;
let bot: Awaited<ReturnType<IngressHarness['createBot']>>;
const fixture = loadMetaFixture('02_text_emoji_multibyte');

const hmac = (algorithm: 'sha1' | 'sha256', secret: string, body: Buffer | string) =>
  createHmac(algorithm, secret).update(body).digest('hex');

beforeAll(async () => {
  ingress = await createIngressHarness(database.current, redis.current, scan);
  bot = await ingress.createBot();
});

afterAll(async () => {
  await ingress?.close();
});

/** A raw HTTP/1.1 request over a socket: headers exactly as given (repeats included). */
function rawPost(
  target: { host: string; port: number },
  path: string,
  headers: [string, string][],
  body: Buffer,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request({ ...target, method: 'POST', path, agent: false, setHost: true }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    request.on('error', reject);
    for (const name of new Set(headers.map(([n]) => n)))
      request.setHeader(
        name,
        headers.filter(([n]) => n === name).map(([, value]) => value),
      );
    request.setHeader('content-length', body.length);
    request.end(body);
  });
}

describe('signature forgeries', () => {
  it('the genuine request is accepted and enqueued byte for byte (the control)', async () => {
    const before = (await ingress.jobs()).length;
    const res = await ingress.post(bot.id, fixture.body, signWebhookBody(bot.appSecret, fixture.body));
    expect(res.status).toBe(200);
    const jobs = await ingress.jobs();
    expect(jobs.length).toBe(before + 1);
    expect(jobs.filter((job) => job.rawBody === fixture.body.toString())).toHaveLength(1);
  });

  it('every forgery is a 401 bad_signature and nothing is enqueued', async () => {
    const body = fixture.body;
    const good = hmac('sha256', bot.appSecret, body);
    const altered = Buffer.from(body.toString().replace('"text"', '"text" ')); // one byte more, same JSON
    const tampered = Buffer.from(body.toString().replace(/"body": "[^"]*"/, '"body": "send me the refund"'));
    const reserialized = Buffer.from(JSON.stringify(JSON.parse(body.toString())));
    for (const forged of [altered, tampered, reserialized]) expect(forged.equals(body)).toBe(false);
    const forgeries: [string, Buffer, string | undefined][] = [
      ['altered body (whitespace), original signature', altered, `sha256=${good}`],
      ['altered text, original signature', tampered, `sha256=${good}`],
      ['signed with another secret', body, signWebhookBody('another-app-secret-0123456789', body)],
      ['signed with the fixtures secret', body, fixture.signature],
      ['re-serialized JSON (same content, other bytes), original signature', reserialized, `sha256=${good}`],
      ['sha1= HMAC-SHA1', body, `sha1=${hmac('sha1', bot.appSecret, body)}`],
      ['sha1= prefix on the right HMAC-SHA256', body, `sha1=${good}`],
      ['SHA256= (prefix in capitals)', body, `SHA256=${good}`],
      ['no prefix', body, good],
      ['truncated hex (63 digits)', body, `sha256=${good.slice(0, 63)}`],
      ['truncated hex (32 digits)', body, `sha256=${good.slice(0, 32)}`],
      ['one digit more', body, `sha256=${good}0`],
      ['not hex', body, `sha256=${'g'.repeat(64)}`],
      ['uppercase hex of another secret', body, `sha256=${hmac('sha256', 'another-secret-xyz', body).toUpperCase()}`],
      ['the HMAC of an empty body', body, `sha256=${hmac('sha256', bot.appSecret, '')}`],
      ['the HMAC keyed with the verify token', body, signWebhookBody(bot.verifyToken, body)],
      ['empty header', body, ''],
      ['prefix only', body, 'sha256='],
      ['missing header', body, undefined],
    ];
    const before = await ingress.jobs();
    for (const [name, forged, signature] of forgeries) {
      const res = await ingress.post(bot.id, forged, signature);
      expect(res.status, name).toBe(401);
      expect(JSON.parse(res.body).error.code, name).toBe('bad_signature');
      expect((await ingress.jobs()).length, `${name}: enqueued`).toBe(before.length);
    }
    const after = await ingress.jobs();
    for (const [name, forged] of forgeries)
      expect(after.filter((j) => j.rawBody === forged.toString()).length, name).toBe(
        before.filter((j) => j.rawBody === forged.toString()).length,
      );
  });

  it('uppercase hex of the right HMAC is the same MAC, accepted (hex is case-insensitive)', async () => {
    const body = Buffer.from(fixture.body.toString().replace('"id": "wamid.', '"id": "wamid.UP'));
    const res = await ingress.post(bot.id, body, `sha256=${hmac('sha256', bot.appSecret, body).toUpperCase()}`);
    expect(res.status).toBe(200);
  });

  it('duplicated X-Hub-Signature-256 headers (over a real socket) are a 401, even two copies of the right one', async () => {
    const target = await ingress.listen();
    const path = `/api/bots/webhook/whatsapp/${bot.id}`;
    const body = Buffer.from(fixture.body.toString().replace('"id": "wamid.', '"id": "wamid.DUP'));
    const good = signWebhookBody(bot.appSecret, body);
    const wrong = signWebhookBody('another-app-secret-0123456789', body);
    const before = (await ingress.jobs()).length;
    for (const pair of [
      [wrong, good],
      [good, wrong],
      [good, good],
    ]) {
      const res = await rawPost(
        target,
        path,
        [
          ['content-type', 'application/json'],
          ...pair.map((value): [string, string] => ['x-hub-signature-256', value]),
        ],
        body,
      );
      expect(res.status, pair.join(' + ')).toBe(401);
      expect(JSON.parse(res.body).error.code).toBe('bad_signature');
    }
    expect((await ingress.jobs()).length).toBe(before);
    // The same request with the header once is accepted: the 401s were the duplicates.
    const once = await rawPost(
      target,
      path,
      [
        ['content-type', 'application/json'],
        ['x-hub-signature-256', good],
      ],
      body,
    );
    expect(once.status).toBe(200);
    expect((await ingress.jobs()).length).toBe(before + 1);
  });
});

describe('size limits', () => {
  it('a body over WEBHOOK_BODY_LIMIT_BYTES is a 413, correctly signed or not, and nothing is enqueued', async () => {
    const before = (await ingress.jobs()).length;
    const padded = Buffer.from(
      JSON.stringify({ object: 'whatsapp_business_account', entry: [], pad: 'x'.repeat(BODY_LIMIT) }),
    );
    const signed = await ingress.post(bot.id, padded, signWebhookBody(bot.appSecret, padded));
    expect(signed.status).toBe(413);
    expect(JSON.parse(signed.body).error.code).toBe('payload_too_large');
    expect((await ingress.jobs()).length).toBe(before);
  });

  it('headers over 16 KiB are a 431 from the HTTP server, before the route runs', async () => {
    const target = await ingress.listen();
    const before = (await ingress.jobs()).length;
    const body = fixture.body;
    const res = await rawPost(
      target,
      `/api/bots/webhook/whatsapp/${bot.id}`,
      [
        ['content-type', 'application/json'],
        ['x-hub-signature-256', signWebhookBody(bot.appSecret, body)],
        ['x-padding', 'p'.repeat(20 * 1024)],
      ],
      body,
    ).catch((error: NodeJS.ErrnoException) => ({ status: error.code ?? 'error', body: '' }));
    expect(res.status).toBe(431);
    expect((await ingress.jobs()).length).toBe(before);
  });
});

describe('secrets', () => {
  it('no app secret, verify token, access token or SECRETS_KEY in any log line, response or row', async () => {
    for (const [index, body] of ingress.bodies.entries()) scan.record(`response ${index}`, body);
    for (const [index, line] of ingress.logs.lines().entries()) scan.record(`log line ${index}`, line);
    for (const [index, job] of (await ingress.jobs()).entries()) scan.record(`job ${index}`, JSON.stringify(job));
    await scan.recordDatabase(database.current.url);
    await scan.recordRedis(redis.current.url, redis.current.prefix);
    expect(scan.records).toBeGreaterThan(20);
    expect(scan.leaks()).toEqual([]);
  });
});
