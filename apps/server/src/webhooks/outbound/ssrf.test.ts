import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config.js';
import { parseIp, refusedReason } from './ip.js';
import {
  createTargetGuard,
  parseAllowedHosts,
  type Resolver,
  TargetLookupError,
  TargetRefusedError,
} from './ssrf.js';

/** A resolver from a fixed table; unknown names fail like getaddrinfo does. */
function fakeResolver(table: Record<string, string[]>): Resolver & { asked: string[] } {
  const asked: string[] = [];
  const resolver = async (host: string) => {
    asked.push(host);
    const addresses = table[host];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({
      address,
      family: address.includes(':') ? (6 as const) : (4 as const),
    }));
  };
  return Object.assign(resolver, { asked });
}

function refusal(run: () => unknown): TargetRefusedError {
  try {
    run();
  } catch (error) {
    if (error instanceof TargetRefusedError) return error;
    throw error;
  }
  throw new Error('expected a TargetRefusedError');
}

/** Every URL here must be refused at validation time, with the reason given. */
const REFUSED: ReadonlyArray<[url: string, reason: string]> = [
  ['http://127.0.0.1/hook', 'loopback'],
  ['http://127.255.255.254:8080/', 'loopback'],
  ['http://[::1]/hook', 'loopback'],
  ['http://10.0.0.1/', 'private'],
  ['http://10.255.255.255/', 'private'],
  ['http://172.16.0.1/', 'private'],
  ['http://172.31.255.255/', 'private'],
  ['http://192.168.1.10/', 'private'],
  ['http://169.254.1.1/', 'link-local'],
  ['http://169.254.169.254/latest/meta-data/', 'cloud metadata'],
  ['http://[fc00::1]/', 'unique local (private)'],
  ['http://[fd12:3456::1]/', 'unique local (private)'],
  ['http://[fd00:ec2::254]/', 'unique local (private)'],
  ['http://[fe80::1]/', 'link-local'],
  ['http://[febf::1]/', 'link-local'],
  ['http://0.0.0.0/', 'unspecified ("this network")'],
  ['http://0/', 'unspecified ("this network")'],
  ['http://[::]/', 'unspecified'],
  // IPv4-mapped IPv6, in its dotted and hex spellings.
  ['http://[::ffff:127.0.0.1]/', 'loopback'],
  ['http://[::ffff:7f00:1]/', 'loopback'],
  ['http://[0:0:0:0:0:ffff:a00:1]/', 'private'],
  ['http://[::ffff:169.254.169.254]/', 'cloud metadata'],
  // NAT64 and 6to4 carry an IPv4 address too.
  ['http://[64:ff9b::a9fe:a9fe]/', 'cloud metadata'],
  ['http://[2002:c0a8:0101::1]/', 'private'],
  // Decimal, octal, hex and short IPv4 spellings (the URL parser normalises them).
  ['http://2130706433/', 'loopback'],
  ['http://017700000001/', 'loopback'],
  ['http://0x7f000001/', 'loopback'],
  ['http://0x7f.0.0.1/', 'loopback'],
  ['http://0177.0.0.01/', 'loopback'],
  ['http://127.1/', 'loopback'],
  ['http://0xa9.0xfe.0xa9.0xfe/', 'cloud metadata'],
  ['http://2852039166/', 'cloud metadata'],
  ['http://0300.0250.0.1/', 'private'],
  ['http://100.64.0.1/', 'shared address space (carrier-grade NAT)'],
  ['http://224.0.0.1/', 'multicast'],
  ['http://255.255.255.255/', 'reserved'],
  // Names that mean this machine or a metadata service, whatever DNS says.
  ['http://localhost:3000/', 'local name'],
  ['http://LOCALHOST./', 'local name'],
  ['http://app.localhost/', 'local name'],
  ['http://metadata.google.internal/computeMetadata/v1/', 'local name'],
  // Not http(s), or credentials.
  ['ftp://example.com/', 'scheme'],
  ['file:///etc/passwd', 'scheme'],
  ['gopher://example.com/', 'scheme'],
  ['javascript:alert(1)', 'scheme'],
  ['https://user:secret@example.com/hook', 'credentials'],
  ['not a url', 'malformed'],
];

const ACCEPTED = [
  'https://api.partner.example/webhook/payment',
  'http://8.8.8.8/',
  'http://172.15.255.255/',
  'http://172.32.0.1/',
  'http://192.169.0.1/',
  'http://169.253.255.255/',
  'http://[2606:4700:4700::1111]/',
  'http://[::ffff:8.8.8.8]/',
  'https://localhost.example.com/',
];

