import { describe, expect, it } from 'vitest';
import { MIN_AMOUNT } from '../db/schema.js';
import { charge, MIN_QRIS_REST } from './charge.js';
import { storeFee } from './pricing.js';

describe('charge', () => {
  it('MIN_QRIS_REST is the smallest QRIS part that reaches the payment minimum', () => {
    expect(MIN_QRIS_REST + storeFee(MIN_QRIS_REST)).toBeGreaterThanOrEqual(MIN_AMOUNT);
    expect(MIN_QRIS_REST - 1 + storeFee(MIN_QRIS_REST - 1)).toBeLessThan(MIN_AMOUNT);
  });

  it('QRIS only: the fee on the discounted goods', () => {
    expect(charge({ subtotal: 50_000, discount: 5_000, balance: 99_999, use: 'none' })).toEqual({
      subtotal: 50_000,
      discount: 5_000,
      balancePaid: 0,
      fee: 625,
      total: 45_625,
      qrisAmount: 45_625,
      method: 'qris',
    });
  });

  it('balance whole, or refused when it does not cover the goods', () => {
    expect(charge({ subtotal: 50_000, discount: 0, balance: 50_000, use: 'full' })).toMatchObject({
      balancePaid: 50_000,
      fee: 0,
      qrisAmount: 0,
      method: 'balance',
    });
    expect(() => charge({ subtotal: 50_000, discount: 0, balance: 49_999, use: 'full' })).toThrow(
      expect.objectContaining({ code: 'INSUFFICIENT_BALANCE' }),
    );
  });

  it('balance + QRIS: the rest and its fee, never a QRIS part under the minimum', () => {
    expect(charge({ subtotal: 50_000, discount: 0, balance: 20_000, use: 'partial' })).toMatchObject({
      balancePaid: 20_000,
      fee: 520,
      qrisAmount: 30_520,
      total: 50_520,
      method: 'balance+qris',
    });
    const tight = charge({ subtotal: 50_000, discount: 0, balance: 49_950, use: 'partial' });
    expect(tight.balancePaid).toBe(50_000 - MIN_QRIS_REST);
    expect(tight.qrisAmount).toBeGreaterThanOrEqual(MIN_AMOUNT);
    expect(charge({ subtotal: 50_000, discount: 0, balance: 0, use: 'partial' }).method).toBe('qris');
  });

  it('a discount leaving a too small rest is trimmed; a full discount leaves nothing to pay', () => {
    const trimmed = charge({ subtotal: 10_000, discount: 9_900, balance: 0, use: 'none' });
    expect(trimmed).toMatchObject({
      discount: 10_000 - MIN_QRIS_REST,
      qrisAmount: MIN_QRIS_REST + storeFee(MIN_QRIS_REST),
    });
    expect(charge({ subtotal: 10_000, discount: 10_000, balance: 0, use: 'none' })).toMatchObject({
      total: 0,
      qrisAmount: 0,
      method: 'balance',
    });
  });
});
