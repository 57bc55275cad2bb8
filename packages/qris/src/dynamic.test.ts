import { describe, expect, it } from 'vitest';
import { amountToRupiah } from './amount.js';
import { build } from './build.js';
import { crc16 } from './crc16.js';
import { toDynamic } from './dynamic.js';
import { QrisError } from './errors.js';
import { parse } from './parse.js';
import type { QrisBuildFields } from './types.js';

const staticFields: QrisBuildFields = {
  pointOfInitiation: 'static',
  merchantAccounts: [
    {
      tag: '26',
      guid: 'COM.GO-JEK.WWW',
      pan: '936009140000012345',
      merchantId: 'G000012345',
      criteria: 'UMI',
    },
  ],
  qris: { nmid: 'ID1021098765432', criteria: 'UMI' },
  merchantCategoryCode: '5499',
  currency: '360',
  countryCode: 'ID',
  merchantName: 'Toko Berkah',
  merchantCity: 'BANDUNG',
  postalCode: '40115',
  additionalData: { storeLabel: 'CABANG 1' },
};
const STATIC = build(staticFields);

describe('toDynamic', () => {
  it('sets 01 = 12 and the amount, keeps every other data object byte for byte, recomputes the CRC', () => {
    const dynamic = toDynamic(STATIC, { amount: 150000 });
    const { fields, tree } = parse(dynamic);
    expect(fields).toMatchObject({ pointOfInitiation: 'dynamic', amount: '150000' });
    const before = parse(STATIC).tree.filter((n) => !['01', '63'].includes(n.tag));
    expect(tree.filter((n) => !['01', '54', '63'].includes(n.tag))).toEqual(before);
    expect(tree.map((n) => n.tag)).toEqual([
      '00',
      '01',
      '26',
      '51',
      '52',
      '53',
      '54',
      '58',
      '59',
      '60',
      '61',
      '62',
      '63',
    ]);
    expect(dynamic.slice(-4)).toBe(crc16(dynamic.slice(0, -4)));
  });

  it('adds tip and 62 references, merged into an existing 62', () => {
    const dynamic = toDynamic(STATIC, {
      amount: '25000.00',
      tip: { type: 'fixed', amount: '2000' },
      billNumber: 'B-77',
      reference: 'INV-1001',
      terminal: 'KASIR2',
      purpose: 'Pesanan',
    });
    const { fields } = parse(dynamic);
    expect(fields.amount).toBe('25000.00');
    expect(fields.tip).toEqual({ type: 'fixed', amount: '2000' });
    expect(fields.additionalData).toEqual({
      billNumber: 'B-77',
      storeLabel: 'CABANG 1',
      referenceLabel: 'INV-1001',
      terminalLabel: 'KASIR2',
      purposeOfTransaction: 'Pesanan',
    });
  });

  it('refuses an input that already has an amount unless replaceAmount is given', () => {
    const dynamic = toDynamic(STATIC, { amount: 10000 });
    expect(() => toDynamic(dynamic, { amount: 20000 })).toThrow(
      expect.objectContaining({ code: 'ALREADY_DYNAMIC' }),
    );
    const replaced = toDynamic(dynamic, { amount: 20000, replaceAmount: true });
    expect(parse(replaced).fields.amount).toBe('20000');
  });

  it('replaces an existing tip instead of adding a second one', () => {
    const withTip = toDynamic(STATIC, { amount: 10000, tip: { type: 'percentage', percentage: '5.00' } });
    const replaced = toDynamic(withTip, { amount: 10000, tip: { type: 'prompt' }, replaceAmount: true });
    expect(parse(replaced).fields.tip).toEqual({ type: 'prompt' });
    expect(parse(replaced).tree.filter((n) => ['55', '56', '57'].includes(n.tag))).toEqual([
      { tag: '55', value: '01' },
    ]);
  });

  it('refuses bad amounts and invalid inputs with QrisError', () => {
    for (const amount of [0, -5, 1.5, Number.NaN, '0', '1.2.3', '12345678901234', 'abc']) {
      expect(() => toDynamic(STATIC, { amount })).toThrow(
        expect.objectContaining({ code: 'INVALID_AMOUNT' }),
      );
    }
    expect(() => toDynamic(`${STATIC.slice(0, -4)}0000`, { amount: 1000 })).toThrow(QrisError);
    expect(() => toDynamic(STATIC, { amount: 1000, reference: 'x'.repeat(26) })).toThrow(
      expect.objectContaining({ code: 'INVALID_ADDITIONAL_DATA' }),
    );
  });
});

describe('amountToRupiah', () => {
  it('reads whole rupiah', () => {
    expect(amountToRupiah('100003.00')).toBe(100003);
    expect(amountToRupiah('1500')).toBe(1500);
  });

  it('refuses fractions of a rupiah and malformed amounts', () => {
    expect(() => amountToRupiah('100.50')).toThrow(expect.objectContaining({ code: 'INVALID_AMOUNT' }));
    expect(() => amountToRupiah('1e5')).toThrow(QrisError);
  });
});

describe('build', () => {
  it('writes tags in ascending order whatever the input order', () => {
    const qris = build({
      ...staticFields,
      merchantAccounts: [{ tag: '27', guid: 'ID.DANA.WWW' }, ...staticFields.merchantAccounts],
    });
    expect(
      parse(qris)
        .tree.map((n) => n.tag)
        .slice(0, 5),
    ).toEqual(['00', '01', '26', '27', '51']);
  });

  it('says what is wrong with the fields', () => {
    expect(() => build({ ...staticFields, merchantName: '' })).toThrow(
      expect.objectContaining({ code: 'EMPTY_VALUE', path: '59' }),
    );
    expect(() => build({ ...staticFields, merchantName: 'x'.repeat(26) })).toThrow(
      expect.objectContaining({ code: 'INVALID_MERCHANT_NAME' }),
    );
    expect(() => build({ ...staticFields, currency: '840' })).toThrow(
      expect.objectContaining({ code: 'INVALID_CURRENCY' }),
    );
    expect(() => build({ ...staticFields, pointOfInitiation: 'other' as 'static' })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
    expect(() => build({ ...staticFields, merchantCity: undefined as unknown as string })).toThrow(
      expect.objectContaining({
        code: 'INVALID_OPTION',
        message: 'merchantCity must be a string, got undefined',
      }),
    );
    expect(() => build({ ...staticFields, other: { '59': 'Dua kali' } })).toThrow(
      expect.objectContaining({ code: 'DUPLICATE_TAG' }),
    );
    expect(() =>
      build({
        ...staticFields,
        additionalData: {
          billNumber: 'x'.repeat(25),
          storeLabel: 'y'.repeat(25),
          terminalLabel: 'z'.repeat(25),
          purposeOfTransaction: 'w'.repeat(25),
        },
      }),
    ).toThrow(expect.objectContaining({ code: 'LENGTH_OVERFLOW' }));
  });
});
