import { randomBytes } from 'node:crypto';
import { useTestDatabase, useTestRedis } from '@wabot/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botBody, createTestAdmin, type TestAdmin } from '../testing/test-admin.js';
import { contentDisposition } from './media-routes.js';

const database = useTestDatabase();
const redis = useTestRedis();
let admin: TestAdmin;

/** A bot of `as`'s own workspace with one conversation. */
async function botOf(as: string) {
  const ws = (await admin.call('POST', '/api/workspaces', { as, body: { name: `${as}-ws` } })).json().id;
  const botId: string = (await admin.call('POST', '/api/bots', { as, body: botBody(ws).body })).json().id;
  const conversation = await database.current.db.conversation.create({
    data: { botId, userKey: `1555${randomBytes(3).toString('hex')}`, lastMessageAt: new Date() },
  });
  return { botId, conversationId: conversation.id };
}

/** An inbound media message with its media row, as the worker leaves them; the file stored when `data` is given. */
async function mediaMessage(
  owner: { botId: string; conversationId: string },
  media: {
    kind: string;
    mimeType: string;
    filename?: string;
    caption?: string;
    data?: Buffer;
    status?: 'stored' | 'failed';
  },
) {
  const db = database.current.db;
  const message = await db.message.create({
    data: {
      botId: owner.botId,
      conversationId: owner.conversationId,
      direction: 'inbound',
      metaMessageId: `wamid.${randomBytes(8).toString('hex')}`,
      type: media.kind,
      text: media.kind === 'document' ? `[Document: ${media.filename}]` : '[Image]',
      status: 'handled',
    },
  });
  const storeKey = media.data ? `${owner.botId}/${message.id}` : null;
  if (media.data && storeKey) await admin.mediaStore.put(storeKey, media.data, media.mimeType);
  await db.inboundMedia.create({
    data: {
      messageId: message.id,
      botId: owner.botId,
      kind: media.kind,
      mediaId: '1234567890',
      mimeType: media.mimeType,
      filename: media.filename ?? null,
      caption: media.caption ?? null,
      status: media.status ?? (media.data ? 'stored' : 'failed'),
      error: media.data ? null : 'sha256 mismatch: …',
      storeKey,
      fileSize: media.data?.length ?? null,
      sha256: media.data ? 'ab'.repeat(32) : null,
      fetchedAt: media.data ? new Date() : null,
    },
  });
  return message.id;
}

let alice: { botId: string; conversationId: string };

beforeAll(async () => {
  admin = await createTestAdmin(database.current, redis.current);
  alice = await botOf('alice');
  // Mallory has a workspace of her own, not Alice's.
  await botOf('mallory');
});
afterAll(() => admin.close());

describe('GET /api/messages/:id/media', () => {
  it('streams an image to a member of its workspace with its MIME type, length and nosniff', async () => {
    const png = randomBytes(5000);
    const id = await mediaMessage(alice, { kind: 'image', mimeType: 'image/png', data: png });
    const res = await admin.call('GET', `/api/messages/${id}/media`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['content-length']).toBe(String(png.length));
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-disposition']).toBe('inline');
    expect(res.headers['content-security-policy']).toContain('sandbox');
    expect(res.rawPayload.equals(png)).toBe(true);
  });

  it('a document comes as an attachment with its file name', async () => {
    const pdf = randomBytes(100);
    const id = await mediaMessage(alice, {
      kind: 'document',
      mimeType: 'application/pdf',
      filename: 'Menü "2026".pdf',
      data: pdf,
    });
    const res = await admin.call('GET', `/api/messages/${id}/media`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="Men_ _2026_.pdf"; filename*=UTF-8''${encodeURIComponent('Menü "2026".pdf')}`,
    );
    expect(res.rawPayload.equals(pdf)).toBe(true);
  });

  it("another workspace's media is 404, like an unknown id; no token is 401", async () => {
    const id = await mediaMessage(alice, { kind: 'image', mimeType: 'image/jpeg', data: randomBytes(10) });
    const other = await admin.call('GET', `/api/messages/${id}/media`, { as: 'mallory' });
    expect(other.statusCode).toBe(404);
    expect(other.json().error.code).toBe('not_found');
    const unknown = await admin.call('GET', '/api/messages/00000000-0000-4000-8000-000000000000/media');
    expect(unknown.statusCode).toBe(404);
    expect((await admin.call('GET', `/api/messages/${id}/media`, { as: null })).statusCode).toBe(401);
    expect((await admin.call('GET', '/api/messages/not-a-uuid/media')).statusCode).toBe(400);
  });

  it('404 when no file is stored (the fetch failed) or the file is gone from the store', async () => {
    const failed = await mediaMessage(alice, { kind: 'image', mimeType: 'image/jpeg' });
    expect((await admin.call('GET', `/api/messages/${failed}/media`)).statusCode).toBe(404);
    const gone = await mediaMessage(alice, { kind: 'image', mimeType: 'image/jpeg', data: randomBytes(10) });
    await admin.mediaStore.delete(`${alice.botId}/${gone}`);
    expect((await admin.call('GET', `/api/messages/${gone}/media`)).statusCode).toBe(404);
  });

  it("the message list shows each media message's metadata and file URL", async () => {
    const own = await botOf('alice');
    const stored = await mediaMessage(own, {
      kind: 'document',
      mimeType: 'application/pdf',
      filename: 'order.pdf',
      caption: 'our order',
      data: randomBytes(42),
    });
    const failed = await mediaMessage(own, { kind: 'image', mimeType: 'image/jpeg' });
    const res = await admin.call('GET', `/api/conversations/${own.conversationId}/messages`);
    expect(res.statusCode).toBe(200);
    const byId = new Map(res.json().data.map((m: { id: string; media: unknown }) => [m.id, m.media]));
    expect(byId.get(stored)).toMatchObject({
      kind: 'document',
      mime_type: 'application/pdf',
      file_size: 42,
      filename: 'order.pdf',
      caption: 'our order',
      fetch_status: 'stored',
      error: null,
      transcript: null,
      url: `/api/messages/${stored}/media`,
    });
    expect(byId.get(failed)).toMatchObject({ fetch_status: 'failed', error: 'sha256 mismatch: …', url: null });
  });
});

describe('contentDisposition', () => {
  it('is inline for non-documents and names documents', () => {
    expect(contentDisposition('audio', 'x.ogg')).toBe('inline');
    expect(contentDisposition('document', null)).toBe('attachment');
    expect(contentDisposition('document', 'a.pdf')).toBe(`attachment; filename="a.pdf"; filename*=UTF-8''a.pdf`);
  });
});
