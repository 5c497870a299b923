import { describe, expect, it } from 'vitest';
import { toWebhookPath, toWebhookUrl, WEBHOOK_ROUTE } from './webhook-path.js';

describe('webhook path', () => {
  it('is the route Meta is configured with', () => {
    expect(WEBHOOK_ROUTE).toBe('/api/bots/webhook/whatsapp/:botId');
  });

  it('puts the bot id in the route', () => {
    expect(toWebhookPath('bt_abc123')).toBe('/api/bots/webhook/whatsapp/bt_abc123');
    expect(toWebhookUrl('https://hooks.example.test', 'bt_abc123')).toBe(
      'https://hooks.example.test/api/bots/webhook/whatsapp/bt_abc123',
    );
  });
});
