import { createGraphClient, GraphApiError } from '@wabot/whatsapp';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { type GraphSimulator, startGraphSimulator } from './graph-simulator.js';

// POST /{phone-number-id}/media and media sends by id (shared/reference/meta-cloud-api.md §9.4,
// §10), through the product's Graph client where it can be used, raw multipart where the client
// would never send the broken request.

const PHONE = '106000000000001';
const OTHER_PHONE = '106000000000002';
const TOKEN = 'EAAG-test-token';
const TO = '15551234567';

const graph: GraphSimulator = await startGraphSimulator({ validTokens: (token) => token !== 'BAD_TOKEN' });
const client = createGraphClient({ baseUrl: graph.url, version: 'v25.0' });
const auth = { phoneNumberId: PHONE, accessToken: TOKEN };

afterAll(async () => {
  await client.close();
  await graph.close();
});
beforeEach(() => graph.reset());

const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1]);
const PDF = new TextEncoder().encode('%PDF-1.4\n%âãÏÓ\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

async function upload(
  fields: { messaging_product?: string; type?: string; file?: { data: Uint8Array; name: string; type: string } },
  options: { token?: string | null; phone?: string } = {},
) {
  const form = new FormData();
  if (fields.messaging_product !== undefined) form.set('messaging_product', fields.messaging_product);
  if (fields.type !== undefined) form.set('type', fields.type);
  if (fields.file) form.set('file', new Blob([fields.file.data], { type: fields.file.type }), fields.file.name);
  const token = options.token === undefined ? TOKEN : options.token;
  const response = await fetch(`${graph.url}/v25.0/${options.phone ?? PHONE}/media`, {
    method: 'POST',
    headers: token === null ? {} : { authorization: `Bearer ${token}` },
    body: form,
  });
  return { status: response.status, json: (await response.json()) as { id?: string; error?: Record<string, unknown> } };
}

const errorOf = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof GraphApiError)) throw new Error(`expected a GraphApiError, got ${String(error)}`);
  return error;
};

