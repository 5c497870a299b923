// The scripted conversation of `./run demo`: every supported inbound type, a long reply in parts,
// a username-only user, the 24-hour window closed on our side and on Meta's, and a human takeover
// (handoff, the bot silent, an operator's message with ticks, resume). Each step adds a
// check; `./run demo --once` passes when all of them do.
import { createHash } from 'node:crypto';
import type { LlmSimulator } from '@wabot/llm-simulator';
import {
  createSimUser,
  type GraphSimulator,
  HOUR_MS,
  type InboundContent,
  type InboundDelivery,
  type RecordedGraphRequest,
  type SimClock,
  type SimUser,
} from '@wabot/meta-simulator';
import type { AdminApi, StoredMessage } from './admin-api.ts';
import type { Transcript } from './transcript.ts';

export interface SayResult {
  delivery: InboundDelivery;
  replies: StoredMessage[];
  receipt?: RecordedGraphRequest | undefined;
  /** The inbound message as the admin API shows it once handled (with its media). */
  inbound?: StoredMessage | undefined;
}

export interface Scene {
  /** Sends `content` from `user`, waits for the bot's answer and prints both. */
  say(user: SimUser, content: InboundContent): Promise<SayResult>;
  /** Records one check of the run. */
  check(ok: unknown, label: string): void;
  graph: GraphSimulator;
  clock: SimClock;
  transcript: Transcript;
  api: AdminApi;
  botId: string;
  /** The speech-to-text stand-in, when no STT_BASE_URL is configured. */
  sttStandIn?: LlmSimulator | undefined;
  /** An LLM is configured (LLM_BASE_URL): images reach it; otherwise the stand-in describer. */
  llmConfigured: boolean;
}

/** The transcript the speech-to-text stand-in gives the demo's voice note, labelled as what it is. */
const STAND_IN_TRANSCRIPT = '[offline stand-in transcript] Hi! Can I book a table for six tonight at seven?';

/** A 1×1 PNG: the "photo" of the storefront. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/** The media the demo's user sends, as files the Graph API simulator serves (fetched by the worker). */
function mediaSteps(graph: GraphSimulator, stt: LlmSimulator | undefined) {
  const file = (data: Buffer, mimeType: string) => graph.media.register({ data, mimeType });
  const voice = Buffer.concat([Buffer.from('OggS'), Buffer.alloc(2000, 7)]);
  stt?.setTranscript(createHash('sha256').update(voice).digest('hex'), STAND_IN_TRANSCRIPT);
  return {
    image: { type: 'image', caption: 'Is this your storefront?', media: file(PNG, 'image/png') },
    document: {
      type: 'document',
      filename: 'catering-order.pdf',
      caption: 'Our catering order',
      media: file(Buffer.from('%PDF-1.4\n% demo catering order\n%%EOF\n'), 'application/pdf'),
    },
    audio: { type: 'audio', voice: true, media: file(voice, 'audio/ogg; codecs=opus') },
    video: {
      type: 'video',
      caption: 'Look at the queue outside',
      media: file(Buffer.alloc(4096, 1), 'video/mp4'),
    },
    sticker: { type: 'sticker', animated: true, media: file(Buffer.alloc(1024, 2), 'image/webp') },
  } satisfies Record<string, InboundContent>;
}

const steps: InboundContent[] = [
  { type: 'location', latitude: 38.7223, longitude: -9.1393, name: 'Praça do Comércio', address: 'Lisboa' },
  {
    type: 'contacts',
    contacts: [{ name: 'Maria José Ferreira', phone: '+55 11 99999-0001', waId: '5511999990001' }],
  },
  { type: 'button_reply', id: 'book-table', title: 'Book a table' },
  { type: 'list_reply', id: 'menu-veggie', title: 'Vegetarian menu', description: 'Meat-free dishes' },
  { type: 'button', payload: 'STOP_PROMOTIONS', text: 'Stop promotions' },
  {
    type: 'order',
    catalogId: '194800000000001',
    text: 'For pick-up at 6pm',
    items: [
      { productRetailerId: 'pastel-de-nata', quantity: 6, itemPrice: 1.5, currency: 'EUR' },
      { productRetailerId: 'espresso', quantity: 2, itemPrice: 1.2, currency: 'EUR' },
    ],
  },
  { type: 'unsupported', unsupportedType: 'poll_creation' },
];

const allRead = (replies: StoredMessage[]) => replies.length > 0 && replies.every((r) => r.status === 'read');

