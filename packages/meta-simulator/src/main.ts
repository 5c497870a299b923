#!/usr/bin/env node
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { type RecordedGraphRequest, startGraphSimulator } from './graph-simulator.js';
import { createSimUser } from './sim-user.js';
import { createWebhookSender, type WebhookSender } from './webhook-sender.js';

const USAGE = `usage: ./run simulator [options]   (or node packages/meta-simulator/dist/main.js [options])
  --port <n>             listen port (default 4010; 0 picks a free one)
  --host <addr>          bind address (default 127.0.0.1)
  --webhook-url <url>    also send status webhooks (sent → delivered → read) for every accepted send here
  --app-secret <secret>  app secret that signs those webhooks (required with --webhook-url)
  --status-delay-ms <n>  pause between status steps (default 300)
  --phone-number-id <id> with --webhook-url: each line typed on stdin is sent to the bot as a text
                         from a simulated user of this business number (the bot's phone_number_id);
                         "/tap <id>" taps that button or list row of the bot's last interactive message;
                         "/image [caption]" and "/voice" send media the simulator serves (GET /{media-id})
  --user <digits>        that user's phone number (default: a fresh 1555… test number)
  --quiet                do not print one line per request
Control API (for scripts): GET /_simulator/requests?since=<seq>, POST /_simulator/faults {kind, match?, times?, ...},
DELETE /_simulator/faults, POST /_simulator/reset.`;

/** Enough of an interactive send to print it and tap it. */
const choiceSchema = z.object({ id: z.string(), title: z.string() });
const interactiveSchema = z.object({
  interactive: z.object({
    type: z.string(),
    body: z.object({ text: z.string() }),
    action: z.object({
      buttons: z.array(z.object({ reply: choiceSchema })).optional(),
      sections: z.array(z.object({ rows: z.array(choiceSchema) })).optional(),
    }),
  }),
});

const mediaObjectSchema = z.object({
  id: z.string().optional(),
  link: z.string().optional(),
  caption: z.string().optional(),
  filename: z.string().optional(),
});
/** A media send (`{type, <type>: {id | link, caption?, filename?}}`), for the printed line. */
const mediaSchema = z.object({
  type: z.enum(['image', 'video', 'audio', 'document', 'sticker']),
  image: mediaObjectSchema.optional(),
  video: mediaObjectSchema.optional(),
  audio: mediaObjectSchema.optional(),
  document: mediaObjectSchema.optional(),
  sticker: mediaObjectSchema.optional(),
});
const uploadSchema = z.object({ file: z.object({ filename: z.string(), mime_type: z.string(), size: z.number() }) });
const uploadAnswerSchema = z.object({ id: z.string() });

