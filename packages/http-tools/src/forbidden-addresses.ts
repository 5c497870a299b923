import { BlockList, isIP } from 'node:net';

/**
 * Address classes an HTTP tool may never reach (unless the operator allows them): the machine
 * itself, private networks, link-local (cloud metadata lives there: 169.254.169.254,
 * fd00:ec2::254 in fc00::/7) and addresses that are not unicast on the public internet.
 */
const IPV4_RANGES: [string, number, string][] = [
  ['0.0.0.0', 8, 'unspecified ("this network")'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'carrier-grade NAT (also Alibaba Cloud metadata)'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local (cloud metadata)'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'IETF protocol assignments'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved (and broadcast)'],
];

const IPV6_RANGES: [string, number, string][] = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['100::', 64, 'discard'],
  ['fc00::', 7, 'unique local (private)'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'site-local'],
  ['ff00::', 8, 'multicast'],
];

const lists = [
  ...IPV4_RANGES.map(([net, prefix, reason]) => ({ net, prefix, reason, family: 'ipv4' as const })),
  ...IPV6_RANGES.map(([net, prefix, reason]) => ({ net, prefix, reason, family: 'ipv6' as const })),
].map((range) => {
  const list = new BlockList();
  list.addSubnet(range.net, range.prefix, range.family);
  return { list, reason: range.reason, family: range.family };
});

/** The eight 16-bit groups of an IPv6 address (an embedded dotted quad included), or null. */
function ipv6Groups(address: string): number[] | null {
  let text = address.toLowerCase();
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  if (quad) {
    const octets = quad.split('.').map(Number);
    const [a = 0, b = 0, c = 0, d = 0] = octets;
    text = `${text.slice(0, -quad.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail, ...rest] = text.split('::');
  if (rest.length > 0) return null;
  const part = (s: string) => (s === '' ? [] : s.split(':').map((group) => Number.parseInt(group, 16)));
  const left = part(head);
  const right = tail === undefined ? [] : part(tail);
  const missing = 8 - left.length - right.length;
  if (missing < 0 || (tail === undefined && missing !== 0)) return null;
  const groups = [...left, ...Array<number>(missing).fill(0), ...right];
  return groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

const quadOf = (high: number, low: number) => `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;

/**
 * The IPv4 address an IPv6 address carries, when the network routes it to that IPv4 address:
 * IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::/96) and 6to4
 * (2002::/16). Without this, `::ffff:127.0.0.1` would be a way around the IPv4 rules.
 */
export function embeddedIpv4(address: string): string | null {
  const g = ipv6Groups(address);
  if (!g) return null;
  const [g0 = 0, g1 = 0, g2 = 0, , , g5 = 0, g6 = 0, g7 = 0] = g;
  const zeroFrom = (start: number, end: number) => g.slice(start, end).every((x) => x === 0);
  if (zeroFrom(0, 5) && g5 === 0xffff) return quadOf(g6, g7);
  if (zeroFrom(0, 6) && (g6 !== 0 || g7 > 1)) return quadOf(g6, g7);
  if (g0 === 0x64 && g1 === 0xff9b && zeroFrom(2, 6)) return quadOf(g6, g7);
  if (g0 === 0x2002) return quadOf(g1, g2);
  return null;
}

/**
 * Why an IP address is forbidden for HTTP tools (e.g. `loopback`), or null when it is a public
 * unicast address. Anything that is not an IP address is forbidden too.
 */
export function forbiddenAddressReason(address: string): string | null {
  const version = isIP(address.split('%')[0] ?? '');
  if (version === 0) return 'not an IP address';
  const family = version === 4 ? 'ipv4' : 'ipv6';
  if (family === 'ipv6') {
    const v4 = embeddedIpv4(address);
    if (v4 !== null) {
      const inner = forbiddenAddressReason(v4);
      return inner === null ? null : `${inner} (IPv4 inside IPv6)`;
    }
  }
  const plain = address.split('%')[0] ?? address;
  for (const { list, reason, family: rangeFamily } of lists) {
    if (rangeFamily === family && list.check(plain, family)) return reason;
  }
  return null;
}
