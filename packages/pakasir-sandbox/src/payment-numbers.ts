// What the payer is shown: a dynamic QRIS for qris, a virtual account number for bank VAs, a
// payment code for retail counters. QRIS strings are real (valid CRC, scannable) but pay nobody.
import type { PaymentMethod } from '@quickcart/pakasir';
import { build, toDynamic, validate } from '@quickcart/qris';
import { SandboxError } from './errors.js';
import { DIGITS, fnv1a, mulberry32, randomString, UPPER_ALNUM } from './random.js';

/** The built-in static merchant QR: plausible fields, an NMID no bank will ever settle to. */
export const DEMO_MERCHANT_QRIS = build({
  pointOfInitiation: 'static',
  merchantAccounts: [
    {
      tag: '26',
      guid: 'ID.CO.QUICKCART.WWW',
      pan: '9360000812345678901',
      merchantId: '123456789012345',
      criteria: 'UMI',
    },
  ],
  qris: { nmid: 'ID1025123456789', criteria: 'UMI' },
  merchantCategoryCode: '5999',
  currency: '360',
  countryCode: 'ID',
  merchantName: 'QuickCart Sandbox',
  merchantCity: 'JAKARTA',
  postalCode: '10110',
});

/** QRIS amounts have at most 13 characters: "9999999999.00". */
export const MAX_QRIS_TOTAL = 9_999_999_999;

/** Throws a SandboxError unless `qris` is a valid QRIS the sandbox can make dynamic. */
export function assertMerchantQris(qris: string): void {
  const { errors } = validate(qris);
  if (errors.length > 0) {
    throw new SandboxError(
      `merchantQris is not a valid QRIS: ${errors.map((e) => `${e.code} (${e.message})`).join('; ')}`,
    );
  }
}

/**
 * The dynamic QRIS of one payment, formatted as Pakasir's (seed 001): amount "<total>.00" in
 * tag 54 and a 19-character reference in 62.05. A merchant QR that already carries an amount
 * has it replaced.
 */
export function dynamicQris(merchantQris: string, total: number, reference: string): string {
  return toDynamic(merchantQris, { amount: `${total}.00`, reference, replaceAmount: true });
}

/** Virtual account prefixes: a bank code followed by a company code, as each bank issues them. */
const VA_PREFIXES: Readonly<Record<Exclude<PaymentMethod, 'qris' | 'retail'>, string>> = {
  bni_va: '988',
  bri_va: '12399',
  cimb_niaga_va: '5919',
  maybank_va: '7812',
  permata_va: '8528',
  sampoerna_va: '2251',
  bnc_va: '9012',
  atm_bersama_va: '8899',
  artha_graha_va: '9601',
};

/** A 16-digit VA number (bank prefix + digits), the same for the same project, order and method. */
export function vaNumber(method: keyof typeof VA_PREFIXES, project: string, orderId: string): string {
  const prefix = VA_PREFIXES[method];
  const random = mulberry32(fnv1a(`${project}\u0000${orderId}\u0000${method}`));
  return prefix + randomString(random, DIGITS, 16 - prefix.length);
}

/** A retail counter payment code ("PKS" + 13 characters), deterministic from the order. */
export function retailCode(project: string, orderId: string): string {
  const random = mulberry32(fnv1a(`${project}\u0000${orderId}\u0000retail`));
  return `PKS${randomString(random, UPPER_ALNUM, 13)}`;
}

/** Whether `method` is one of the virtual account methods. */
export function isVaMethod(method: string): method is keyof typeof VA_PREFIXES {
  return Object.hasOwn(VA_PREFIXES, method);
}
