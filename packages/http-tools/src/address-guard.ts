import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { forbiddenAddressReason } from './forbidden-addresses.js';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Host name → its addresses (every one, as `dns.lookup(…, {all: true})` gives them). Injectable for tests. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = async (hostname) =>
  (await lookup(hostname, { all: true, order: 'verbatim' })).map((entry) => ({
    address: entry.address,
    family: entry.family === 6 ? 6 : 4,
  }));

export type GuardVerdict =
  | { ok: true; hostname: string; port: number; address: ResolvedAddress }
  | { ok: false; blocked: true; reason: string }
  | { ok: false; blocked: false; reason: string };

export interface AddressGuardOptions {
  /**
   * TOOL_ALLOWED_HOSTS: host names (matched against the URL's host), IP addresses or CIDR ranges
   * (matched against every resolved address) that may be reached although they are forbidden.
   */
  allowedHosts?: readonly string[] | undefined;
  /**
   * The platform's own services (e.g. DATABASE_URL, REDIS_URL, the services' own ports) as URLs or
   * `host:port`: refused even when their host is allowed.
   */
  deniedEndpoints?: readonly string[] | undefined;
  resolver?: Resolver | undefined;
}

export interface AddressGuard {
  /**
   * Resolves `url`'s host and checks every address; resolves with the address to connect to
   * (pin it: connecting by name again would resolve again) or why the URL may not be reached.
   * Rejects only when `signal` aborts.
   */
  check(url: URL, signal?: AbortSignal): Promise<GuardVerdict>;
}

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };

/** `[::1]` → `::1`, `Example.COM.` → `example.com`. */
const normalizeHost = (host: string) =>
  host
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '')
    .toLowerCase();

/** Where the platform's own services listen when their URL names no port. */
const SERVICE_PORTS: Record<string, number> = {
  ...DEFAULT_PORTS,
  'redis:': 6379,
  'rediss:': 6379,
  'postgres:': 5432,
  'postgresql:': 5432,
};

function parseEndpoint(entry: string): { host: string; port: number } | null {
  const text = entry.includes('://') ? entry : `tcp://${entry}`;
  if (!URL.canParse(text)) return null;
  const url = new URL(text);
  const port = url.port ? Number(url.port) : SERVICE_PORTS[url.protocol];
  if (!url.hostname || port === undefined) return null;
  return { host: normalizeHost(url.hostname), port };
}

const familyOf = (address: string) => (isIP(address) === 6 ? 'ipv6' : 'ipv4');

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * The SSRF guard of HTTP tools: loopback, private, link-local (cloud metadata), unspecified and
 * other non-public addresses are refused — for IPv4, IPv6 and IPv4 inside IPv6 — unless allowed;
 * the platform's own endpoints always are. A host name is refused when any of its addresses is.
 */
export function createAddressGuard(options: AddressGuardOptions = {}): AddressGuard {
  const resolver = options.resolver ?? systemResolver;
  const allowedNames = new Set<string>();
  const allowedAddresses = new BlockList();
  for (const raw of options.allowedHosts ?? []) {
    const entry = normalizeHost(raw.trim());
    if (!entry) continue;
    const [net = '', prefix] = entry.split('/');
    const version = isIP(net);
    if (version === 0) allowedNames.add(entry);
    else if (prefix === undefined) allowedAddresses.addAddress(net, familyOf(net));
    else allowedAddresses.addSubnet(net, Number(prefix), familyOf(net));
  }
  const denied = (options.deniedEndpoints ?? []).flatMap((entry) => parseEndpoint(entry) ?? []);
  const isDenied = (host: string, port: number) => denied.some((d) => d.host === host && d.port === port);

  return {
    async check(url, signal) {
      const port = url.port ? Number(url.port) : DEFAULT_PORTS[url.protocol];
      if (port === undefined) return { ok: false, blocked: true, reason: `${url.protocol} URLs are not allowed` };
      const hostname = normalizeHost(url.hostname);
      if (isDenied(hostname, port))
        return { ok: false, blocked: true, reason: `${hostname}:${port} is a platform service` };

      let addresses: ResolvedAddress[];
      if (isIP(hostname)) addresses = [{ address: hostname, family: isIP(hostname) === 6 ? 6 : 4 }];
      else {
        try {
          addresses = await raceAbort(resolver(hostname), signal);
        } catch (error) {
          if (signal?.aborted) throw error;
          return { ok: false, blocked: false, reason: `cannot resolve ${hostname}` };
        }
      }
      const [first] = addresses;
      if (!first) return { ok: false, blocked: false, reason: `cannot resolve ${hostname}` };

      const nameAllowed = allowedNames.has(hostname);
      for (const { address } of addresses) {
        if (isDenied(normalizeHost(address), port))
          return { ok: false, blocked: true, reason: `${hostname}:${port} is a platform service` };
        if (nameAllowed || allowedAddresses.check(address, familyOf(address))) continue;
        const reason = forbiddenAddressReason(address);
        if (reason !== null)
          return { ok: false, blocked: true, reason: `${hostname} is not a public address (${reason})` };
      }
      return { ok: true, hostname, port, address: first };
    },
  };
}
