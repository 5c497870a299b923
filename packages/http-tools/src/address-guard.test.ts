import { describe, expect, it } from 'vitest';
import { createAddressGuard, type Resolver } from './address-guard.js';
import { embeddedIpv4, forbiddenAddressReason } from './forbidden-addresses.js';

/** A resolver from a fixed table: no network in unit tests. */
const resolverOf =
  (table: Record<string, string[]>): Resolver =>
  async (hostname) => {
    const addresses = table[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

const FORBIDDEN: [string, string][] = [
  ['127.0.0.1', 'loopback'],
  ['127.255.10.3', 'loopback'],
  ['::1', 'loopback'],
  ['10.0.0.1', 'private'],
  ['10.255.255.255', 'private'],
  ['172.16.0.1', 'private'],
  ['172.31.255.254', 'private'],
  ['192.168.1.10', 'private'],
  ['169.254.169.254', 'link-local (cloud metadata)'],
  ['169.254.0.1', 'link-local (cloud metadata)'],
  ['100.100.100.200', 'carrier-grade NAT (also Alibaba Cloud metadata)'],
  ['fc00::1', 'unique local (private)'],
  ['fd00:ec2::254', 'unique local (private)'],
  ['fe80::1', 'link-local'],
  ['fe80::1%eth0', 'link-local'],
  ['febf:ffff::1', 'link-local'],
  ['0.0.0.0', 'unspecified ("this network")'],
  ['::', 'unspecified'],
  ['224.0.0.1', 'multicast'],
  ['255.255.255.255', 'reserved (and broadcast)'],
  ['::ffff:127.0.0.1', 'loopback (IPv4 inside IPv6)'],
  ['::ffff:7f00:1', 'loopback (IPv4 inside IPv6)'],
  ['::ffff:169.254.169.254', 'link-local (cloud metadata) (IPv4 inside IPv6)'],
  ['::ffff:10.1.2.3', 'private (IPv4 inside IPv6)'],
  ['0:0:0:0:0:ffff:c0a8:0101', 'private (IPv4 inside IPv6)'],
  ['::10.0.0.1', 'private (IPv4 inside IPv6)'],
  ['64:ff9b::a9fe:a9fe', 'link-local (cloud metadata) (IPv4 inside IPv6)'],
  ['2002:7f00:1::', 'loopback (IPv4 inside IPv6)'],
];

const PUBLIC = [
  '93.184.215.14',
  '8.8.8.8',
  '172.32.0.1',
  '172.15.255.255',
  '192.169.0.1',
  '2606:4700::1111',
  '::ffff:8.8.8.8',
  '64:ff9b::808:808',
  '2001:db9::1',
];

describe('forbiddenAddressReason', () => {
  it.each(FORBIDDEN)('refuses %s (%s)', (address, reason) => {
    expect(forbiddenAddressReason(address)).toBe(reason);
  });

  it.each(PUBLIC)('lets the public address %s through', (address) => {
    expect(forbiddenAddressReason(address)).toBeNull();
  });

  it('refuses what is not an IP address', () => {
    expect(forbiddenAddressReason('localhost')).toBe('not an IP address');
    expect(forbiddenAddressReason('1.2.3')).toBe('not an IP address');
  });

  it('finds the IPv4 address inside mapped, compatible, NAT64 and 6to4 addresses only', () => {
    expect(embeddedIpv4('::ffff:1.2.3.4')).toBe('1.2.3.4');
    expect(embeddedIpv4('::102:304')).toBe('1.2.3.4');
    expect(embeddedIpv4('64:ff9b::102:304')).toBe('1.2.3.4');
    expect(embeddedIpv4('2002:102:304::1')).toBe('1.2.3.4');
    expect(embeddedIpv4('::1')).toBeNull();
    expect(embeddedIpv4('2606:4700::1111')).toBeNull();
  });
});

describe('createAddressGuard', () => {
  const table = {
    'public.example': ['93.184.215.14', '2606:4700::1111'],
    'metadata.example': ['169.254.169.254'],
    'private.example': ['10.0.0.7'],
    'v6-local.example': ['fd12:3456::1'],
    'mapped.example': ['::ffff:127.0.0.1'],
    // One good address does not excuse a bad one: the connection could go to either.
    'mixed.example': ['93.184.215.14', '192.168.0.1'],
    localhost: ['127.0.0.1', '::1'],
  };
  const guard = createAddressGuard({ resolver: resolverOf(table) });
  const check = (url: string) => guard.check(new URL(url));

  it('lets a public host through and pins its first address', async () => {
    expect(await check('https://public.example/orders')).toEqual({
      ok: true,
      hostname: 'public.example',
      port: 443,
      address: { address: '93.184.215.14', family: 4 },
    });
  });

  it.each([
    ['http://127.0.0.1:8080/', 'loopback'],
    ['http://[::1]/', 'loopback'],
    ['http://10.1.2.3/', 'private'],
    ['http://172.16.5.4/', 'private'],
    ['http://192.168.0.1/', 'private'],
    ['http://169.254.169.254/latest/meta-data/', 'cloud metadata'],
    ['http://[fc00::5]/', 'unique local'],
    ['http://[fe80::5]/', 'link-local'],
    ['http://0.0.0.0:3000/', 'unspecified'],
    ['http://[::ffff:127.0.0.1]/', 'IPv4 inside IPv6'],
    ['http://[::ffff:a9fe:a9fe]/', 'cloud metadata'],
    ['http://2130706433/', 'loopback'],
    ['http://0x7f.1/', 'loopback'],
    ['http://localhost/', 'loopback'],
    ['http://metadata.example/', 'cloud metadata'],
    ['http://private.example/', 'private'],
    ['http://v6-local.example/', 'unique local'],
    ['http://mapped.example/', 'IPv4 inside IPv6'],
    ['http://mixed.example/', 'private'],
    ['http://LOCALHOST./', 'loopback'],
  ])('refuses %s', async (url, reason) => {
    const verdict = await check(url);
    expect(verdict.ok).toBe(false);
    expect(verdict).toMatchObject({ blocked: true });
    if (!verdict.ok) expect(verdict.reason).toContain(reason);
  });

  it('refuses a scheme other than http(s)', async () => {
    expect(await check('ftp://public.example/')).toMatchObject({ ok: false, blocked: true });
  });

  it('reports a host that does not resolve as unreachable, not as blocked', async () => {
    expect(await check('https://nowhere.example/')).toEqual({
      ok: false,
      blocked: false,
      reason: 'cannot resolve nowhere.example',
    });
  });

  it('allows what TOOL_ALLOWED_HOSTS lists: host names, addresses and ranges', async () => {
    const allowing = createAddressGuard({
      resolver: resolverOf(table),
      allowedHosts: ['private.example', '127.0.0.1', 'fd12:3456::/32'],
    });
    expect(await allowing.check(new URL('http://private.example/'))).toMatchObject({ ok: true });
    expect(await allowing.check(new URL('http://127.0.0.1:4500/'))).toMatchObject({ ok: true });
    expect(await allowing.check(new URL('http://[::ffff:127.0.0.1]:4500/'))).toMatchObject({ ok: true });
    expect(await allowing.check(new URL('http://v6-local.example/'))).toMatchObject({ ok: true });
    // localhost also resolves to ::1, which is not listed.
    expect(await allowing.check(new URL('http://localhost/'))).toMatchObject({ ok: false, blocked: true });
    expect(await allowing.check(new URL('http://10.0.0.7/'))).toMatchObject({ ok: false, blocked: true });
  });

  it("refuses the platform's own services even on an allowed host", async () => {
    const allowing = createAddressGuard({
      resolver: resolverOf(table),
      allowedHosts: ['127.0.0.1', 'localhost'],
      deniedEndpoints: ['redis://127.0.0.1/0', 'postgresql://postgres@localhost/wabot', '127.0.0.1:3002'],
    });
    for (const url of [
      'http://127.0.0.1:6379/',
      'http://localhost:6379/',
      'http://localhost:5432/',
      'http://127.0.0.1:3002/metrics',
    ])
      expect(await allowing.check(new URL(url)), url).toMatchObject({ ok: false, blocked: true });
    expect(await allowing.check(new URL('http://127.0.0.1:4500/'))).toMatchObject({ ok: true });
  });

  it('rejects with the abort reason when the caller aborts during resolution', async () => {
    const slow = createAddressGuard({ resolver: () => new Promise(() => {}) });
    const controller = new AbortController();
    const pending = slow.check(new URL('https://public.example/'), controller.signal);
    controller.abort(new Error('superseded'));
    await expect(pending).rejects.toThrow('superseded');
  });
});
