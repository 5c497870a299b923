import { describe, expect, it } from 'vitest';
import {
  fitAction,
  INTERACTIVE_LIMITS,
  isSingleEmoji,
  type RequestedAction,
  truncate,
  whatsAppActionSchema,
} from './outbound-actions.js';

const sendable = (fitted: ReturnType<typeof fitAction>) => {
  if (fitted.outcome !== 'action') throw new Error(`expected an action, got ${fitted.outcome}`);
  expect(whatsAppActionSchema.parse(fitted.action)).toEqual(fitted.action);
  return fitted.action;
};

describe('fitAction', () => {
  it('keeps buttons within the limits as they are', () => {
    const action = sendable(
      fitAction({
        name: 'send_buttons',
        args: {
          body: 'Pick one',
          buttons: [
            { id: 'a', title: 'Yes' },
            { id: 'b', title: 'No' },
          ],
        },
      }),
    );
    expect(action).toEqual({
      kind: 'buttons',
      body: 'Pick one',
      buttons: [
        { id: 'a', title: 'Yes' },
        { id: 'b', title: 'No' },
      ],
    });
  });

  it('shortens long button titles and keeps cut duplicates and ids apart', () => {
    const fitted = fitAction({
      name: 'send_buttons',
      args: {
        body: 'Which plan?',
        buttons: [
          { id: ' x ', title: 'The professional plan monthly' },
          { id: 'x', title: 'The professional plan yearly' },
        ],
      },
    });
    const action = sendable(fitted);
    if (action.kind !== 'buttons') throw new Error('not buttons');
    const titles = action.buttons.map((b) => b.title);
    for (const title of titles) expect(Array.from(title).length).toBeLessThanOrEqual(INTERACTIVE_LIMITS.buttonTitle);
    expect(new Set(titles).size).toBe(2);
    expect(action.buttons.map((b) => b.id)).toEqual(['x', 'x_2']);
    expect(fitted.outcome === 'action' && fitted.corrections).toContain('button titles shortened');
  });

  it('cuts long ids by character and never leaves a space at the cut (Meta refuses surrounding spaces)', () => {
    const fitted = fitAction({
      name: 'send_buttons',
      args: {
        body: 'Pick',
        buttons: [
          { id: `${'a'.repeat(255)} b`, title: 'A' },
          { id: `${'😀'.repeat(300)}`, title: 'B' },
        ],
      },
    });
    if (fitted.outcome !== 'action' || fitted.action.kind !== 'buttons') throw new Error('expected buttons');
    const [first, second] = fitted.action.buttons;
    expect(first?.id).toBe('a'.repeat(255));
    expect(Array.from(second?.id ?? '')).toHaveLength(256);
    expect(second?.id).toBe('😀'.repeat(256));
  });

  it('sends 4 to 10 buttons as a list and more than 10 as numbered text', () => {
    const buttons = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `o${i}`, title: `Option ${i}` }));
    expect(sendable(fitAction({ name: 'send_buttons', args: { body: 'Pick', buttons: buttons(5) } })).kind).toBe(
      'list',
    );
    const eleven = fitAction({ name: 'send_buttons', args: { body: 'Pick', buttons: buttons(11) } });
    expect(eleven).toMatchObject({ outcome: 'text', reason: 'buttons_not_sendable' });
    expect(eleven.outcome === 'text' && eleven.text.split('\n')).toHaveLength(12);
  });

  it('replaces an interactive message whose body is over 1024 characters by text', () => {
    const body = 'x'.repeat(1025);
    const fitted = fitAction({ name: 'send_buttons', args: { body, buttons: [{ id: 'a', title: 'OK' }] } });
    expect(fitted).toMatchObject({ outcome: 'text', text: `${body}\n1. OK` });
  });

  it('caps list rows, row titles and descriptions', () => {
    const action = sendable(
      fitAction({
        name: 'send_list',
        args: {
          body: 'Menu',
          button: 'See the whole menu of today',
          sections: [
            {
              title: 'Pizzas and other things from the oven',
              rows: [{ id: 'p', title: 'Margherita with extra buffalo mozzarella', description: 'd'.repeat(100) }],
            },
          ],
        },
      }),
    );
    if (action.kind !== 'list') throw new Error('not a list');
    expect(Array.from(action.button).length).toBeLessThanOrEqual(20);
    const [section] = action.sections;
    expect(Array.from(section?.title ?? '').length).toBeLessThanOrEqual(24);
    expect(Array.from(section?.rows[0]?.title ?? '').length).toBeLessThanOrEqual(24);
    expect(Array.from(section?.rows[0]?.description ?? '').length).toBeLessThanOrEqual(72);
  });

  it('refuses a call-to-action with an invalid URL and sends its text instead', () => {
    expect(
      fitAction({
        name: 'send_cta_url',
        args: { body: 'Track it', display_text: 'Track', url: 'javascript:alert(1)' },
      }),
    ).toEqual({
      outcome: 'text',
      text: 'Track it',
      reason: 'cta_url_not_sendable',
    });
    expect(
      sendable(
        fitAction({
          name: 'send_cta_url',
          args: { body: 'Track it', display_text: 'Track', url: 'https://example.com/t/1' },
        }),
      ).kind,
    ).toBe('cta_url');
  });

  it('drops a reaction that is not one emoji and media with a bad URL', () => {
    expect(fitAction({ name: 'react', args: { emoji: 'thumbs up' } })).toEqual({
      outcome: 'dropped',
      reason: 'reaction_not_one_emoji',
    });
    expect(fitAction({ name: 'react', args: { emoji: '👍👍' } }).outcome).toBe('dropped');
    expect(sendable(fitAction({ name: 'react', args: { emoji: '👍🏽' } }))).toEqual({
      kind: 'reaction',
      emoji: '👍🏽',
    });
    expect(fitAction({ name: 'send_media', args: { type: 'image', url: 'file:///etc/passwd' } }).outcome).toBe(
      'dropped',
    );
  });
});

