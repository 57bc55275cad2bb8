import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc16 } from './crc16.js';

/** Bit-by-bit CRC-16/CCITT-FALSE over TextEncoder's bytes: slow, obviously right. */
function referenceCrc(text: string): string {
  let crc = 0xffff;
  for (const byte of new TextEncoder().encode(text)) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++)
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}

describe('crc16', () => {
  it('gives the CRC-16/CCITT-FALSE check value', () => {
    expect(crc16('123456789')).toBe('29B1');
  });

  it('matches the CRC of the dynamic QRIS in Pakasir docs', () => {
    const payload =
      '00020101021226610016ID.CO.SHOPEE.WWW01189360091800216005230208216005230303UME51440014ID.CO.QRIS.WWW0215ID10243228429300303UME5204792953033605409100003.005802ID5907Pakasir6012KAB. KEBUMEN61055439262230519SP25RZRATEQI2HQ65Q46304';
    expect(crc16(payload)).toBe('A079');
  });

  it('keeps leading zeros: always 4 uppercase hex digits', () => {
    expect(crc16('')).toBe('FFFF');
    // Found by search: a short input whose CRC starts with zeros.
    const withLeadingZero = Array.from({ length: 5000 }, (_, i) => `x${i}`).find((s) =>
      referenceCrc(s).startsWith('00'),
    );
    expect(withLeadingZero).toBeDefined();
    expect(crc16(withLeadingZero as string)).toMatch(/^00[0-9A-F]{2}$/);
  });

  it('hashes the UTF-8 bytes, for any text (surrogate pairs and lone surrogates included)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(crc16(text)).toBe(referenceCrc(text));
      }),
      { numRuns: 500 },
    );
    expect(crc16('\ud800x')).toBe(referenceCrc('\ud800x'));
    expect(crc16('x\udc00')).toBe(referenceCrc('x\udc00'));
  });
});
