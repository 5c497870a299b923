import { createHash } from 'node:crypto';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { type GraphSimulator, startGraphSimulator } from './graph-simulator.js';
import { buildInboundMessage } from './webhook-payloads.js';

const TOKEN = 'EAAG-owner';
const graph: GraphSimulator = await startGraphSimulator({ validTokens: (token) => token !== 'BAD_TOKEN' });
afterAll(() => graph.close());
beforeEach(() => graph.reset());

const bytes = Buffer.from('a tiny voice note, as far as this test cares');
const lookup = (id: string, token: string | null = TOKEN) =>
  fetch(`${graph.url}/v25.0/${id}`, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });
const download = (url: string, token: string | null = TOKEN) =>
  fetch(url, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });

async function urlOf(id: string): Promise<string> {
  const body = (await (await lookup(id)).json()) as { url: string };
  return body.url;
}

describe('media retrieval (GET /{media-id}, then the URL with the token)', () => {
  it("answers Meta's shape with the file's real sha256 and size, and serves the bytes with its MIME type", async () => {
    const media = graph.media.register({ data: bytes, mimeType: 'audio/ogg; codecs=opus', token: TOKEN });
    const response = await lookup(media.id);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      messaging_product: 'whatsapp',
      id: media.id,
      mime_type: 'audio/ogg; codecs=opus',
      sha256: createHash('sha256').update(bytes).digest('hex'),
      file_size: bytes.length,
    });
    expect(String(body.url)).toContain('/whatsapp_business/attachments/?mid=');
    const file = await download(String(body.url));
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('audio/ogg; codecs=opus');
    expect(Buffer.from(await file.arrayBuffer()).equals(bytes)).toBe(true);
    expect(graph.requests.map((r) => r.kind)).toEqual(['get_media', 'media_download']);
  });

  it('downloads only with the owning token: 401 without one, 403 with another', async () => {
    const media = graph.media.register({ data: bytes, mimeType: 'image/jpeg', token: TOKEN });
    const url = await urlOf(media.id);
    expect((await download(url, null)).status).toBe(401);
    expect((await download(url, 'EAAG-someone-else')).status).toBe(403);
    expect((await download(url, 'BAD_TOKEN')).status).toBe(401);
    expect((await download(url)).status).toBe(200);
  });

  it("hides another token's media id like Meta (400 code 100) and refuses a bad token (401 code 190)", async () => {
    const media = graph.media.register({ data: bytes, mimeType: 'image/jpeg', token: TOKEN });
    const other = await lookup(media.id, 'EAAG-someone-else');
    expect(other.status).toBe(400);
    expect(await other.json()).toMatchObject({ error: { code: 100 } });
    const bad = await lookup(media.id, 'BAD_TOKEN');
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ error: { code: 190 } });
  });

  it('a URL stops working once expired (404); a new lookup gives a working one', async () => {
    const media = graph.media.register({ data: bytes, mimeType: 'image/png' });
    const first = await urlOf(media.id);
    graph.media.expireUrls();
    expect((await download(first)).status).toBe(404);
    const second = await urlOf(media.id);
    expect(second).not.toBe(first);
    expect((await download(second)).status).toBe(200);
  });

  it('URLs live mediaUrlTtlMs (0: expired at once)', async () => {
    const shortLived = await startGraphSimulator({ mediaUrlTtlMs: 0 });
    try {
      const media = shortLived.media.register({ data: bytes, mimeType: 'image/png' });
      const answer = await fetch(`${shortLived.url}/v25.0/${media.id}`, { headers: { authorization: 'Bearer x' } });
      const { url } = (await answer.json()) as { url: string };
      expect((await download(url, 'x')).status).toBe(404);
    } finally {
      await shortLived.close();
    }
  });

  it('reports a given wrong sha256 or size as told (for tests of the checks)', async () => {
    const media = graph.media.register({ data: bytes, mimeType: 'image/png', sha256: 'ab'.repeat(32), fileSize: 9 });
    const body = (await (await lookup(media.id)).json()) as Record<string, unknown>;
    expect(body).toMatchObject({ sha256: 'ab'.repeat(32), file_size: 9 });
  });

  it('a webhook media object built from a registered file carries its id, MIME type and base64 sha256', () => {
    const media = graph.media.register({ data: bytes, mimeType: 'image/png' });
    const message = buildInboundMessage(
      { phoneNumberId: '1', displayPhoneNumber: '1555', wabaId: '2' },
      { name: 'Ana', waId: '15550001', bsuid: null, username: null },
      { type: 'image', caption: 'look', media },
      { timestamp: '1700000000' },
    );
    expect(message.image).toEqual({
      caption: 'look',
      id: media.id,
      mime_type: 'image/png',
      sha256: createHash('sha256').update(bytes).digest('base64'),
    });
  });
});
