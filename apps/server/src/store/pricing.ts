import type { MemberStatus, StoreProduct } from '../db/schema.js';
import { StoreError } from './errors.js';

/**
 * Prices of the Telegram store, in integer rupiah. The buyer pays the goods plus the QRIS fee of
 * seed 003, `int(amount × 0.007) + 310`, for every amount (packages/pakasir `qrisFee` agrees up to
 * Rp 105,000 and switches to 1% above; the store shows and charges seed 003's formula).
 */

/** The fee the buyer pays on top of `subtotal`: 0.7% (rounded down) + Rp 310. */
export function storeFee(subtotal: number): number {
  assertRupiah(subtotal, 'subtotal');
  // Integer arithmetic: 0.007 × amount in floating point can land just under a whole number.
  return Math.floor((subtotal * 7) / 1000) + 310;
}

/** The price of one unit for a member status (seed 003: customer_price or reseller_price). */
export function unitPrice(
  product: Pick<StoreProduct, 'customerPrice' | 'resellerPrice'>,
  memberStatus: MemberStatus,
): number {
  return memberStatus === 'reseller' ? product.resellerPrice : product.customerPrice;
}

/** What an order costs: unit price, subtotal, fee and the total the QR asks for. */
export interface Quote {
  unitPrice: number;
  quantity: number;
  subtotal: number;
  fee: number;
  total: number;
}

/** The largest quantity one order may take (a guard against typos and huge QR amounts). */
export const MAX_QUANTITY = 100;

/**
 * Prices `quantity` units of `product` for a buyer of `memberStatus`.
 * @example quote({ customerPrice: 50_000, resellerPrice: 45_000 }, 2, 'customer') // total 101_010
 */
export function quote(
  product: Pick<StoreProduct, 'customerPrice' | 'resellerPrice'>,
  quantity: number,
  memberStatus: MemberStatus,
): Quote {
  if (!Number.isSafeInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) {
    throw new StoreError('INVALID_QUANTITY', `quantity must be a whole number from 1 to ${MAX_QUANTITY}`, {
      quantity,
    });
  }
  const price = unitPrice(product, memberStatus);
  const subtotal = price * quantity;
  assertRupiah(subtotal, 'subtotal');
  const fee = storeFee(subtotal);
  return { unitPrice: price, quantity, subtotal, fee, total: subtotal + fee };
}

/** The smallest price a product may have: a payment asks for at least Rp 1,000. */
export const MIN_PRICE = 1000;
/** The largest: keeps every total far inside PostgreSQL's integer. */
export const MAX_PRICE = 10_000_000;

/** Checks a product price typed by an admin. */
export function assertPrice(price: number, what: string): void {
  if (!Number.isSafeInteger(price) || price < MIN_PRICE || price > MAX_PRICE) {
    throw new StoreError(
      'INVALID_INPUT',
      `${what} must be a whole number of rupiah from ${MIN_PRICE} to ${MAX_PRICE}`,
      {
        field: what,
      },
    );
  }
}

function assertRupiah(amount: number, what: string): void {
  if (!Number.isSafeInteger(amount) || amount <= 0) {
    throw new StoreError('INVALID_INPUT', `${what} must be a positive whole number of rupiah`, {
      [what]: amount,
    });
  }
}
