import { PakasirValidationError } from './errors.js';
import { PAYMENT_METHODS, type PaymentMethod } from './protocol.js';

/**
 * QRIS fee. Seed 003 gives `int(amount × 0.007) + 310` (99,000 → 1,003, as the seed's example).
 * Public Pakasir clients switch to 1% above Rp 105,000; we read that as 1% with no fixed part,
 * because that is where the two lines meet (0.7% × 105,000 + 310 = 1,045 ≈ 1% × 105,000 = 1,050),
 * so the fee never drops when the amount grows.
 */
export function qrisFee(amount: number): number {
  return amount <= 105_000 ? Math.floor((amount * 7) / 1000) + 310 : Math.floor(amount / 100);
}

/**
 * Fees of the other methods, in rupiah. Nothing official was at hand: these are the flat fees
 * public Pakasir integrations quote for bank virtual accounts and retail counters. Treat them as
 * estimates; `Pakasir#fees(amount)` asks v2's payment-fee endpoint for the real figures.
 */
export const ESTIMATED_FLAT_FEES: Readonly<Record<Exclude<PaymentMethod, 'qris'>, number>> = {
  bni_va: 3500,
  bri_va: 3500,
  cimb_niaga_va: 3500,
  maybank_va: 3500,
  permata_va: 3500,
  sampoerna_va: 2000,
  bnc_va: 2000,
  atm_bersama_va: 3500,
  artha_graha_va: 2000,
  retail: 5000,
};

/** Validates an amount of rupiah: a positive safe integer. */
export function assertAmount(amount: unknown, what = 'amount'): asserts amount is number {
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount <= 0) {
    throw new PakasirValidationError(
      `${what} must be a positive whole number of rupiah, got ${String(amount)}`,
    );
  }
}

/** Validates a payment method name. */
export function assertMethod(method: unknown): asserts method is PaymentMethod {
  if (!(PAYMENT_METHODS as readonly unknown[]).includes(method)) {
    throw new PakasirValidationError(
      `unknown payment method ${JSON.stringify(method)}; one of ${PAYMENT_METHODS.join(', ')}`,
    );
  }
}

/**
 * The fee Pakasir adds to `amount` for `method`, offline: exact for QRIS per seed 003, estimated
 * for the others (see ESTIMATED_FLAT_FEES).
 * @example estimateFee('qris', 99000) // 1003
 */
export function estimateFee(method: PaymentMethod, amount: number): number {
  assertMethod(method);
  assertAmount(amount);
  return method === 'qris' ? qrisFee(amount) : ESTIMATED_FLAT_FEES[method];
}
