import { qrisFee } from '@quickcart/pakasir';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isStoreError } from './errors.js';
import { MAX_QUANTITY, quote, storeFee, unitPrice } from './pricing.js';

const product = { customerPrice: 50_000, resellerPrice: 45_000 };

describe('store pricing', () => {
  it('charges seed 003 fee: int(amount × 0.007) + 310', () => {
    expect(storeFee(99_000)).toBe(1003); // seed 003's example
    expect(storeFee(50_000)).toBe(660); // seed 000's example
    expect(storeFee(1000)).toBe(317);
    expect(storeFee(150_000)).toBe(1360); // 0.7% all the way up (not the 1% of qrisFee above 105,000)
    expect(qrisFee(150_000)).toBe(1500);
  });

  it('agrees with packages/pakasir qrisFee up to Rp 105,000 and never loses to floating point', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 105_000 }), (amount) => {
        expect(storeFee(amount)).toBe(qrisFee(amount));
        expect(storeFee(amount)).toBe(Math.floor(Number(`${amount * 7}e-3`)) + 310);
      }),
    );
  });

  it('prices by member status and totals subtotal + fee', () => {
    expect(unitPrice(product, 'customer')).toBe(50_000);
    expect(unitPrice(product, 'reseller')).toBe(45_000);
    expect(quote(product, 3, 'reseller')).toEqual({
      unitPrice: 45_000,
      quantity: 3,
      subtotal: 135_000,
      fee: 1255,
      total: 136_255,
    });
  });

  it('refuses quantities outside 1 to MAX_QUANTITY', () => {
    for (const quantity of [0, -1, 1.5, MAX_QUANTITY + 1, Number.NaN]) {
      let error: unknown;
      try {
        quote(product, quantity, 'customer');
      } catch (e) {
        error = e;
      }
      expect(isStoreError(error, 'INVALID_QUANTITY')).toBe(true);
    }
  });
});
