import { describe, expect, it } from 'vitest';
import { PakasirValidationError } from './errors.js';
import { ESTIMATED_FLAT_FEES, estimateFee, qrisFee } from './fees.js';
import { PAYMENT_METHODS } from './protocol.js';

describe('fees', () => {
  it('matches the seeds: 99,000 → 1,003 (seed 001/003) and 50,000 → 660 (seed 000)', () => {
    expect(estimateFee('qris', 99000)).toBe(1003);
    expect(estimateFee('qris', 50000)).toBe(660);
  });

  it('switches to 1% above Rp 105,000 without the fee ever dropping', () => {
    expect(qrisFee(105_000)).toBe(1045);
    expect(qrisFee(105_001)).toBe(1050);
    expect(qrisFee(1_000_000)).toBe(10_000);
    for (let amount = 100_000; amount < 110_000; amount += 7)
      expect(qrisFee(amount + 7)).toBeGreaterThanOrEqual(qrisFee(amount));
  });

  it('has an estimate for every other method', () => {
    for (const method of PAYMENT_METHODS.filter((m) => m !== 'qris')) {
      expect(estimateFee(method, 10000)).toBe(ESTIMATED_FLAT_FEES[method]);
    }
  });

  it('refuses what is not a method or a whole positive amount', () => {
    expect(() => estimateFee('gopay' as 'qris', 1000)).toThrow(PakasirValidationError);
    expect(() => estimateFee('qris', -1)).toThrow(PakasirValidationError);
    expect(() => estimateFee('qris', Number.MAX_SAFE_INTEGER + 1)).toThrow(PakasirValidationError);
  });
});
