import { fitAction } from '@wabot/whatsapp';
import type { BotEngine, EngineRequest, ReplyPart } from './bot-engine.js';

const LONG_PARAGRAPH =
  'WhatsApp caps one text message at 4096 characters, so a long answer is split at paragraph, ' +
  'line or word boundaries and the parts are sent strictly in order. ';

/** Deterministic text well over 4096 characters, in paragraphs, so chunking shows in the demo. */
function longReply(): string {
  const paragraphs: string[] = [];
  for (let i = 1; i <= 12; i++) paragraphs.push(`Part ${i}. ${LONG_PARAGRAPH.repeat(5).trim()}`);
  return `Here is a long answer (LONGREPLY).\n\n${paragraphs.join('\n\n')}\n\nThat is the end of the long answer.`;
}

/** The demo's menu: three reply buttons whose titles the engine answers when tapped. */
const MENU = fitAction({
  name: 'send_buttons',
  args: {
    body: 'What would you like to try? (offline demo: no LLM configured)',
    buttons: [
      { id: 'demo_time', title: 'Current time' },
      { id: 'demo_long', title: 'Long reply' },
      { id: 'demo_agent', title: 'Talk to a person' },
    ],
  },
});

const text = (value: string): ReplyPart => ({ type: 'text', text: value });

/** An action part, or its text stand-in when it does not fit Meta's limits (it always does here). */
function actionPart(fitted: ReturnType<typeof fitAction>): ReplyPart[] {
  if (fitted.outcome === 'action') return [{ type: 'action', action: fitted.action }];
  return fitted.outcome === 'text' ? [text(fitted.text)] : [];
}

const HELP = [
  'I am the offline demo bot: no LLM is configured, so my answers are canned. Try:',
  '- "menu" for reply buttons',
  '- "list" for a list to pick from',
  '- "agent" to be handed over to a person',
  '- "time" for the current time',
  '- "LONGREPLY" for a reply longer than one WhatsApp message',
  '- anything else and I will repeat it back',
].join('\n');

/**
 * The built-in engine used when no LLM is configured (neither the bot's settings.llm nor
 * LLM_BASE_URL), so `./run start` and the demo answer with no network. It is plainly a demo:
 * canned, deterministic replies (never the bot's system prompt), and the WhatsApp actions on
 * request — "menu" → reply buttons, "list" → a list, "agent"/"human" → handoff — "LONGREPLY"
 * yields a reply over 4096 characters, and anything else is echoed back.
 */
export function createOfflineEngine(now: () => Date = () => new Date()): BotEngine {
  const answer = ({ history, messages }: EngineRequest): ReplyPart[] => {
    // A turn of several messages (a burst) is answered as the lines of one message.
    const said = messages.join('\n').trim();
    const lower = said.toLowerCase();
    if (said.includes('LONGREPLY') || lower === 'long reply') return [text(longReply())];
    if (/^(menu|options|show (me )?the menu)\W*$/.test(lower)) return actionPart(MENU);
    if (/^(list|catalog(ue)?)\W*$/.test(lower)) {
      return actionPart(
        fitAction({
          name: 'send_list',
          args: {
            body: 'Pick a topic (offline demo).',
            button: 'Topics',
            sections: [
              {
                title: 'Demo',
                rows: [
                  { id: 'demo_time', title: 'Current time', description: 'What time it is in UTC' },
                  { id: 'demo_long', title: 'Long reply', description: 'A reply split into parts' },
                  { id: 'demo_agent', title: 'Talk to a person', description: 'Hand over to the team' },
                ],
              },
            ],
          },
        }),
      );
    }
    if (/\b(agent|human|person|operator)\b/.test(lower)) {
      return [
        text('Connecting you with a person from the team. (Offline demo: the bot now stops answering.)'),
        ...actionPart(
          fitAction({
            name: 'handoff',
            args: { reason: 'the user asked for a person', summary: `The user wrote: "${said.slice(0, 500)}"` },
          }),
        ),
      ];
    }
    if (/^(hi|hello|hey|hola|good (morning|afternoon|evening))\b/.test(lower)) {
      return [text('Hello! I am the offline demo bot (no LLM configured). Say "menu" to see what I can do.')];
    }
    if (/\b(help)\b/.test(lower)) return [text(HELP)];
    if (/\b(thanks|thank you|cheers)\b/.test(lower)) return [text('You are welcome!')];
    if (/\b(time|date)\b/.test(lower)) return [text(`It is ${now().toISOString()} (UTC).`)];
    // The media step's labelled stand-in description (settings.llm.vision without a model).
    const described = /^\[offline stand-in description\].*$/m.exec(said)?.[0];
    if (described && said.includes('[Image]')) {
      return [text(`Thanks for the picture! I cannot see images offline; my stand-in describer says: ${described}`)];
    }
    if (said.startsWith('[Image]') || said.endsWith('[Image]'))
      return [text('Thanks for the picture! I cannot see images offline.')];
    const heard = said.startsWith('[Voice message] ') ? said.slice('[Voice message] '.length).trim() : '';
    if (heard) return [text(`I got your voice message. Its transcript reads: "${heard}"`)];
    if (said.startsWith('[Voice message]'))
      return [text('Thanks for the voice message! I cannot listen to audio offline.')];
    if (said.startsWith('[Location:')) return [text(`Thanks for sharing your location: ${said}.`)];
    // The history is bounded by the bot's settings, so this counts what the engine was shown, not
    // the whole conversation.
    const earlier = history.filter((turn) => turn.role === 'user').length;
    const memory =
      earlier === 0 ? 'no earlier message of yours' : `${earlier} earlier message${earlier === 1 ? '' : 's'} of yours`;
    return [
      text(
        `You said: "${said}" (I was shown ${memory}). Offline demo: configure an LLM (settings.llm or LLM_BASE_URL) for real answers.`,
      ),
    ];
  };
  return {
    name: 'offline',
    reply: async (request) => ({ parts: answer(request), usage: null }),
    close: async () => {},
  };
}
