import type { StoreOrder } from '../db/schema.js';
import { storeOrders } from '../db/schema.js';
import type { Executor } from '../db/types.js';
import { StoreError } from './errors.js';
import { newInvoiceId } from './ids.js';
import { lockUser, refuseRepeat } from './orders.js';
import { storeFee } from './pricing.js';

/**
 * Balance top-ups by QRIS (issue 9): a `topup` order whose subtotal is the amount credited and
 * whose fee is the store's QRIS fee, paid like any order. Its paid transition (store/settle.ts)
 * credits the subtotal to the balance exactly once (the ledger's unique index per order and per
 * payment); an expired top-up credits nothing, and one paid late is credited by store/stray.ts.
 */

/** The smallest and largest top-up, in rupiah. */
export const MIN_TOPUP = 10_000;
export const MAX_TOPUP = 10_000_000;

/** A top-up's price: the amount credited, the fee, and what the QR asks. */
export function topupQuote(amount: number): { amount: number; fee: number; total: number } {
  if (!Number.isSafeInteger(amount) || amount < MIN_TOPUP || amount > MAX_TOPUP) {
    throw new StoreError(
      'INVALID_INPUT',
      `a top-up is a whole number of rupiah from ${MIN_TOPUP} to ${MAX_TOPUP}`,
      {
        field: 'amount',
        amount,
      },
    );
  }
  const fee = storeFee(amount);
  return { amount, fee, total: amount + fee };
}

/**
 * Inserts a pending top-up order (USER_BANNED, INVALID_INPUT). With `checkoutKey` (the button
 * press), a second order with the same key is refused with DUPLICATE_REQUEST: a double tap makes one QR.
 */
export async function createTopupOrder(
  db: Executor,
  input: { userId: number; chatId: number; amount: number; checkoutKey?: string | undefined },
): Promise<StoreOrder> {
  const priced = topupQuote(input.amount);
  return db.transaction(async (tx) => {
    const user = await lockUser(tx, input.userId);
    if (input.checkoutKey !== undefined) await refuseRepeat(tx, user.telegramId, input.checkoutKey);
    const [order] = await tx
      .insert(storeOrders)
      .values({
        id: newInvoiceId(user.telegramId),
        userId: user.telegramId,
        kind: 'topup',
        subtotal: priced.amount,
        fee: priced.fee,
        totalBill: priced.total,
        chatId: input.chatId,
        checkoutKey: input.checkoutKey ?? null,
      })
      .returning();
    if (!order) throw new Error('insert into store_orders returned no row');
    return order;
  });
}