describe('fitAction send_media (Meta §9.4)', () => {
  const media = (args: Extract<RequestedAction, { name: 'send_media' }>['args']) =>
    fitAction({ name: 'send_media', args });

  it('sends an https link as asked, caption trimmed', () => {
    expect(media({ type: 'image', url: ' https://cdn.example.com/shop.jpg ', caption: ' Our shop ' })).toEqual({
      outcome: 'action',
      action: { kind: 'media', type: 'image', url: 'https://cdn.example.com/shop.jpg', caption: 'Our shop' },
      corrections: [],
    });
  });

  it('cuts a caption over 1024 characters and drops one on audio (WhatsApp shows none)', () => {
    const long = media({ type: 'video', url: 'https://cdn.example.com/v.mp4', caption: 'x'.repeat(1500) });
    const video = sendable(long);
    expect(video.kind === 'media' && Array.from(video.caption ?? '').length).toBe(1024);
    expect(long.outcome === 'action' && long.corrections).toEqual(['caption shortened']);
    const audio = media({ type: 'audio', url: 'https://cdn.example.com/a.mp3', caption: 'listen', filename: 'a.mp3' });
    expect(audio).toEqual({
      outcome: 'action',
      action: { kind: 'media', type: 'audio', url: 'https://cdn.example.com/a.mp3' },
      corrections: ['caption dropped: WhatsApp shows none on audio', 'file name dropped: WhatsApp shows none on audio'],
    });
  });

  it('gives a document a file name: the one asked for (cleaned), else the link’s, else "document"', () => {
    expect(
      sendable(media({ type: 'document', url: 'https://x.example/f/menu%20v2.pdf', filename: '../etc/Menu.pdf' })),
    ).toMatchObject({ filename: 'Menu.pdf' });
    const fromUrl = media({ type: 'document', url: 'https://x.example/f/menu%20v2.pdf' });
    expect(fromUrl).toMatchObject({
      outcome: 'action',
      action: { filename: 'menu v2.pdf' },
      corrections: ['file name taken from the link'],
    });
    expect(sendable(media({ type: 'document', url: 'https://x.example/download?id=7' }))).toMatchObject({
      filename: 'document',
    });
  });

  it('sends the type the link’s extension names when the model picked another', () => {
    expect(media({ type: 'image', url: 'https://x.example/menu.pdf', caption: 'Menu' })).toEqual({
      outcome: 'action',
      action: {
        kind: 'media',
        type: 'document',
        url: 'https://x.example/menu.pdf',
        caption: 'Menu',
        filename: 'menu.pdf',
      },
      corrections: ['sent as document: the link is a application/pdf file', 'file name taken from the link'],
    });
    expect(sendable(media({ type: 'document', url: 'https://x.example/song.MP3' }))).toMatchObject({ type: 'audio' });
  });

  it('replaces what Meta would refuse by plain text (caption and link), or drops it when nothing is left', () => {
    expect(media({ type: 'image', url: 'http://x.example/a.jpg', caption: 'Look' })).toEqual({
      outcome: 'text',
      text: 'Look\nhttp://x.example/a.jpg',
      reason: 'media_url_not_https',
    });
    expect(media({ type: 'image', url: 'https://x.example/cat.gif' })).toEqual({
      outcome: 'text',
      text: 'https://x.example/cat.gif',
      reason: 'media_type_not_supported',
    });
    expect(media({ type: 'image', url: 'not a url', caption: 'Our shop' })).toEqual({
      outcome: 'text',
      text: 'Our shop',
      reason: 'media_url_invalid',
    });
    expect(media({ type: 'image', url: 'file:///etc/passwd' })).toEqual({
      outcome: 'dropped',
      reason: 'media_url_invalid',
    });
  });

  it('every fitted media action is within the stored schema', () => {
    const cases = [
      media({ type: 'document', url: `https://x.example/${'n'.repeat(400)}.pdf` }),
      media({ type: 'video', url: 'https://x.example/v.3gp', caption: 'y'.repeat(2000) }),
    ];
    for (const fitted of cases) expect(whatsAppActionSchema.safeParse(sendable(fitted)).success).toBe(true);
  });
});

describe('isSingleEmoji', () => {
  it('accepts single emoji including sequences and flags', () => {
    for (const emoji of ['😀', '👨‍👩‍👧', '🇧🇷', '❤️', '#️⃣']) expect(isSingleEmoji(emoji), emoji).toBe(true);
    for (const other of ['', 'a', '😀😀', ':)', '1']) expect(isSingleEmoji(other), other).toBe(false);
  });
});

describe('truncate', () => {
  it('cuts by code point and ends with an ellipsis', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('😀😀😀', 2)).toBe('😀…');
    expect(truncate(' ok ', 4)).toBe('ok');
  });
});
