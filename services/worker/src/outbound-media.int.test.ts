import { createConversationRepository, type JsonInput } from '@wabot/db';
import { createLocalMediaFiles } from '@wabot/outbound-media';

import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  eventually,
  statusWebhook,
  type TestBot,
  textWebhook,
  useWorkerKit,
  type WorkerKit,
} from './testing/worker.test-kit.js';

// Outbound media (docs/contract.md; shared/reference/meta-cloud-api.md §9.4, §10): the model's
// send_media by link, fitted to Meta's rules, reaches the simulated Graph Meta-shaped and its
// ticks are tracked; an operator's media message by link, or by upload — the file uploaded to
// the simulated Graph at send time, once, then sent by the id Meta returned.

/** The kit's MEDIA_STORE directory, as the admin writes operators' uploads into it. */
const mediaFilesOf = (kit: WorkerKit) => {
  const location = kit.config.MEDIA_STORE;
  if (location.kind !== 'local') throw new Error('the kit keeps media in a directory');
  return createLocalMediaFiles(location.dir);
};

const fixture = useWorkerKit();
let kit: WorkerKit;
beforeAll(() => {
  kit = fixture.kit;
});
const db = () => fixture.database.current.db;
const conversations = () => createConversationRepository(db());

let userCounter = 0;
const newUser = () => `1555031${String(Date.now()).slice(-4)}${String(++userCounter).padStart(2, '0')}`;

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('0000000d49484452000000010000000108060000001f15c489', 'hex'),
]);

const sendsTo = (bot: TestBot, to: string) =>
  kit.graph.sentMessages({ phoneNumberId: bot.phoneNumberId }).filter((r) => r.to === to);

/** A conversation with an open window, as the bot's first reply leaves it. */
async function openConversation(bot: TestBot, user: string) {
  await kit.deliver(bot, textWebhook(bot, [{ from: user, text: 'hi' }]));
  await eventually(() => sendsTo(bot, user).length === 1, 10_000, 'bot reply');
  return eventually(() => db().conversation.findFirst({ where: { botId: bot.id, userKey: user } }));
}

/** Stores an operator's media message as the admin API does (the file, if any, already in MEDIA_STORE) and queues it. */
async function operatorSends(
  bot: TestBot,
  conversationId: string,
  media: { [key: string]: JsonInput; type: string },
  file?: { bytes: Buffer; mimeType: string; filename: string },
  options: { loseFile?: boolean } = {},
) {
  const id = crypto.randomUUID();
  const storageKey = `outbound/${bot.id}/${id}`;
  let upload: Parameters<ReturnType<typeof conversations>['createOperatorMessage']>[0]['upload'];
  if (file) {
    const stored = await mediaFilesOf(kit).write(
      storageKey,
      (async function* () {
        yield file.bytes;
      })(),
      { maxBytes: 16 * 1024 * 1024 },
    );
    upload = {
      id,
      type: media.type,
      mimeType: file.mimeType,
      filename: file.filename,
      sizeBytes: stored.sizeBytes,
      sha256: stored.sha256,
      storageKey,
    };
    media.upload = { id, size_bytes: stored.sizeBytes, sha256: stored.sha256 };
  }
  await conversations().handOff(conversationId, { reason: 'operator_message', resumeAt: null });
  const message = await conversations().createOperatorMessage({
    botId: bot.id,
    conversationId,
    text: String(media.caption ?? `[${media.type}]`),
    userId: 'user-ops-1',
    media: { type: media.type, metadata: media },
    upload,
  });
  if (options.loseFile) await mediaFilesOf(kit).remove(storageKey);
  await kit.outbound.add(
    'send-message',
    { botId: bot.id, conversationId, messageId: message.id },
    { jobId: message.id },
  );
  return message;
}

