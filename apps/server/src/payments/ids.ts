import { randomFillSync } from 'node:crypto';

/** The prefix of each kind of public id. */
export const ID_PREFIXES = {
  partner: 'ptn',
  payment: 'pay',
  license: 'lic',
  apiKey: 'key',
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** RFC 4648 base32, lowercase, without padding. */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += BASE32[(buffer >>> bits) & 31];
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32[(buffer << (5 - bits)) & 31];
  return out;
}

/** Random id body: 120 bits from node:crypto as 24 base32 characters. */
const ID_BODY = /^[a-z2-7]{24}$/;

/**
 * A new random public id of the given kind.
 * @example newId('payment') // 'pay_3k2m9x…' (prefix, underscore, 24 base32 characters)
 */
export function newId(kind: IdKind): string {
  return `${ID_PREFIXES[kind]}_${base32(randomId())}`;
}

// Random bytes drawn 100 ids at a time (as crypto.randomUUID() does): a call into the system's
// random source per id was a visible share of a payment create.
const ID_BYTES = 15;
const pool = new Uint8Array(ID_BYTES * 100);
let poolOffset = pool.length;

function randomId(): Uint8Array {
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const bytes = pool.slice(poolOffset, poolOffset + ID_BYTES); // a copy: the pool is refilled later
  poolOffset += ID_BYTES;
  return bytes;
}

/** Whether `value` has the shape of an id of `kind` (a cheap check before a database look-up). */
export function isId(kind: IdKind, value: string): boolean {
  const prefix = `${ID_PREFIXES[kind]}_`;
  return value.startsWith(prefix) && ID_BODY.test(value.slice(prefix.length));
}
