import { describe, expect, it } from 'vitest';
import { decodeQrPng as decodePng } from '../test/decode-png.js';
import { build } from './build.js';
import { QrisError } from './errors.js';
import { toDataUrl, toPng, toSvg, toTerminal } from './render.js';

const SAMPLE =
  '00020101021226610016ID.CO.SHOPEE.WWW01189360091800216005230208216005230303UME51440014ID.CO.QRIS.WWW0215ID10243228429300303UME5204792953033605409100003.005802ID5907Pakasir6012KAB. KEBUMEN61055439262230519SP25RZRATEQI2HQ65Q46304A079';

describe('render', () => {
  it('toPng draws a QR that decodes back to exactly the input', async () => {
    expect(decodePng(await toPng(SAMPLE)).text).toBe(SAMPLE);
  });

  it('round-trips a QRIS with non-ASCII characters in the language template', async () => {
    const qris = build({
      pointOfInitiation: 'static',
      merchantAccounts: [],
      qris: { nmid: 'ID1020012345678' },
      merchantCategoryCode: '5812',
      currency: '360',
      countryCode: 'ID',
      merchantName: 'Cafe Lumiere',
      merchantCity: 'JAKARTA',
      postalCode: '10110',
      language: { languagePreference: 'zh', merchantName: '咖啡馆 Café' },
    });
    expect(decodePng(await toPng(qris)).text).toBe(qris);
  });

  it('has a 4-module quiet zone by default and honours scale and margin', async () => {
    const { version } = decodePng(await toPng(SAMPLE, { scale: 1 }));
    const modules = 17 + 4 * version;
    expect(decodePng(await toPng(SAMPLE, { scale: 1 })).width).toBe(modules + 8);
    expect(decodePng(await toPng(SAMPLE, { scale: 3, margin: 2 })).width).toBe(3 * (modules + 4));
  });

  it('toSvg and toDataUrl produce an SVG document and a PNG data URL', async () => {
    expect(await toSvg(SAMPLE)).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    const url = await toDataUrl(SAMPLE);
    expect(url.startsWith('data:image/png;base64,')).toBe(true);
    expect(decodePng(Buffer.from(url.split(',')[1] as string, 'base64')).text).toBe(SAMPLE);
  });

  it('toTerminal draws half-block rows with a full quiet zone', () => {
    const plain = toTerminal(SAMPLE, { ansi: false }).replace(/\n$/, '').split('\n');
    const width = plain[0]?.length ?? 0;
    expect(plain.every((line) => line.length === width)).toBe(true);
    expect(plain[0]?.trim()).toBe(''); // 4 blank modules = 2 blank rows on top
    expect(plain[1]?.trim()).toBe('');
    expect(plain[2]?.startsWith('    █▀▀▀▀▀█')).toBe(true); // finder pattern after 4 blank columns
    expect(toTerminal(SAMPLE).split('\n')[0]?.startsWith('\x1b[30;47m')).toBe(true);
  });

  it('refuses to draw an invalid QRIS unless told not to validate', async () => {
    const broken = `${SAMPLE.slice(0, -4)}0000`;
    await expect(toPng(broken)).rejects.toThrow(QrisError);
    expect(() => toTerminal(broken)).toThrow(expect.objectContaining({ code: 'CRC_MISMATCH' }));
    expect(decodePng(await toPng('hello', { validate: false })).text).toBe('hello');
  });
});
