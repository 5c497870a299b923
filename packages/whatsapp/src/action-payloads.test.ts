import { describe, expect, it } from 'vitest';
import { toActionMessageType, toActionText } from './action-payloads.js';
import type { WhatsAppAction } from './outbound-actions.js';

describe('action parts as stored', () => {
  const cases: [WhatsAppAction, string, string][] = [
    [
      {
        kind: 'buttons',
        body: 'Pick',
        buttons: [
          { id: 'a', title: 'A' },
          { id: 'b', title: 'B' },
        ],
      },
      'interactive',
      'Pick\n[A] [B]',
    ],
    [
      { kind: 'list', body: 'Menu', button: 'Open', sections: [{ title: 'S', rows: [{ id: 'r', title: 'R' }] }] },
      'interactive',
      'Menu\n[Open]',
    ],
    [
      { kind: 'cta_url', body: 'Track', display_text: 'Open', url: 'https://example.com/t' },
      'interactive',
      'Track\n[Open](https://example.com/t)',
    ],
    [{ kind: 'location_request', body: 'Where?' }, 'interactive', 'Where?'],
    [{ kind: 'media', type: 'image', url: 'https://x.example/a.jpg', caption: 'Our shop' }, 'image', 'Our shop'],
    [{ kind: 'media', type: 'video', url: 'https://x.example/a.mp4' }, 'video', '[Video]'],
    [{ kind: 'media', type: 'document', url: 'https://x.example/a.pdf', filename: 'menu.pdf' }, 'document', 'menu.pdf'],
    [{ kind: 'reaction', emoji: '👍' }, 'reaction', '👍'],
    [{ kind: 'handoff', reason: 'asked for a person', summary: 's' }, 'handoff', '[Handoff: asked for a person]'],
  ];

  it.each(cases)('%o is a %s message reading %j', (action, type, text) => {
    expect(toActionMessageType(action)).toBe(type);
    expect(toActionText(action)).toBe(text);
  });
});
