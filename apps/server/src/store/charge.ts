import { MIN_AMOUNT, type PaymentMethod } from '../db/schema.js';
import { StoreError } from './errors.js';
import { storeFee } from './pricing.js';

/**
 * How an order's goods are paid (issue 9), in integer rupiah: the voucher discount comes off the
 * subtotal, the balance pays what the buyer asks of it, and QRIS the rest plus the QRIS fee of that
 * rest (no fee when nothing goes through QRIS). A QRIS part is at least MIN_QRIS_REST, so that the
 * payment reaches Pakasir's Rp 1,000 minimum: a smaller rest is raised by taking less from the
 * balance (or, without balance, less discount).
 */

/** How much of the balance to use: none, all of the bill (or refuse), or what there is. */
export type BalanceUse = 'none' | 'full' | 'partial';

/** The smallest QRIS part: MIN_QRIS_REST + storeFee(MIN_QRIS_REST) is the first total ≥ Rp 1,000. */
export const MIN_QRIS_REST = 686;

/** What an order charges, and how. */
export interface Charge {
  subtotal: number;
  discount: number;
  /** Taken from the balance in the order's transaction. */
  balancePaid: number;
  /** Fee on the QRIS part (0 without one). */
  fee: number;
  /** subtotal − discount + fee: everything the buyer pays. */
  total: number;
  /** What the QR asks: total − balancePaid (0: no QRIS payment). */
  qrisAmount: number;
  method: PaymentMethod;
}

/**
 * Splits an order's bill between balance and QRIS. Throws INSUFFICIENT_BALANCE for `full` when the
 * balance does not cover the goods.
 * @example charge({ subtotal: 50_000, discount: 0, balance: 20_000, use: 'partial' })
 * // { balancePaid: 20_000, fee: 520, qrisAmount: 30_520, total: 50_520, … }
 */
export function charge(input: {
  subtotal: number;
  discount: number;
  balance: number;
  use: BalanceUse;
}): Charge {
  const { subtotal, use } = input;
  let discount = input.discount;
  const due = subtotal - discount;
  let balancePaid = 0;
  if (use === 'full') {
    if (input.balance < due) {
      throw new StoreError('INSUFFICIENT_BALANCE', `the balance ${input.balance} does not cover ${due}`, {
        balance: input.balance,
        needed: due,
      });
    }
    balancePaid = due;
  } else if (use === 'partial') {
    balancePaid = Math.max(0, Math.min(input.balance, due));
  }
  let rest = due - balancePaid;
  if (rest > 0 && rest < MIN_QRIS_REST) {
    const raise = MIN_QRIS_REST - rest;
    const fromBalance = Math.min(raise, balancePaid);
    balancePaid -= fromBalance;
    discount -= Math.min(raise - fromBalance, discount);
    rest = subtotal - discount - balancePaid;
  }
  const fee = rest > 0 ? storeFee(rest) : 0;
  const total = subtotal - discount + fee;
  const method: PaymentMethod = rest === 0 ? 'balance' : balancePaid === 0 ? 'qris' : 'balance+qris';
  const result = { subtotal, discount, balancePaid, fee, total, qrisAmount: total - balancePaid, method };
  if (result.qrisAmount !== 0 && result.qrisAmount < MIN_AMOUNT)
    throw new Error('charge: QRIS part below minimum');
  return result;
}
