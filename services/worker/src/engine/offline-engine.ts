import type { BotEngine, EngineRequest } from './bot-engine.js';

const LONG_PARAGRAPH =
  'WhatsApp caps one text message at 4096 characters, so a long answer is split at paragraph, ' +
  'line or word boundaries and the parts are sent strictly in order. ';

/** Deterministic text well over 4096 characters, in paragraphs, so chunking shows in the demo. */
function longReply(): string {
  const paragraphs: string[] = [];
  for (let i = 1; i <= 12; i++) paragraphs.push(`Part ${i}. ${LONG_PARAGRAPH.repeat(5).trim()}`);
  return `Here is a long answer (LONGREPLY).\n\n${paragraphs.join('\n\n')}\n\nThat is the end of the long answer.`;
}

function firstSentence(prompt: string): string {
  const sentence = prompt.trim().split(/(?<=[.!?])\s/)[0] ?? '';
  return sentence.length > 160 ? `${sentence.slice(0, 157)}...` : sentence;
}

/**
 * The built-in engine used when LLM_BASE_URL is unset, so `./run start` and the demo answer with
 * no network. Answers are deterministic: canned replies for greetings, help, thanks, time and
 * media, "LONGREPLY" yields a reply over 4096 characters, and anything else is echoed back.
 */
export function createOfflineEngine(now: () => Date = () => new Date()): BotEngine {
  const answer = ({ systemPrompt, history, messages }: EngineRequest): string => {
    // A turn of several messages (a burst) is answered as the lines of one message.
    const text = messages.join('\n').trim();
    const lower = text.toLowerCase();
    if (text.includes('LONGREPLY')) return longReply();
    if (/^(hi|hello|hey|hola|good (morning|afternoon|evening))\b/.test(lower)) {
      const persona = firstSentence(systemPrompt);
      return persona
        ? `Hello! ${persona} How can I help you today?`
        : 'Hello! I am the offline demo assistant. How can I help you today?';
    }
    if (/\b(help|menu|options)\b/.test(lower)) {
      return [
        'I am running in offline mode (no LLM configured). Try:',
        '- "hello" for a greeting',
        '- "time" for the current time',
        '- "LONGREPLY" for a reply longer than one WhatsApp message',
        '- anything else and I will repeat it back',
      ].join('\n');
    }
    if (/\b(thanks|thank you|cheers)\b/.test(lower)) return 'You are welcome!';
    if (/\b(time|date)\b/.test(lower)) return `It is ${now().toISOString()} (UTC).`;
    if (text.startsWith('[Image]') || text.endsWith('[Image]'))
      return 'Thanks for the picture! I cannot see images offline.';
    if (text.startsWith('[Voice message]')) return 'Thanks for the voice message! I cannot listen to audio offline.';
    if (text.startsWith('[Location:')) return `Thanks for sharing your location: ${text}.`;
    // The history is bounded by the bot's settings, so this counts what the engine was shown, not
    // the whole conversation.
    const earlier = history.filter((turn) => turn.role === 'user').length;
    const memory =
      earlier === 0 ? 'no earlier message of yours' : `${earlier} earlier message${earlier === 1 ? '' : 's'} of yours`;
    return `You said: "${text}" (I was shown ${memory}). Configure LLM_BASE_URL for real answers.`;
  };
  return {
    name: 'offline',
    reply: async (request) => ({ parts: [{ type: 'text', text: answer(request) }], usage: null }),
    close: async () => {},
  };
}
