// Every bit of randomness in the sandbox comes from here, seeded, so a run can be replayed:
// ids, QRIS references, the nanoseconds of expired_at, latency and retry jitter.

/** A pseudo-random source: each call returns a number in [0, 1). */
export type Random = () => number;

/** mulberry32: a tiny 32-bit PRNG, plenty for test data (not for secrets). */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A generator for one stream of a seed (e.g. transaction number `stream`), independent of the others. */
export function streamOf(seed: number, stream: number): Random {
  return mulberry32(fnv1a(`${seed >>> 0}:${stream}`));
}

/** FNV-1a 32-bit hash of a string's UTF-16 code units: deterministic numbers from an order id. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export const DIGITS = '0123456789';
export const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
export const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** `length` characters drawn from `alphabet`. */
export function randomString(random: Random, alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(random() * alphabet.length)];
  return out;
}

/** A whole number in [0, max]. */
export function randomInt(random: Random, max: number): number {
  return Math.floor(random() * (max + 1));
}