describe('the simulated media upload', () => {
  it('takes an upload from the Graph client, answers {id}, and a send by that id is accepted', async () => {
    const { id } = await client.uploadMedia(auth, {
      data: new Blob([JPEG]),
      mimeType: 'image/jpeg',
      filename: 'a.jpg',
    });
    expect(id).toMatch(/^\d{16,}$/);
    const stored = graph.uploads.get(id);
    expect(stored).toMatchObject({
      phoneNumberId: PHONE,
      mimeType: 'image/jpeg',
      type: 'image',
      fileSize: JPEG.length,
    });
    expect(Buffer.from(stored?.data ?? []).equals(Buffer.from(JPEG))).toBe(true);
    const recorded = graph.requests.find((r) => r.kind === 'media_upload');
    expect(recorded).toMatchObject({
      method: 'POST',
      phoneNumberId: PHONE,
      token: TOKEN,
      status: 200,
      body: {
        messaging_product: 'whatsapp',
        type: 'image/jpeg',
        file: { filename: 'a.jpg', mime_type: 'image/jpeg', size: JPEG.length },
      },
    });
    // An upload is no message: it is not among the sends.
    expect(graph.sentMessages()).toHaveLength(0);
    const sent = await client.sendMedia(auth, TO, { type: 'image', id, caption: 'Our shop' });
    expect(sent.messageId).toMatch(/^wamid\./);
    expect(graph.sentMessages()[0]?.body).toMatchObject({ type: 'image', image: { id, caption: 'Our shop' } });
  });

  it('refuses a send by an unknown id, or by an id uploaded on another phone number', async () => {
    const unknown = await errorOf(client.sendMedia(auth, TO, { type: 'document', id: '999', filename: 'x.pdf' }));
    expect(unknown).toMatchObject({ status: 400, code: 100 });
    expect(unknown.details).toContain("document['id'] is not a valid media id");
    const { id } = await client.uploadMedia(
      { phoneNumberId: OTHER_PHONE, accessToken: TOKEN },
      { data: new Blob([PDF]), mimeType: 'application/pdf', filename: 'menu.pdf' },
    );
    expect((await errorOf(client.sendMedia(auth, TO, { type: 'document', id }))).code).toBe(100);
    expect(graph.sentMessages()).toHaveLength(0);
  });

  it('checks the form as Meta does: token, messaging_product, file, an allowed type', async () => {
    const file = { data: JPEG, name: 'a.jpg', type: 'image/jpeg' };
    expect((await upload({ messaging_product: 'whatsapp', type: 'image/jpeg', file }, { token: null })).status).toBe(
      401,
    );
    const noProduct = await upload({ type: 'image/jpeg', file });
    expect(noProduct).toMatchObject({ status: 400, json: { error: { code: 100 } } });
    const noFile = await upload({ messaging_product: 'whatsapp', type: 'image/jpeg' });
    expect(noFile.json.error?.message).toBe('(#100) The parameter file is required.');
    const gif = await upload({
      messaging_product: 'whatsapp',
      type: 'image/gif',
      file: { data: new TextEncoder().encode('GIF89a'), name: 'a.gif', type: 'image/gif' },
    });
    expect(gif.status).toBe(400);
    expect(JSON.stringify(gif.json)).toContain("Received file of type 'image/gif'");
    expect(graph.uploads.all()).toHaveLength(0);
  });

  it('answers 131053 for a file over its type’s limit, an empty one, or one whose bytes are not its type', async () => {
    const big = new Uint8Array(5 * 1024 * 1024 + 1);
    big.set(JPEG);
    const oversize = await upload({
      messaging_product: 'whatsapp',
      type: 'image/jpeg',
      file: { data: big, name: 'big.jpg', type: 'image/jpeg' },
    });
    expect(oversize).toMatchObject({ status: 400, json: { error: { code: 131053 } } });
    expect(JSON.stringify(oversize.json)).toContain(
      'Image file has size 5242881 bytes but must be atmost 5242880 bytes and non-empty',
    );
    const mismatch = await errorOf(
      client.uploadMedia(auth, { data: new Blob([PDF]), mimeType: 'image/png', filename: 'x.png' }),
    );
    expect(mismatch).toMatchObject({ status: 400, code: 131053 });
    const empty = await upload({
      messaging_product: 'whatsapp',
      type: 'application/pdf',
      file: { data: new Uint8Array(0), name: 'empty.pdf', type: 'application/pdf' },
    });
    expect(empty.json.error?.code).toBe(131053);
    expect(graph.uploads.all()).toHaveLength(0);
  });

  it('validates media sends by link or id: exactly one, no caption on audio or sticker, file name on documents only', async () => {
    const { id } = await client.uploadMedia(auth, {
      data: new Blob([new TextEncoder().encode('RIFF\0\0\0\0WEBPVP8 ')]),
      mimeType: 'image/webp',
      filename: 's.webp',
    });
    const post = (body: Record<string, unknown>) =>
      fetch(`${graph.url}/v25.0/${PHONE}/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ messaging_product: 'whatsapp', to: `+${TO}`, ...body }),
      }).then(async (r) => ({ status: r.status, json: (await r.json()) as { error?: { code: number } } }));
    expect((await post({ type: 'sticker', sticker: { id } })).status).toBe(200);
    expect((await post({ type: 'sticker', sticker: { id, caption: 'no' } })).status).toBe(400);
    expect((await post({ type: 'audio', audio: { link: 'https://x.example/a.mp3', caption: 'no' } })).status).toBe(400);
    expect((await post({ type: 'image', image: { id, link: 'https://x.example/a.jpg' } })).status).toBe(400);
    expect((await post({ type: 'video', video: { link: 'https://x.example/a.mp4', filename: 'a.mp4' } })).status).toBe(
      400,
    );
    const longCaption = await post({
      type: 'image',
      image: { link: 'https://x.example/a.jpg', caption: 'x'.repeat(1025) },
    });
    expect(longCaption.json.error?.code).toBe(131009);
  });
});
