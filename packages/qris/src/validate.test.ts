import { describe, expect, it } from 'vitest';
import { build } from './build.js';
import { crc16 } from './crc16.js';
import { QrisError } from './errors.js';
import { parse } from './parse.js';
import type { QrisBuildFields } from './types.js';
import { validate } from './validate.js';

const SAMPLE =
  '00020101021226610016ID.CO.SHOPEE.WWW01189360091800216005230208216005230303UME51440014ID.CO.QRIS.WWW0215ID10243228429300303UME5204792953033605409100003.005802ID5907Pakasir6012KAB. KEBUMEN61055439262230519SP25RZRATEQI2HQ65Q46304A079';

/** Replaces `from` by `to` once and fixes the CRC, so only the intended defect remains. */
function withDefect(from: string, to: string): string {
  const body = SAMPLE.slice(0, -4).replace(from, to);
  if (body === SAMPLE.slice(0, -4)) throw new Error(`${from} not found`);
  return body + crc16(body);
}

const base: QrisBuildFields = {
  pointOfInitiation: 'static',
  merchantAccounts: [
    {
      tag: '26',
      guid: 'ID.CO.BCA.WWW',
      pan: '9360001410000012345',
      merchantId: '000885000012345',
      criteria: 'UMI',
    },
  ],
  qris: { nmid: 'ID1020012345678', criteria: 'UMI' },
  merchantCategoryCode: '5812',
  currency: '360',
  countryCode: 'ID',
  merchantName: 'Warung Sari',
  merchantCity: 'JAKARTA PUSAT',
  postalCode: '10110',
};

describe('validate', () => {
  it('accepts the sample with no warnings', () => {
    expect(validate(SAMPLE)).toEqual({ valid: true, errors: [], warnings: [] });
  });

  it('reports where a problem is: code, innermost tag, path and character offset', () => {
    const result = validate(withDefect('0215ID1024322842930', '0215XX1024322842930'));
    expect(result.errors).toEqual([
      expect.objectContaining({
        code: 'INVALID_NMID',
        tag: '02',
        path: '51.02',
        offset: SAMPLE.indexOf('0215ID10243'),
      }),
    ]);
  });

  it('reports a length running past the end with the offset of its tag', () => {
    const input = '000201010212599999';
    expect(validate(input).errors).toEqual([
      expect.objectContaining({ code: 'LENGTH_OVERFLOW', tag: '59', path: '59', offset: 12 }),
    ]);
  });

  it('counts lengths in characters, not bytes', () => {
    const qris = build({
      ...base,
      language: { languagePreference: 'zh', merchantName: '莎莉小吃店', merchantCity: '雅加达' },
    });
    expect(qris).toContain('64220002zh0105莎莉小吃店0203雅加达');
    expect(validate(qris).valid).toBe(true);
    const bytes = Buffer.from(qris.slice(0, -4), 'utf8');
    expect(bytes.length).toBeGreaterThan(qris.length - 4);
  });

  it('reports an error inside a template with its path and keeps reading', () => {
    const input = withDefect('0303UME5204', '0303XYZ5204');
    const { errors } = validate(input);
    expect(errors.map((e) => [e.code, e.path])).toEqual([['INVALID_MERCHANT_CRITERIA', '51.03']]);
  });

  it('reports several errors at once', () => {
    const input = withDefect('5303360', '5303840').replace(/.{4}$/, '').replace('5802ID', '5802SG');
    const fixed = input + crc16(input);
    expect(validate(fixed).errors.map((e) => e.code)).toEqual(['INVALID_CURRENCY', 'INVALID_COUNTRY']);
  });

  it('warns about a static QRIS with an amount and a dynamic one without', () => {
    const staticWithAmount = withDefect('010212', '010211');
    expect(validate(staticWithAmount)).toMatchObject({
      valid: true,
      warnings: [{ code: 'STATIC_WITH_AMOUNT', path: '54' }],
    });
    const dynamicWithout = withDefect('5409100003.00', '');
    expect(validate(dynamicWithout)).toMatchObject({
      valid: true,
      warnings: [{ code: 'DYNAMIC_WITHOUT_AMOUNT', path: '01' }],
    });
  });

  it('refuses what is not a string', () => {
    expect(validate(undefined as unknown as string).errors[0]?.code).toBe('INVALID_INPUT');
    expect(validate(42 as unknown as string).errors[0]?.code).toBe('INVALID_INPUT');
  });

  it('refuses lowercase CRC digits even when they match', () => {
    expect(validate(SAMPLE.replace(/A079$/, 'a079')).errors[0]?.code).toBe('INVALID_CRC_FORMAT');
  });
});

describe('parse', () => {
  it('throws the first error in strict mode, carrying all of them', () => {
    const input = withDefect('5303360', '5303840');
    try {
      parse(input);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(QrisError);
      expect(error).toMatchObject({
        code: 'INVALID_CURRENCY',
        tag: '53',
        path: '53',
        issues: [{ code: 'INVALID_CURRENCY' }],
      });
    }
  });

  it('returns the tree and the problems in lenient mode', () => {
    const input = withDefect('5303360', '5303840');
    const parsed = parse(input, { mode: 'lenient' });
    expect(parsed.fields.currency).toBe('840');
    expect(parsed.errors.map((e) => e.code)).toEqual(['INVALID_CURRENCY']);
  });

  it('keeps a template that is not TLV as a raw value in lenient mode', () => {
    const input = withDefect('62230519SP25RZRATEQI2HQ65Q4', '6223XX19SP25RZRATEQI2HQ65Q4');
    const parsed = parse(input, { mode: 'lenient' });
    expect(parsed.tree.find((n) => n.tag === '62')).toEqual({ tag: '62', value: 'XX19SP25RZRATEQI2HQ65Q4' });
    expect(parsed.fields.other).toEqual({ '62': 'XX19SP25RZRATEQI2HQ65Q4' });
    expect(parsed.errors.map((e) => [e.code, e.path])).toEqual([['INVALID_TAG', '62']]);
    expect(() => parse(input)).toThrow(QrisError);
  });

  it('throws even in lenient mode when the top level is unreadable', () => {
    expect(() => parse(`${SAMPLE}0`, { mode: 'lenient' })).toThrow(
      expect.objectContaining({ code: 'INVALID_TAG' }),
    );
  });

  it('refuses an unknown mode', () => {
    expect(() => parse(SAMPLE, { mode: 'loose' as 'strict' })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
  });
});
