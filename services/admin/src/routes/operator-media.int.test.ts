import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { physicalQueueName } from '@wabot/contracts';
import { useTestDatabase, useTestRedis } from '@wabot/testing';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botBody, createTestAdmin, type TestAdmin } from '../testing/test-admin.js';

// Operators' media messages (docs/contract.md, POST /api/conversations/:id/messages): by link in
// JSON, or uploaded as multipart/form-data, held to Meta's rules (type, MIME, size, caption, file
// name; shared/reference/meta-cloud-api.md §9.4), stored with the file durable before the 202,
// queued like an operator's text. The worker's side (upload to Meta, send by id) is
// services/worker/src/media.int.test.ts.

const database = useTestDatabase();
const redis = useTestRedis();
let admin: TestAdmin;
let botId: string;
let open: string;
let closed: string;
const HOUR = 3600 * 1000;
const db = () => database.current.db;

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('0000000d49484452000000010000000108060000001f15c489', 'hex'),
]);
/** A zip with one stored entry: what a .docx looks like to the first bytes. */
function zipWith(name: string, content: string): Buffer {
  const header = Buffer.alloc(30);
  header.write('PK\x03\x04', 0, 'latin1');
  header.writeUInt16LE(20, 4);
  header.writeUInt32LE(Buffer.byteLength(content), 18);
  header.writeUInt32LE(Buffer.byteLength(content), 22);
  header.writeUInt16LE(Buffer.byteLength(name), 26);
  return Buffer.concat([header, Buffer.from(name), Buffer.from(content), Buffer.from('PK\x05\x06'), Buffer.alloc(18)]);
}
/** An MP4 container's first box (brand isom). */
const MP4 = Buffer.concat([
  Buffer.from([0, 0, 0, 0x18]),
  Buffer.from('ftypisom\0\0\x02\0isommp41', 'latin1'),
  Buffer.alloc(64),
]);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

beforeAll(async () => {
  admin = await createTestAdmin(database.current, redis.current);
  const workspaceId = (await admin.call('POST', '/api/workspaces', { body: { name: 'media-ws' } })).json().id;
  botId = (await admin.call('POST', '/api/bots', { body: botBody(workspaceId).body })).json().id;
  expect((await admin.call('POST', `/api/bots/${botId}/activate`)).statusCode).toBe(200);
  const now = Date.now();
  const conversation = (userKey: string, lastInboundAt: Date) =>
    db().conversation.create({ data: { botId, userKey, waId: userKey, lastInboundAt } });
  open = (await conversation('15551239101', new Date(now - HOUR))).id;
  closed = (await conversation('15551239102', new Date(now - 30 * HOUR))).id;
});
afterAll(() => admin?.close());

const outboundJob = async (id: string) => {
  const queue = new Queue(physicalQueueName('outbound'), {
    connection: redis.current.redis,
    prefix: redis.current.prefix,
  });
  try {
    const job = await queue.getJob(id);
    return job ? { name: job.name, data: job.data } : null;
  } finally {
    await queue.close();
  }
};

/** A multipart/form-data request as a browser or curl sends it (fields in the order given). */
async function postForm(
  conversationId: string,
  fields: Array<[string, string] | [string, { data: Buffer; name: string; type: string }]>,
  as: string | null = 'alice',
) {
  const form = new FormData();
  for (const [name, value] of fields) {
    if (typeof value === 'string') form.append(name, value);
    else form.append(name, new Blob([value.data], { type: value.type }), value.name);
  }
  const encoded = new Request('http://local/', { method: 'POST', body: form });
  const headers: Record<string, string> = { 'content-type': encoded.headers.get('content-type') ?? '' };
  if (as !== null) headers.authorization = `Bearer ${await admin.token(as)}`;
  return admin.app.inject({
    method: 'POST',
    url: `/api/conversations/${conversationId}/messages`,
    headers,
    payload: Buffer.from(await encoded.arrayBuffer()),
  });
}

