/**
 * Where Meta posts a bot's webhooks: the ingress serves this route, the admin hands out its URL
 * at activation. Changing it breaks every webhook subscription already configured at Meta.
 */
export const WEBHOOK_ROUTE = '/api/bots/webhook/whatsapp/:botId';

/** The path of one bot's webhook: {@link WEBHOOK_ROUTE} with its id (bot ids need no escaping). */
export function toWebhookPath(botId: string): string {
  return WEBHOOK_ROUTE.replace(':botId', botId);
}

/** The absolute webhook URL of one bot under `baseUrl` (given without a trailing slash). */
export function toWebhookUrl(baseUrl: string, botId: string): string {
  return `${baseUrl}${toWebhookPath(botId)}`;
}
