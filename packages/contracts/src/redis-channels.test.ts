import { describe, expect, it } from 'vitest';
import { botChangedMessageSchema, parseBotChangedMessage } from './redis-channels.js';

describe('parseBotChangedMessage', () => {
  it('reads what a publisher writes', () => {
    const message = { botId: 'bt_1', version: 3 };
    expect(parseBotChangedMessage(JSON.stringify(botChangedMessageSchema.parse(message)))).toEqual(message);
  });

  it('is null for anything else, never throws', () => {
    for (const payload of ['not json', '', 'null', '[]', '"bt_1"', '{"botId":"bt_1"}', '{"botId":5,"version":1}']) {
      expect(parseBotChangedMessage(payload)).toBeNull();
    }
    expect(parseBotChangedMessage('{"botId":"","version":1}')).toBeNull();
    expect(parseBotChangedMessage('{"botId":"bt_1","version":1.5}')).toBeNull();
  });
});