function describe(request: RecordedGraphRequest): string {
  const target = request.to === null ? '' : ` → ${request.to}`;
  const body = request.body;
  let detail = '';
  if (request.kind === 'text' && typeof body === 'object' && body !== null && 'text' in body) {
    const text =
      typeof body.text === 'object' && body.text !== null && 'body' in body.text ? String(body.text.body) : '';
    detail = ` "${text.length > 60 ? `${text.slice(0, 57)}...` : text}"`.replace(/\n/g, ' ');
  }
  const interactive = interactiveSchema.safeParse(body).data?.interactive;
  if (request.kind === 'interactive' && interactive) {
    const choices = [
      ...(interactive.action.buttons ?? []).map((b) => b.reply),
      ...(interactive.action.sections ?? []).flatMap((section) => section.rows),
    ].map((choice) => ` [${choice.id}: ${choice.title}]`);
    detail = ` ${interactive.type} "${interactive.body.text.slice(0, 60)}"${choices.join('')}`.replace(/\n/g, ' ');
  }
  const media = mediaSchema.safeParse(body).data;
  const mediaObject = media ? media[media.type] : undefined;
  if (media && mediaObject) {
    const source = mediaObject.id === undefined ? (mediaObject.link ?? '') : `id ${mediaObject.id}`;
    const named = mediaObject.filename === undefined ? '' : ` ${mediaObject.filename}`;
    const caption = mediaObject.caption === undefined ? '' : ` "${mediaObject.caption.slice(0, 60)}"`;
    detail = ` ${source}${named}${caption}`.replace(/\n/g, ' ');
  }
  const upload = uploadSchema.safeParse(body).data?.file;
  if (request.kind === 'media_upload' && upload) {
    const id = uploadAnswerSchema.safeParse(request.response).data?.id;
    detail = ` ${upload.filename} ${upload.mime_type} ${upload.size} B${id === undefined ? '' : ` → id ${id}`}`;
  }
  const fault = request.fault === null ? '' : ` [fault ${request.fault}]`;
  return `${request.method} ${request.path} ${request.kind}${target}${detail} → ${request.status}${fault}`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '4010' },
      host: { type: 'string', default: '127.0.0.1' },
      'webhook-url': { type: 'string' },
      'app-secret': { type: 'string' },
      'status-delay-ms': { type: 'string', default: '300' },
      'phone-number-id': { type: 'string' },
      user: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const port = Number(values.port);
  const stepDelayMs = Number(values['status-delay-ms']);
  const webhookUrl = values['webhook-url'];
  const appSecret = values['app-secret'];
  if (!Number.isInteger(port) || port < 0 || port > 65_535 || !Number.isFinite(stepDelayMs)) {
    throw new Error(`bad --port or --status-delay-ms\n${USAGE}`);
  }
  if (webhookUrl !== undefined && appSecret === undefined) throw new Error('--webhook-url needs --app-secret');
  const typedFrom = values['phone-number-id'];
  if (typedFrom !== undefined && webhookUrl === undefined) throw new Error('--phone-number-id needs --webhook-url');

  const senders = new Map<string, WebhookSender>();
  const senderFor = (phoneNumberId: string, url: string, secret: string) => {
    let sender = senders.get(phoneNumberId);
    if (sender === undefined) {
      sender = createWebhookSender({ webhookUrl: url, appSecret: secret, phoneNumberId, retry: { attempts: 5 } });
      senders.set(phoneNumberId, sender);
    }
    return sender;
  };

  const graph = await startGraphSimulator({
    host: values.host,
    port,
    controlApi: true,
    onAccepted: (request) => {
      if (webhookUrl === undefined || appSecret === undefined || request.phoneNumberId === null) return;
      senderFor(request.phoneNumberId, webhookUrl, appSecret)
        .emitStatuses(request, { stepDelayMs })
        .catch((error: unknown) => process.stderr.write(`status webhook failed: ${String(error)}\n`));
    },
  });
  if (!values.quiet) graph.onRequest((request) => process.stdout.write(`${describe(request)}\n`));
  process.stdout.write(`Graph API simulator listening on ${graph.url}\n`);
  if (typedFrom !== undefined && webhookUrl !== undefined && appSecret !== undefined) {
    const user = createSimUser({ name: 'Simulated user', ...(values.user ? { waId: values.user } : {}) });
    const sender = senderFor(typedFrom, webhookUrl, appSecret);
    process.stdout.write(`Type a message and press Enter: it reaches the bot as a WhatsApp text from +${user.waId}.\n`);
    createInterface({ input: process.stdin }).on('line', (line) => {
      if (line.trim() === '') return;
      const tap = /^\/tap\s+(\S+)/.exec(line.trim());
      const lastInteractive = graph
        .sentMessages({ phoneNumberId: typedFrom, to: user.waId ?? undefined })
        .filter((request) => request.kind === 'interactive')
        .at(-1);
      const image = /^\/image(?:\s+(.*))?$/.exec(line.trim());
      const media = image
        ? graph.media.register({ data: randomBytes(2048), mimeType: 'image/jpeg' })
        : line.trim() === '/voice'
          ? graph.media.register({ data: randomBytes(3000), mimeType: 'audio/ogg; codecs=opus' })
          : undefined;
      const delivered = tap
        ? lastInteractive
          ? Promise.resolve().then(() => sender.tap(user, lastInteractive, tap[1] ?? ''))
          : Promise.reject(new Error('the bot has sent no interactive message to tap'))
        : media && image
          ? sender.sendMessage(user, { type: 'image', media, ...(image[1] ? { caption: image[1] } : {}) })
          : media
            ? sender.sendMessage(user, { type: 'audio', voice: true, media })
            : sender.sendText(user, line);
      delivered.then(
        (delivery) => process.stdout.write(`webhook → ${delivery.status}\n`),
        (error: unknown) => process.stderr.write(`webhook failed: ${String(error)}\n`),
      );
    });
  }

  const stop = () => {
    graph.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