/** Every file in the media store (relative paths). */
async function storedFiles(): Promise<string[]> {
  const root = admin.mediaDir;
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(root.length + 1));
}

const countOutbound = () => db().message.count({ where: { botId, direction: 'outbound' } });

describe('operator media messages', () => {
  it('by link: 202, stored pending with the media metadata, queued, the conversation handed over', async () => {
    const res = await admin.call('POST', `/api/conversations/${open}/messages`, {
      body: { media: { type: 'image', url: 'https://cdn.example.com/receipt.jpg', caption: ' Your receipt ' } },
    });
    expect(res.statusCode).toBe(202);
    const body = res.json();
    expect(body.message).toMatchObject({
      type: 'image',
      text: 'Your receipt',
      status: 'pending',
      author: 'operator',
      author_user_id: 'alice',
      metadata: {
        media: {
          type: 'image',
          caption: 'Your receipt',
          mime_type: 'image/jpeg',
          link: 'https://cdn.example.com/receipt.jpg',
        },
      },
    });
    expect(body.conversation).toMatchObject({ control: 'human', handoff_reason: 'operator_message' });
    expect(await outboundJob(body.job_id)).toEqual({
      name: 'send-message',
      data: { botId, conversationId: open, messageId: body.message.id },
    });
    // A document by link is named after its link when no file name is given.
    const doc = await admin.call('POST', `/api/conversations/${open}/messages`, {
      body: { media: { type: 'document', url: 'https://cdn.example.com/files/Price%20list.pdf' } },
    });
    expect(doc.statusCode).toBe(202);
    expect(doc.json().message).toMatchObject({
      text: 'Price list.pdf',
      metadata: { media: { type: 'document', filename: 'Price list.pdf' } },
    });
  });

  it('by link: refuses what Meta would, naming the field (400), and a format WhatsApp does not send (415)', async () => {
    const before = await countOutbound();
    const send = (body: unknown) => admin.call('POST', `/api/conversations/${open}/messages`, { body });
    const cases: Array<[unknown, number, string]> = [
      [{ media: { type: 'audio', url: 'https://x.example/a.mp3', caption: 'hi' } }, 400, 'media.caption'],
      [{ media: { type: 'video', url: 'https://x.example/a.mp4', filename: 'a.mp4' } }, 400, 'media.filename'],
      [{ media: { type: 'image', url: 'http://x.example/a.jpg' } }, 400, 'media.url'],
      [{ media: { type: 'image', url: 'https://x.example/a.jpg', caption: 'x'.repeat(1025) } }, 400, 'media.caption'],
      [{ media: { type: 'image', url: 'https://x.example/menu.pdf' } }, 400, 'media.type'],
      [{ media: { type: 'sticker', url: 'https://x.example/a.webp' } }, 400, 'media.type'],
      [{ media: { type: 'image', upload: 'x' } }, 400, 'multipart/form-data'],
      [{ text: 'hi', media: { type: 'image', url: 'https://x.example/a.jpg' } }, 400, 'request body'],
      [{}, 400, 'request body'],
    ];
    for (const [body, status, field] of cases) {
      const res = await send(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect(JSON.stringify(res.json().error), JSON.stringify(body)).toContain(field);
    }
    const gif = await send({ media: { type: 'image', url: 'https://x.example/cat.gif' } });
    expect(gif.statusCode).toBe(415);
    expect(gif.json().error).toMatchObject({ code: 'unsupported_media_type' });
    expect(await countOutbound()).toBe(before);
  });

  it('by upload: the file is in the media store and outbound_media before the 202, the message shows its metadata', async () => {
    const res = await postForm(open, [
      ['type', 'image'],
      ['caption', 'Scan'],
      ['file', { data: PNG, name: 'scan.png', type: 'application/octet-stream' }],
    ]);
    expect(res.statusCode, res.body).toBe(202);
    const { message, job_id: jobId } = res.json();
    const row = await db().outboundMedia.findUniqueOrThrow({ where: { messageId: message.id } });
    expect(row).toMatchObject({ type: 'image', mimeType: 'image/png', filename: 'scan.png', sizeBytes: PNG.length });
    expect(row.storageKey).toBe(`outbound/${botId}/${row.id}`);
    expect((await readFile(join(admin.mediaDir, row.storageKey))).equals(PNG)).toBe(true);
    expect(message).toMatchObject({
      type: 'image',
      text: 'Scan',
      status: 'pending',
      metadata: {
        media: {
          type: 'image',
          caption: 'Scan',
          mime_type: 'image/png',
          upload: { id: row.id, size_bytes: PNG.length, sha256: row.sha256 },
        },
      },
    });
    expect(JSON.stringify(message)).not.toContain('storage');
    expect((await outboundJob(jobId))?.name).toBe('send-message');
    // A document keeps the uploaded file's name; a plain-text one is told by its name and bytes.
    const notes = await postForm(open, [
      ['type', 'document'],
      ['file', { data: Buffer.from('opening hours: 9-17\n'), name: 'hours.txt', type: 'text/plain' }],
    ]);
    expect(notes.statusCode, notes.body).toBe(202);
    expect(notes.json().message.metadata.media).toMatchObject({ filename: 'hours.txt', mime_type: 'text/plain' });
    // Containers the first bytes cannot tell apart take the extension or declared type they allow.
    const docx = await postForm(open, [
      ['type', 'document'],
      [
        'file',
        { data: zipWith('[Content_Types].xml', '<Types/>'), name: 'Report.docx', type: 'application/octet-stream' },
      ],
    ]);
    expect(docx.statusCode, docx.body).toBe(202);
    expect(docx.json().message.metadata.media.mime_type).toBe(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
    const m4a = await postForm(open, [
      ['type', 'audio'],
      ['file', { data: MP4, name: 'note.m4a', type: 'audio/mp4' }],
    ]);
    expect(m4a.statusCode, m4a.body).toBe(202);
    expect(m4a.json().message.metadata.media.mime_type).toBe('audio/mp4');
    const zip = await postForm(open, [
      ['type', 'document'],
      ['file', { data: zipWith('a.txt', 'x'), name: 'archive.zip', type: 'application/zip' }],
    ]);
    expect(zip.statusCode).toBe(415);
  });

  it('by upload: 413 over the type’s limit (also when type comes after the file), nothing stored', async () => {
    const before = { messages: await countOutbound(), files: (await storedFiles()).length };
    const big = Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024 + 1 - PNG.length)]);
    for (const order of ['type first', 'file first']) {
      const typeField: [string, string] = ['type', 'image'];
      const fileField: [string, { data: Buffer; name: string; type: string }] = [
        'file',
        { data: big, name: 'big.png', type: 'image/png' },
      ];
      const res = await postForm(open, order === 'type first' ? [typeField, fileField] : [fileField, typeField]);
      expect(res.statusCode, order).toBe(413);
      expect(res.json().error).toMatchObject({
        code: 'payload_too_large',
        details: { max_bytes: 5_242_880, type: 'image' },
      });
    }
    expect(await countOutbound()).toBe(before.messages);
    expect(await storedFiles()).toHaveLength(before.files);
  });

  it('by upload: 415 when the bytes are not a type the media type allows (whatever the name says), 400 for a bad form', async () => {
    const before = { messages: await countOutbound(), files: (await storedFiles()).length };
    const pdfAsImage = await postForm(open, [
      ['type', 'image'],
      ['file', { data: PDF, name: 'photo.jpg', type: 'image/jpeg' }],
    ]);
    expect(pdfAsImage.statusCode).toBe(415);
    expect(pdfAsImage.json().error.details).toMatchObject({ mime_type: 'application/pdf', suggested_type: 'document' });
    const pngAsDocument = await postForm(open, [
      ['type', 'document'],
      ['file', { data: PNG, name: 'a.pdf', type: 'application/pdf' }],
    ]);
    expect(pngAsDocument.statusCode).toBe(415);
    const unknownBytes = await postForm(open, [
      ['type', 'document'],
      ['file', { data: Buffer.from([0, 1, 2, 3, 4, 5, 6, 7]), name: 'x.bin', type: 'application/octet-stream' }],
    ]);
    expect(unknownBytes.statusCode).toBe(415);
    const badForms: Array<[Array<[string, string] | [string, { data: Buffer; name: string; type: string }]>, string]> =
      [
        [[['file', { data: PNG, name: 'a.png', type: 'image/png' }]], 'type'],
        [[['type', 'image']], 'file'],
        [
          [
            ['type', 'audio'],
            ['caption', 'no captions on audio'],
            ['file', { data: Buffer.from('ID3\x03\x00\x00\x00\x00\x00\x00'), name: 'a.mp3', type: 'audio/mpeg' }],
          ],
          'caption',
        ],
        [
          [
            ['type', 'image'],
            ['colour', 'red'],
            ['file', { data: PNG, name: 'a.png', type: 'image/png' }],
          ],
          'colour',
        ],
      ];
    for (const [fields, field] of badForms) {
      const res = await postForm(open, fields);
      expect(res.statusCode, field).toBe(400);
      expect(JSON.stringify(res.json().error), field).toContain(field);
    }
    expect(await countOutbound()).toBe(before.messages);
    expect(await storedFiles()).toHaveLength(before.files);
  });

  it('outside the 24-hour window: 409 window_closed for a link and an upload, nothing stored', async () => {
    const before = { messages: await countOutbound(), files: (await storedFiles()).length };
    const link = await admin.call('POST', `/api/conversations/${closed}/messages`, {
      body: { media: { type: 'image', url: 'https://cdn.example.com/a.jpg' } },
    });
    expect(link.statusCode).toBe(409);
    expect(link.json().error.code).toBe('window_closed');
    const upload = await postForm(closed, [
      ['type', 'image'],
      ['file', { data: PNG, name: 'a.png', type: 'image/png' }],
    ]);
    expect(upload.statusCode).toBe(409);
    expect(await countOutbound()).toBe(before.messages);
    expect(await storedFiles()).toHaveLength(before.files);
    // Unauthenticated: refused before the body is read.
    const anonymous = await postForm(open, [['type', 'image']], null);
    expect(anonymous.statusCode).toBe(401);
  });

  it('a multipart body to a JSON-only route is refused with a clear 400', async () => {
    const form = new FormData();
    form.append('name', 'x');
    const encoded = new Request('http://local/', { method: 'POST', body: form });
    const res = await admin.app.inject({
      method: 'POST',
      url: '/api/workspaces',
      headers: {
        authorization: `Bearer ${await admin.token('alice')}`,
        'content-type': encoded.headers.get('content-type') ?? '',
      },
      payload: Buffer.from(await encoded.arrayBuffer()),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('validation_failed');
  });
});

describe('operator media in the OpenAPI document', () => {
  it('documents the JSON body with media and the multipart upload form', async () => {
    const res = await admin.call('GET', '/docs/json', { as: null });
    const post = res.json().paths['/api/conversations/{id}/messages'].post;
    const json = JSON.stringify(post.requestBody.content['application/json'].schema);
    for (const field of ['text', 'media', 'url', 'caption', 'filename']) expect(json).toContain(`"${field}"`);
    expect(post.requestBody.content['multipart/form-data'].schema).toMatchObject({
      required: ['type', 'file'],
      properties: { file: { format: 'binary' }, type: { enum: ['image', 'document', 'audio', 'video'] } },
    });
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['202', '400', '409', '413', '415']));
  });
});
