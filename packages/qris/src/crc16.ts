// CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF, no reflection, no final XOR.

/** T1[b]: the CRC register after shifting byte b through it. */
const T1 = new Uint16Array(256);
/** T2[b]: the same for byte b followed by a zero byte; lets the loop take two bytes per step. */
const T2 = new Uint16Array(256);
for (let byte = 0; byte < 256; byte++) {
  let crc = byte << 8;
  for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1;
  T1[byte] = crc;
}
for (let byte = 0; byte < 256; byte++) {
  const t = T1[byte] as number;
  T2[byte] = ((t & 0xff) << 8) ^ (T1[t >> 8] as number);
}

function step(crc: number, byte: number): number {
  return ((crc << 8) ^ (T1[((crc >> 8) ^ byte) & 0xff] as number)) & 0xffff;
}

/** The CRC register after the UTF-8 bytes of one non-ASCII code point starting at `i`. */
function stepCodePoint(crc: number, text: string, i: number, end: number): { crc: number; next: number } {
  let code = text.charCodeAt(i);
  let next = i + 1;
  if (code >= 0xd800 && code <= 0xdbff && next < end) {
    const low = text.charCodeAt(next);
    if (low >= 0xdc00 && low <= 0xdfff) {
      code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
      next++;
    }
  }
  if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd; // a lone surrogate: what TextEncoder writes
  if (code < 0x800) {
    crc = step(crc, 0xc0 | (code >> 6));
  } else if (code < 0x10000) {
    crc = step(crc, 0xe0 | (code >> 12));
    crc = step(crc, 0x80 | ((code >> 6) & 0x3f));
  } else {
    crc = step(crc, 0xf0 | (code >> 18));
    crc = step(crc, 0x80 | ((code >> 12) & 0x3f));
    crc = step(crc, 0x80 | ((code >> 6) & 0x3f));
  }
  return { crc: step(crc, 0x80 | (code & 0x3f)), next };
}

/** CRC-16/CCITT-FALSE of the UTF-8 bytes of `text.slice(0, end)` (UTF-16 index), as a number. */
export function crc16Value(text: string, end: number = text.length): number {
  let crc = 0xffff;
  let i = 0;
  while (i < end) {
    const a = text.charCodeAt(i);
    const b = i + 1 < end ? text.charCodeAt(i + 1) : 0x100;
    if ((a | b) < 0x80) {
      // Two ASCII bytes at once: the register after 16 bits depends only on crc ^ (a << 8 | b).
      const x = crc ^ ((a << 8) | b);
      crc = (T2[x >> 8] as number) ^ (T1[x & 0xff] as number);
      i += 2;
    } else if (a < 0x80) {
      crc = step(crc, a);
      i++;
    } else {
      ({ crc, next: i } = stepCodePoint(crc, text, i, end));
    }
  }
  return crc;
}

/** Four uppercase hex digits of a CRC value. */
export function crcHex(crc: number): string {
  return crc.toString(16).toUpperCase().padStart(4, '0');
}

/**
 * CRC-16/CCITT-FALSE of the UTF-8 bytes of `text`, as 4 uppercase hex digits.
 * For a QRIS, `text` is everything before the CRC value, including "6304".
 * @example crc16('123456789') // '29B1'
 */
export function crc16(text: string): string {
  return crcHex(crc16Value(text));
}
