import { fitAction, type RequestedAction, toActionPayload } from '@wabot/whatsapp';
import { describe, expect, it } from 'vitest';
import { INTERACTIVE_ERRORS } from './interactive-validation.js';
import { validateSend } from './send-validation.js';

const envelope = { messaging_product: 'whatsapp', recipient_type: 'individual', to: '+15557654321' };
const interactive = (value: Record<string, unknown>) => ({ ...envelope, type: 'interactive', interactive: value });
const reply = (id: string, title: string) => ({ type: 'reply', reply: { id, title } });
const buttons = (body: unknown, list: unknown[]) =>
  interactive({ type: 'button', body: { text: body }, action: { buttons: list } });
const list = (rows: Record<string, unknown>[], body = 'Menu') =>
  interactive({ type: 'list', body: { text: body }, action: { button: 'Open', sections: [{ title: 'All', rows }] } });
const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `r${i}`, title: `Row ${i}` }));

/** The error a send is answered with: Meta's code plus details (or the message, for a 100). */
const refusal = (body: unknown) => {
  const answer = validateSend(body);
  if (answer === null) return null;
  const { code, message, error_data: data } = answer.body.error;
  return { status: answer.status, code, details: data?.details ?? null, message };
};

describe('simulated Graph API: interactive limits answered with Meta’s codes and details (§9.6)', () => {
  it.each([
    [
      'a button title over 20 characters',
      buttons('Pick', [reply('a', 'x'.repeat(21))]),
      INTERACTIVE_ERRORS.buttonTitle,
    ],
    ['an empty button title', buttons('Pick', [reply('a', '')]), INTERACTIVE_ERRORS.buttonTitle],
    ['no buttons', buttons('Pick', []), INTERACTIVE_ERRORS.buttonCount],
    [
      'four buttons',
      buttons('Pick', [reply('a', 'A'), reply('b', 'B'), reply('c', 'C'), reply('d', 'D')]),
      INTERACTIVE_ERRORS.buttonCount,
    ],
    ['a body over 1024 characters', buttons('b'.repeat(1025), [reply('a', 'A')]), INTERACTIVE_ERRORS.bodyLength],
    ['an empty body', buttons('', [reply('a', 'A')]), INTERACTIVE_ERRORS.bodyLength],
    [
      'a list body over 1024 characters (refused live despite the documented 4096)',
      list(rows(1), 'b'.repeat(1025)),
      INTERACTIVE_ERRORS.bodyLength,
    ],
    ['11 list rows', list(rows(11)), INTERACTIVE_ERRORS.rowCount],
    ['a row title over 24 characters', list([{ id: 'r', title: 't'.repeat(25) }]), INTERACTIVE_ERRORS.rowTitle],
    [
      'a row description over 72 characters',
      list([{ id: 'r', title: 'T', description: 'd'.repeat(73) }]),
      INTERACTIVE_ERRORS.rowDescription,
    ],
  ])('refuses %s with 131009', (_name, body, details) => {
    expect(refusal(body)).toEqual({
      status: 400,
      code: 131009,
      details,
      message: '(#131009) Parameter value is not valid',
    });
  });

  it('refuses a missing body with 100 and Meta’s message', () => {
    const missing = interactive({ type: 'button', action: { buttons: [reply('a', 'A')] } });
    expect(refusal(missing)).toMatchObject({
      status: 400,
      code: 100,
      message: "(#100) The parameter interactive['body']['text'] is required.",
    });
  });

  it.each([
    ['duplicate button titles', buttons('Pick', [reply('a', 'Same'), reply('b', 'Same')])],
    ['duplicate button ids', buttons('Pick', [reply('a', 'A'), reply('a', 'B')])],
    ['a button id with surrounding spaces', buttons('Pick', [reply(' a', 'A')])],
    [
      'a CTA display text over 20 characters',
      interactive({
        type: 'cta_url',
        body: { text: 'Go' },
        action: { name: 'cta_url', parameters: { display_text: 'd'.repeat(21), url: 'https://example.com' } },
      }),
    ],
    [
      'a CTA without a valid URL',
      interactive({
        type: 'cta_url',
        body: { text: 'Go' },
        action: { name: 'cta_url', parameters: { display_text: 'Open', url: 'example.com/x' } },
      }),
    ],
    [
      'a section title over 24 characters',
      interactive({
        type: 'list',
        body: { text: 'M' },
        action: { button: 'Open', sections: [{ title: 's'.repeat(25), rows: rows(1) }] },
      }),
    ],
    [
      'a list button over 20 characters',
      interactive({
        type: 'list',
        body: { text: 'M' },
        action: { button: 'b'.repeat(21), sections: [{ title: 'S', rows: rows(1) }] },
      }),
    ],
    [
      'a footer over 60 characters',
      interactive({
        type: 'button',
        body: { text: 'M' },
        footer: { text: 'f'.repeat(61) },
        action: { buttons: [reply('a', 'A')] },
      }),
    ],
  ])('refuses %s with 131009 (Meta’s documented limits)', (_name, body) => {
    expect(refusal(body)).toMatchObject({ status: 400, code: 131009 });
  });

  it('accepts each interactive type at its limits', () => {
    const atLimits = [
      buttons('b'.repeat(1024), [reply('a'.repeat(256), 't'.repeat(20)), reply('b', 'B'), reply('c', 'C')]),
      list([...rows(9), { id: 'i'.repeat(200), title: 't'.repeat(24), description: 'd'.repeat(72) }], 'b'.repeat(1024)),
      interactive({
        type: 'cta_url',
        body: { text: 'Track' },
        action: { name: 'cta_url', parameters: { display_text: 'd'.repeat(20), url: 'https://example.com/t?id=1' } },
      }),
      interactive({ type: 'location_request_message', body: { text: 'Where?' }, action: { name: 'send_location' } }),
    ];
    for (const body of atLimits) expect(refusal(body)).toBeNull();
  });

  it('checks media captions and file names', () => {
    const media = (type: string, object: Record<string, unknown>) => ({ ...envelope, type, [type]: object });
    expect(refusal(media('image', { link: 'https://x.example/a.jpg', caption: 'c'.repeat(1024) }))).toBeNull();
    expect(refusal(media('image', { link: 'https://x.example/a.jpg', caption: 'c'.repeat(1025) }))).toMatchObject({
      code: 131009,
    });
    expect(refusal(media('audio', { link: 'https://x.example/a.mp3', caption: 'no' }))).toMatchObject({ code: 100 });
    expect(refusal(media('image', { link: 'https://x.example/a.jpg', filename: 'a.jpg' }))).toMatchObject({
      code: 100,
    });
    expect(refusal(media('document', { link: 'https://x.example/a.pdf', filename: 'a.pdf' }))).toBeNull();
  });
});

