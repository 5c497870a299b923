import { BlockList, isIP } from 'node:net';

// Addresses Meta cannot reach: loopback, private (RFC 1918, ULA), link-local, CGNAT, unspecified.
const unreachable = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const)
  unreachable.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
] as const)
  unreachable.addSubnet(net, prefix, 'ipv6');

// Names that only resolve inside a machine or a private network.
const PRIVATE_SUFFIXES = ['.localhost', '.local', '.internal', '.lan', '.home.arpa', '.test', '.example', '.invalid'];

/** Whether Meta's servers could reach `hostname` (by its form; nothing is resolved). */
function isPublicHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const family = isIP(host);
  if (family !== 0) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host)?.[1];
    if (mapped) return !unreachable.check(mapped, 'ipv4');
    return !unreachable.check(host, family === 4 ? 'ipv4' : 'ipv6');
  }
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