describe('SSRF guard at validation time (no DNS)', () => {
  const guard = createTargetGuard({ resolver: fakeResolver({}) });

  it.each(REFUSED)('refuses %s (%s)', (url, reason) => {
    const error = refusal(() => guard.checkUrl(url));
    expect(error.reason).toBe(reason);
    expect(error.code).toBe('TARGET_REFUSED');
    expect(error.message).not.toContain('secret');
  });

  it.each(ACCEPTED)('accepts %s', (url) => {
    expect(guard.checkUrl(url).href).toBe(new URL(url).href);
  });

  it('classifies embedded IPv4 by the IPv4 address, not by the IPv6 range', () => {
    expect(refusedReason(parseIp('::ffff:8.8.8.8') as Uint8Array)).toBeNull();
    expect(refusedReason(parseIp('::ffff:10.1.2.3') as Uint8Array)).toBe('private');
    expect(parseIp('::ffff:127.0.0.1')).toEqual(parseIp('::ffff:7f00:1'));
    expect(parseIp('1:2:3:4:5:6:7:8:9')).toBeNull();
    expect(parseIp('fe80::1%eth0')).toBeNull();
  });
});

describe('SSRF guard after DNS resolution (injected resolver)', () => {
  const resolver = fakeResolver({
    'internal.example': ['10.0.0.5'],
    'metadata.example': ['169.254.169.254'],
    'v6-private.example': ['fd00::5'],
    'mapped.example': ['::ffff:192.168.0.1'],
    'mixed.example': ['93.184.216.34', '127.0.0.1'],
    'public.example': ['93.184.216.34', '2606:2800:220:1::1'],
    'receiver.test': ['127.0.0.1'],
  });
  const guard = createTargetGuard({ resolver });

  it.each([
    ['http://internal.example/hook', 'private'],
    ['http://metadata.example/', 'cloud metadata'],
    ['http://v6-private.example/', 'unique local (private)'],
    ['http://mapped.example/', 'private'],
    ['http://mixed.example/', 'loopback'],
  ])('refuses %s: it resolves to a %s address', async (url, reason) => {
    const error = await guard.resolve(url).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TargetRefusedError);
    expect((error as TargetRefusedError).reason).toBe(reason);
  });

  it('returns every checked address of a public name, and never asks DNS for a literal', async () => {
    const target = await guard.resolve('https://public.example/hook');
    expect(target.addresses.map((a) => a.address)).toEqual(['93.184.216.34', '2606:2800:220:1::1']);
    resolver.asked.length = 0;
    await expect(guard.resolve('http://127.0.0.1/')).rejects.toThrow(TargetRefusedError);
    expect((await guard.resolve('http://8.8.8.8/')).addresses).toEqual([{ address: '8.8.8.8', family: 4 }]);
    expect(resolver.asked).toEqual([]);
  });

  it('reports a name that does not resolve as a lookup failure (retried), not a refusal', async () => {
    await expect(guard.resolve('http://nowhere.example/')).rejects.toThrow(TargetLookupError);
  });
});

describe('WEBHOOK_ALLOWED_HOSTS', () => {
  const resolver = fakeResolver({ 'receiver.test': ['127.0.0.1'], 'other.test': ['127.0.0.1'] });

  it('exempts the named addresses, ranges and host names, and nothing else', async () => {
    const guard = createTargetGuard({ allowedHosts: '127.0.0.1, 10.0.0.0/8,receiver.test,::1', resolver });
    expect(guard.checkUrl('http://127.0.0.1:4321/hook').port).toBe('4321');
    expect(guard.checkUrl('http://[::1]:80/')).toBeInstanceOf(URL);
    expect(guard.checkUrl('http://10.9.8.7/')).toBeInstanceOf(URL);
    expect((await guard.resolve('http://receiver.test:9/')).addresses[0]?.address).toBe('127.0.0.1');
    expect(refusal(() => guard.checkUrl('http://127.0.0.2/')).reason).toBe('loopback');
    expect(refusal(() => guard.checkUrl('http://192.168.0.1/')).reason).toBe('private');
    expect(refusal(() => guard.checkUrl('http://169.254.169.254/')).reason).toBe('cloud metadata');
    expect(refusal(() => guard.checkUrl('ftp://127.0.0.1/')).reason).toBe('scheme');
    // A name exempts that name only: another name resolving to the same address is refused.
    const byName = createTargetGuard({ allowedHosts: 'receiver.test', resolver });
    expect((await byName.resolve('http://receiver.test/')).host).toBe('receiver.test');
    await expect(byName.resolve('http://other.test/')).rejects.toThrow(TargetRefusedError);
    expect(refusal(() => byName.checkUrl('http://127.0.0.1/')).reason).toBe('loopback');
  });

  it('is read by loadConfig, which refuses malformed entries by name', () => {
    expect(loadConfig({ WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' }).webhookAllowedHosts).toBe('127.0.0.1');
    expect(loadConfig({}).webhookAllowedHosts).toBeUndefined();
    expect(() => parseAllowedHosts('127.0.0.1,http://x/')).toThrow(/neither a host name/);
    try {
      loadConfig({ WEBHOOK_ALLOWED_HOSTS: '10.0.0.0/99' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems.map((p) => p.variable)).toEqual(['WEBHOOK_ALLOWED_HOSTS']);
    }
  });
});
