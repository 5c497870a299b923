import { isIP } from 'node:net';
import { forbiddenAddressReason } from '@wabot/http-tools';

// Names that only resolve inside a machine or a private network.
const PRIVATE_SUFFIXES = ['.localhost', '.local', '.internal', '.lan', '.home.arpa', '.test', '.example', '.invalid'];

/** Whether Meta's servers could reach `hostname` (by its form; nothing is resolved). */
function isPublicHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const family = isIP(host);
  // Meta cannot reach what HTTP tools may not: loopback, private, link-local, CGNAT, unspecified, …
  if (family !== 0) return forbiddenAddressReason(host) === null;
  if (host === 'localhost' || !host.includes('.')) return false;
  return !PRIVATE_SUFFIXES.some((suffix) => host.endsWith(suffix));
}

/**
 * Warnings for a webhook URL Meta will refuse or cannot reach: Meta calls only public HTTPS
 * endpoints with a valid certificate (shared/reference/meta-cloud-api.md §1). Empty when it
 * looks public.
 */
export function webhookUrlWarnings(webhookUrl: string): string[] {
  const url = new URL(webhookUrl);
  const warnings: string[] = [];
  if (url.protocol !== 'https:')
    warnings.push(
      `The webhook URL ${url.origin} is not HTTPS: Meta only calls HTTPS callback URLs with a valid certificate. Set PUBLIC_WEBHOOK_BASE_URL to your public https:// address (while developing, a tunnel to the ingress; see the README).`,
    );
  if (!isPublicHost(url.hostname))
    warnings.push(
      `The webhook URL's host ${url.hostname} is not reachable from the internet (localhost, a private address or a local name): Meta cannot deliver to it. Set PUBLIC_WEBHOOK_BASE_URL to the public address that reaches the ingress.`,
    );
  return warnings;
}
