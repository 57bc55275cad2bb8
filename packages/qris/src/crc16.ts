// CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF, no reflection, no final XOR.
const TABLE = (() => {
  const table = new Uint16Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1;
    table[byte] = crc & 0xffff;
  }
  return table;
})();

function step(crc: number, byte: number): number {
  return ((crc << 8) ^ (TABLE[((crc >>> 8) ^ byte) & 0xff] as number)) & 0xffff;
}

/** CRC-16/CCITT-FALSE of the UTF-8 bytes of `text`, as a number. */
export function crc16Value(text: string): number {
  let crc = 0xffff;
  // Encodes UTF-8 on the fly: no TextEncoder allocation on the hot path.
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    if (code < 0x80) {
      crc = step(crc, code);
      continue;
    }
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
        i++;
      }
    }
    if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd; // lone surrogate: what TextEncoder writes
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
    crc = step(crc, 0x80 | (code & 0x3f));
  }
  return crc;
}

/**
 * CRC-16/CCITT-FALSE of the UTF-8 bytes of `text`, as 4 uppercase hex digits.
 * For a QRIS, `text` is everything before the CRC value, including "6304".
 * @example crc16('123456789') // '29B1'
 */
export function crc16(text: string): string {
  return crc16Value(text).toString(16).toUpperCase().padStart(4, '0');
}