describe('outbound media', () => {
  it('send_media by link reaches the simulated Graph Meta-shaped, and its ticks are tracked like text', async () => {
    const bot = await kit.createBot();
    const user = newUser();
    kit.llm.script({
      text: 'Here is our menu.',
      toolCalls: [
        { name: 'send_media', args: { type: 'image', url: 'https://cdn.example.com/menu.jpg', caption: ' The menu ' } },
      ],
    });
    await kit.deliver(bot, textWebhook(bot, [{ from: user, text: 'menu please' }]));
    const sent = await eventually(() => sendsTo(bot, user).find((r) => r.kind === 'image'), 10_000, 'image sent');
    expect(sent.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: `+${user}`,
      type: 'image',
      image: { link: 'https://cdn.example.com/menu.jpg', caption: 'The menu' },
      // Our part id, echoed by Meta in the status webhooks (closes the crash duplicate window).
      biz_opaque_callback_data: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    const wamid = sent.messageId ?? '';
    const row = await eventually(() => db().message.findFirst({ where: { metaMessageId: wamid, status: 'sent' } }));
    expect(row).toMatchObject({ type: 'image', text: 'The menu', direction: 'outbound' });
    await kit.deliver(bot, statusWebhook(bot, [{ id: wamid, status: 'delivered', recipient: user }]));
    await kit.deliver(bot, statusWebhook(bot, [{ id: wamid, status: 'read', recipient: user }]));
    const read = await eventually(() => db().message.findFirst({ where: { id: row.id, status: 'read' } }));
    expect(read.deliveredAt).not.toBeNull();
  });

  it('corrects what Meta would refuse: a .pdf asked as image goes as a named document, an http link as text, no caption on audio', async () => {
    const bot = await kit.createBot();
    const user = newUser();
    kit.llm.script({
      text: '',
      toolCalls: [
        { name: 'send_media', args: { type: 'image', url: 'https://cdn.example.com/files/price-list.pdf' } },
        { name: 'send_media', args: { type: 'audio', url: 'https://cdn.example.com/hello.mp3', caption: 'Hi!' } },
        { name: 'send_media', args: { type: 'video', url: 'http://cdn.example.com/tour.mp4', caption: 'Our tour' } },
      ],
    });
    await kit.deliver(bot, textWebhook(bot, [{ from: user, text: 'files?' }]));
    const sent = await kit.graph.waitFor(() => {
      const list = sendsTo(bot, user);
      return list.length >= 3 ? list : null;
    }, 15_000);
    expect(sent.map((r) => r.body)).toEqual([
      expect.objectContaining({
        type: 'document',
        document: { link: 'https://cdn.example.com/files/price-list.pdf', filename: 'price-list.pdf' },
      }),
      expect.objectContaining({ type: 'audio', audio: { link: 'https://cdn.example.com/hello.mp3' } }),
      expect.objectContaining({
        type: 'text',
        text: expect.objectContaining({ body: 'Our tour\nhttp://cdn.example.com/tour.mp4' }),
      }),
    ]);
    expect(sent.every((r) => r.status === 200)).toBe(true);
  });

  it('takeover: a media part after the model’s handoff is not sent, the one before it is', async () => {
    const bot = await kit.createBot();
    const user = newUser();
    kit.llm.script({
      text: '',
      toolCalls: [
        { name: 'send_media', args: { type: 'image', url: 'https://cdn.example.com/before.jpg' } },
        { name: 'handoff', args: { reason: 'wants a person', summary: 'Asked for staff' } },
        { name: 'send_media', args: { type: 'image', url: 'https://cdn.example.com/after.jpg' } },
      ],
    });
    await kit.deliver(bot, textWebhook(bot, [{ from: user, text: 'pictures and a person' }]));
    const conversation = await eventually(
      () => db().conversation.findFirst({ where: { botId: bot.id, userKey: user, control: 'human' } }),
      10_000,
      'handed over',
    );
    const parts = await eventually(async () => {
      const rows = await db().message.findMany({
        where: { conversationId: conversation.id, direction: 'outbound' },
        orderBy: { partIndex: 'asc' },
      });
      return rows.length === 3 && rows.every((r) => r.status !== 'pending') ? rows : null;
    });
    expect(parts.map((r) => [r.type, r.status])).toEqual([
      ['image', 'sent'],
      ['handoff', 'handled'],
      ['image', 'failed'],
    ]);
    expect(sendsTo(bot, user).map((r) => JSON.stringify(r.body))).toEqual([expect.stringContaining('before.jpg')]);
  });

  it('an operator’s upload goes to the simulated Graph at send time, once, then the message by that id; ticks tracked', async () => {
    const bot = await kit.createBot();
    const user = newUser();
    const conversation = await openConversation(bot, user);
    // The message send fails once after the upload: the retry sends by the same id, no second upload.
    kit.graph.injectFault({ kind: 'http_503', times: 1, match: { kind: 'image' } });
    const message = await operatorSends(
      bot,
      conversation.id,
      { type: 'image', caption: 'Your receipt', mime_type: 'image/png' },
      { bytes: PNG, mimeType: 'image/png', filename: 'receipt.png' },
    );
    const sent = await eventually(
      () => sendsTo(bot, user).find((r) => r.kind === 'image' && r.status === 200),
      10_000,
      'image sent by id',
    );
    const uploads = kit.graph.requests.filter(
      (r) => r.kind === 'media_upload' && r.phoneNumberId === bot.phoneNumberId,
    );
    expect(uploads).toHaveLength(1);
    expect(uploads[0]).toMatchObject({
      status: 200,
      token: bot.accessToken,
      body: { messaging_product: 'whatsapp', type: 'image/png', file: { filename: 'receipt.png', size: PNG.length } },
    });
    const mediaId = z.object({ id: z.string() }).parse(uploads[0]?.response).id;
    expect(Buffer.from(kit.graph.uploads.get(mediaId)?.data ?? []).equals(PNG)).toBe(true);
    expect(uploads[0]?.seq).toBeLessThan(sent.seq);
    expect(sent.body).toMatchObject({
      type: 'image',
      image: { id: mediaId, caption: 'Your receipt' },
      biz_opaque_callback_data: message.id,
    });
    expect(await db().outboundMedia.findUnique({ where: { messageId: message.id } })).toMatchObject({
      metaMediaId: mediaId,
    });
    const wamid = sent.messageId ?? '';
    // Recorded first: a status for a wamid the worker has not recorded yet is ignored.
    await eventually(() => db().message.findFirst({ where: { id: message.id, metaMessageId: wamid } }));
    await kit.deliver(bot, statusWebhook(bot, [{ id: wamid, status: 'read', recipient: user }]));
    const read = await eventually(() => db().message.findFirst({ where: { id: message.id, status: 'read' } }));
    expect(read).toMatchObject({ author: 'operator', metaMessageId: wamid, type: 'image' });
  });

  it('an operator’s document by link is sent by link with its file name', async () => {
    const bot = await kit.createBot();
    const user = newUser();
    const conversation = await openConversation(bot, user);
    const message = await operatorSends(bot, conversation.id, {
      type: 'document',
      link: 'https://cdn.example.com/terms.pdf',
      filename: 'Terms.pdf',
      caption: 'Our terms',
    });
    const sent = await eventually(() => sendsTo(bot, user).find((r) => r.kind === 'document'), 10_000, 'document');
    expect(sent.body).toMatchObject({
      document: { link: 'https://cdn.example.com/terms.pdf', filename: 'Terms.pdf', caption: 'Our terms' },
    });
    await eventually(() => db().message.findFirst({ where: { id: message.id, status: 'sent' } }));
  });

  it('a file Meta refuses (bytes that are not the declared type: 131053) fails the message with Meta’s reason', async () => {
    const bot = await kit.createBot();
    const user = newUser();
    const conversation = await openConversation(bot, user);
    const message = await operatorSends(
      bot,
      conversation.id,
      { type: 'image', mime_type: 'image/jpeg' },
      { bytes: Buffer.from('%PDF-1.4 not an image'), mimeType: 'image/jpeg', filename: 'fake.jpg' },
    );
    const failed = await eventually(() => db().message.findFirst({ where: { id: message.id, status: 'failed' } }));
    expect(failed).toMatchObject({ errorCode: 131053 });
    expect(sendsTo(bot, user).filter((r) => r.kind === 'image')).toHaveLength(0);
  });

  it('an upload whose file is gone from the store fails as not_sendable, without calling Meta', async () => {
    const bot = await kit.createBot();
    const user = newUser();
    const conversation = await openConversation(bot, user);
    const message = await operatorSends(
      bot,
      conversation.id,
      { type: 'image' },
      { bytes: PNG, mimeType: 'image/png', filename: 'x.png' },
      { loseFile: true },
    );
    const failed = await eventually(() => db().message.findFirst({ where: { id: message.id, status: 'failed' } }));
    expect(failed).toMatchObject({ errorTitle: 'not_sendable' });
    expect(
      kit.graph.requests.filter((r) => r.phoneNumberId === bot.phoneNumberId && r.kind === 'media_upload'),
    ).toEqual([]);
  });
});
