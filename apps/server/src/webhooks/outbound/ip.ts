import { isIPv4, isIPv6 } from 'node:net';

/**
 * IP literals as bytes, CIDR ranges, and the ranges a webhook may never reach (SSRF guard).
 * Own parsing instead of string prefixes: `::ffff:7f00:1`, `::ffff:127.0.0.1` and `0:0:0:0:0:ffff:7f00:1`
 * are the same address and must get the same answer.
 */

/** An address: 4 bytes (IPv4) or 16 bytes (IPv6). */
export type IpBytes = Uint8Array;

/** A range: the network's bytes and how many leading bits must match. */
export interface Cidr {
  bytes: IpBytes;
  bits: number;
}

/** The bytes of a canonical IPv4 or IPv6 literal (no brackets, no zone), or null. */
export function parseIp(text: string): IpBytes | null {
  if (isIPv4(text)) return Uint8Array.from(text.split('.').map(Number));
  if (!isIPv6(text) || text.includes('%')) return null;
  // A dotted IPv4 tail (`::ffff:127.0.0.1`) becomes its two hex groups (`::ffff:7f00:1`).
  const hex = text.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_, a, b, c, d) =>
    [((Number(a) << 8) | Number(b)).toString(16), ((Number(c) << 8) | Number(d)).toString(16)].join(':'),
  );
  const [left = '', right] = hex.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':').map((g) => Number.parseInt(g, 16)));
  const leftGroups = groups(left);
  const rightGroups = right === undefined ? [] : groups(right);
  const zeros = right === undefined ? 0 : 8 - leftGroups.length - rightGroups.length;
  const all = [...leftGroups, ...new Array<number>(zeros).fill(0), ...rightGroups];
  if (all.length !== 8) return null;
  const bytes = new Uint8Array(16);
  all.forEach((group, i) => {
    bytes[2 * i] = group >> 8;
    bytes[2 * i + 1] = group & 0xff;
  });
  return bytes;
}

/** `10.0.0.0/8`, `fc00::/7`, or a bare address (a /32 or /128). Null when malformed. */
export function parseCidr(text: string): Cidr | null {
  const [address = '', prefix] = text.trim().split('/');
  const bytes = parseIp(address);
  if (!bytes) return null;
  const max = bytes.length * 8;
  const bits = prefix === undefined ? max : /^\d{1,3}$/.test(prefix) ? Number(prefix) : Number.NaN;
  if (!(bits >= 0 && bits <= max)) return null;
  return { bytes, bits };
}

/** Whether `address` lies in `range` (an IPv4 range never contains an IPv6 address, and back). */
export function inCidr(address: IpBytes, range: Cidr): boolean {
  if (address.length !== range.bytes.length) return false;
  for (let bit = 0; bit < range.bits; bit += 8) {
    const take = Math.min(8, range.bits - bit);
    const mask = (0xff << (8 - take)) & 0xff;
    const i = bit / 8;
    if (((address[i] ?? 0) & mask) !== ((range.bytes[i] ?? 0) & mask)) return false;
  }
  return true;
}

function table(entries: ReadonlyArray<[string, string]>): ReadonlyArray<[Cidr, string]> {
  return entries.map(([text, reason]) => {
    const range = parseCidr(text);
    if (!range) throw new Error(`bad built-in range ${text}`);
    return [range, reason];
  });
}

/** IPv4 ranges no webhook may reach, with the reason given in refusals. */
const REFUSED_V4 = table([
  ['0.0.0.0/8', 'unspecified ("this network")'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'shared address space (carrier-grade NAT)'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.169.254/32', 'cloud metadata'],
  ['169.254.0.0/16', 'link-local'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'IETF protocol assignments'],
  ['192.0.2.0/24', 'documentation'],
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'benchmarking'],
  ['198.51.100.0/24', 'documentation'],
  ['203.0.113.0/24', 'documentation'],
  ['168.63.129.16/32', 'cloud metadata'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'],
]);

/** IPv6 ranges no webhook may reach (those that embed an IPv4 address are checked by it). */
const REFUSED_V6 = table([
  ['::1/128', 'loopback'],
  ['::/128', 'unspecified'],
  ['::/96', 'IPv4-compatible (deprecated)'],
  ['100::/64', 'discard'],
  ['2001::/32', 'Teredo'],
  ['2001:db8::/32', 'documentation'],
  ['fc00::/7', 'unique local (private)'],
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'site-local (deprecated)'],
  ['ff00::/8', 'multicast'],
]);

/** IPv6 ranges that carry an IPv4 address in their last 4 bytes (mapped, NAT64) or bytes 2–5 (6to4). */
const EMBEDS_V4: ReadonlyArray<[Cidr, number]> = [
  [parseCidr('::ffff:0:0/96') as Cidr, 12],
  [parseCidr('64:ff9b::/96') as Cidr, 12],
  [parseCidr('64:ff9b:1::/48') as Cidr, 12],
  [parseCidr('2002::/16') as Cidr, 2],
];

/**
 * Why a webhook may not go to `address` (loopback, private, link-local, cloud metadata…), or null
 * when it is a public unicast address. IPv6 forms that embed an IPv4 address answer for that address.
 * @example refusedReason(parseIp('::ffff:169.254.169.254')!) // 'cloud metadata'
 */
export function refusedReason(address: IpBytes): string | null {
  if (address.length === 4) return REFUSED_V4.find(([range]) => inCidr(address, range))?.[1] ?? null;
  for (const [range, offset] of EMBEDS_V4) {
    if (inCidr(address, range)) return refusedReason(address.slice(offset, offset + 4));
  }
  return REFUSED_V6.find(([range]) => inCidr(address, range))?.[1] ?? null;
}