/** A small seeded generator (mulberry32): the same inputs on every run, so a failure reproduces. */
function createRandom(seed: number) {
  let state = seed;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const alphabet = ['a', 'Z', ' ', '😀', 'é', '-', '7', '\u00a0', '👍🏽', '\n'];
  const text = (maxLength: number) =>
    Array.from({ length: int(0, maxLength) }, () => alphabet[int(0, alphabet.length - 1)] ?? 'a').join('');
  const pick = <T>(values: readonly T[]): T => {
    const value = values[int(0, values.length - 1)];
    if (value === undefined) throw new Error('pick from an empty list');
    return value;
  };
  return { int, text, pick };
}

/** A requested action with lengths and counts drawn well past Meta's limits. */
function randomRequest(random: ReturnType<typeof createRandom>): RequestedAction {
  const { int, text, pick } = random;
  const choice = () => ({ id: pick(['same', text(300), '', ' x ']), title: pick(['Same', text(40), ''] as const) });
  switch (int(0, 4)) {
    case 0:
      return { name: 'send_buttons', args: { body: text(1100), buttons: Array.from({ length: int(0, 12) }, choice) } };
    case 1:
      return {
        name: 'send_list',
        args: {
          body: text(1100),
          button: text(30),
          sections: Array.from({ length: int(0, 12) }, () => ({
            title: text(30),
            rows: Array.from({ length: int(0, 6) }, () => ({
              ...choice(),
              ...(int(0, 1) === 1 ? { description: text(90) } : {}),
            })),
          })),
        },
      };
    case 2:
      return {
        name: 'send_cta_url',
        args: { body: text(1100), display_text: text(30), url: pick(['https://example.com/x', 'ftp://x', text(20)]) },
      };
    case 3:
      return {
        name: 'send_media',
        args: {
          type: pick(['image', 'document', 'audio', 'video'] as const),
          url: pick(['https://cdn.example.com/f', 'not a url']),
          caption: text(1100),
          filename: text(300),
        },
      };
    default:
      return { name: 'request_location', args: { body: text(1100) } };
  }
}

describe('fitAction output is always sendable (property: never a 131009 from the simulated Graph API)', () => {
  it('accepts every fitted action of 2,000 random over-limit requests', () => {
    const random = createRandom(16);
    let sent = 0;
    for (let i = 0; i < 2_000; i++) {
      const requested = randomRequest(random);
      const fitted = fitAction(requested);
      if (fitted.outcome !== 'action') continue;
      const { action } = fitted;
      if (action.kind === 'reaction' || action.kind === 'handoff') continue;
      const body = { ...envelope, ...toActionPayload(action) };
      expect(validateSend(body), JSON.stringify({ requested, action })).toBeNull();
      sent++;
    }
    // The generator must reach the sending path often, or the property proves nothing.
    expect(sent).toBeGreaterThan(500);
  });
});