/** Plays the script, checking each step. */
export async function playScript(scene: Scene): Promise<void> {
  const { say, check, graph, clock, transcript } = scene;
  const { out, bold, dim, indent } = transcript;
  const ana = createSimUser({ name: 'Ana', waId: '15557654321', bsuid: true });
  const kai = createSimUser({ name: 'Kai', waId: null, username: '@kai.dev' });
  const ben = createSimUser({ name: 'Ben', waId: '447700900123' });
  const cleo = createSimUser({ name: 'Cleo', waId: '5511999990001' });

  out();
  out(bold('— Scripted conversation —'));
  const greet = await say(ana, { type: 'text', body: 'Hello! Are you open today? 😊' });
  check(allRead(greet.replies), 'text: answered, reply read (✓✓)');
  check(greet.receipt, 'text: read receipt sent before replying');
  let lastReply = greet.replies.at(-1)?.meta_message_id;
  lastReply = (await playMedia(scene, ana)) ?? lastReply;
  for (const content of steps) {
    const result = await say(ana, content);
    check(allRead(result.replies), `${content.type}: answered`);
    lastReply = result.replies.at(-1)?.meta_message_id ?? lastReply;
  }
  const reaction = await say(ana, { type: 'reaction', messageId: lastReply ?? 'wamid.unknown', emoji: '❤️' });
  check(reaction.delivery.status === 200 && reaction.replies.length === 0, 'reaction: stored, not answered');

  out();
  out(bold('— A long answer is split into WhatsApp-sized parts —'));
  const long = await say(ana, { type: 'text', body: 'Please tell me everything about your menu. LONGREPLY' });
  check(
    long.replies.length > 1 && long.replies.every((r) => [...r.text].length <= 4096 && r.status === 'read'),
    `long reply: ${long.replies.length} parts of ≤ 4096 characters, sent in order and read`,
  );

  out();
  out(bold('— A username user (no phone number, business-scoped user id only) —'));
  const username = await say(kai, { type: 'text', body: 'hi, I only share my username' });
  const toBsuid = kai.bsuid !== null && graph.sentMessages({ to: kai.bsuid }).length > 0;
  check(username.replies.length > 0 && toBsuid, `username user: answered at their BSUID ${kai.bsuid}`);

  out();
  out(bold('— 24-hour window closed —'));
  out(
    dim(
      `${indent}Ben's message is delivered late: the clock is set 25 h back for it, so the window it opened is already closed.`,
    ),
  );
  clock.advance(-25 * HOUR_MS);
  const late = await say(ben, { type: 'text', body: 'Hi, are you still there?' });
  clock.reset();
  check(
    late.replies.length > 0 && late.replies.every((r) => r.type === 'template' || r.status === 'failed'),
    'closed window (our clock): no free-form reply; the fallback template is sent instead',
  );
  out(dim(`${indent}Meta itself refuses the next free-form reply to Cleo with 131047 (simulated fault).`));
  graph.injectFault({ kind: 'window_closed_131047', match: { to: cleo.waId ?? undefined } });
  const refused = await say(cleo, { type: 'text', body: 'Thanks for yesterday!' });
  graph.clearFaults();
  check(
    refused.replies.some((r) => r.status === 'failed' && r.error_code === 131047),
    'closed window (Meta 131047): reply recorded as failed with the error code',
  );
  await playTakeover(scene, ana);
}

/**
 * Voice notes and images the bot understands: every media type fetched from the simulated Graph
 * API (sha256-checked) and stored, the photo served back by the admin API, the voice note
 * transcribed and the photo described (offline: labelled stand-ins). Returns the last reply's wamid.
 */
async function playMedia(scene: Scene, ana: SimUser): Promise<string | undefined> {
  const { say, check, graph, api, transcript } = scene;
  const media = mediaSteps(graph, scene.sttStandIn);
  transcript.out();
  transcript.out(transcript.bold('— Media: fetched, stored, understood —'));
  let last: string | undefined;
  for (const content of Object.values(media)) {
    const result = await say(ana, content);
    check(allRead(result.replies), `${content.type}: answered`);
    const stored = result.inbound?.media;
    check(stored?.fetch_status === 'stored', `${content.type}: fetched from the Graph API, sha256-checked and stored`);
    last = result.replies.at(-1)?.meta_message_id ?? last;
    if (content.type === 'image' && stored?.url) {
      const file = await api.fetchMedia(stored.url);
      check(
        file.status === 200 && file.contentType === 'image/png' && file.bytes.equals(PNG),
        'image: the team opens the photo through the admin API (GET /api/messages/:id/media)',
      );
      const described = result.replies.map((r) => r.text).join('\n');
      check(
        scene.llmConfigured
          ? result.replies.length > 0
          : Boolean(
              stored.description?.startsWith('[offline stand-in description]') &&
                described.includes(stored.description),
            ),
        scene.llmConfigured
          ? 'image: given to the model as an image (settings.llm.vision)'
          : 'image: described to the bot (offline: the labelled stand-in describer)',
      );
    }
    if (content.type === 'audio') {
      const said = stored?.transcript ?? '';
      check(
        said !== '' && result.replies.some((r) => r.text.includes(said)),
        'voice note: transcribed, and the bot answered what was said',
      );
      check(result.inbound?.text === `[Voice message] ${said}`, 'voice note: the transcript is stored on the message');
    }
  }
  return last;
}

/** Human takeover: a person takes Ana's conversation, the bot stays silent, the person answers, the bot resumes. */
async function playTakeover({ say, check, api, botId, transcript }: Scene, ana: SimUser): Promise<void> {
  const { out, bold, yellow, indent } = transcript;
  out();
  out(bold('— Human takeover: a person answers, the bot stays silent, then resumes —'));
  const conversation = await api.findConversation(botId, ana);
  if (!conversation) {
    check(false, 'takeover: Ana has a conversation');
    return;
  }
  const handed = await api.handOff(conversation.id, 'demo: a person takes over');
  out(`${indent}${yellow(`control: ${handed.control} (${handed.handoff_reason})`)}`);
  const silent = await say(ana, { type: 'text', body: 'Can I talk to a real person?' });
  check(handed.control === 'human' && silent.replies.length === 0, 'takeover: handed over, the bot does not answer');
  const { message } = await api.sendOperatorMessage(
    conversation.id,
    'Hi Ana, Sam from the café here. Your table for 6 is booked!',
  );
  const [operator] = await api.settle(conversation.id, [message], 10_000);
  transcript.bubble(`${bold(yellow('Sam   '))} ◂`, message.text, operator ? transcript.ticks(operator) : '');
  check(
    operator?.status === 'read' && operator.author === 'operator',
    'takeover: operator message delivered and read (✓✓)',
  );
  const resumed = await api.resume(conversation.id);
  out(`${indent}${yellow(`control: ${resumed.control}`)}`);
  const back = await say(ana, { type: 'text', body: 'Thanks Sam! And bot: do you have parking?' });
  check(resumed.control === 'bot' && back.replies.length > 0, 'takeover: resumed, the bot answers again');
}
