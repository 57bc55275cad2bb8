import { and, eq } from 'drizzle-orm';
import { type StoreOrder, storeStockItems } from '../db/schema.js';
import type { Tx } from '../db/types.js';
import { releaseVoucherUse } from './vouchers.js';
import { applyBalanceChange } from './wallet.js';

/**
 * What an order gives back when it closes unpaid (expired, cancelled, failed), inside the
 * transaction that closes it: its reserved items go back on sale, the part paid from the balance
 * is refunded (once per order: the ledger's unique index), and its voucher use is released.
 */

/** Puts an order's reserved items back on sale (inside the caller's transaction). */
export async function releaseItems(tx: Tx, orderId: string): Promise<number> {
  const released = await tx
    .update(storeStockItems)
    .set({ status: 'available', orderId: null })
    .where(and(eq(storeStockItems.orderId, orderId), eq(storeStockItems.status, 'reserved')))
    .returning({ id: storeStockItems.id });
  return released.length;
}

/** Items, balance and voucher back, for an order that closes unpaid. */
export async function giveBack(
  tx: Tx,
  order: Pick<StoreOrder, 'id' | 'userId' | 'balancePaid'>,
): Promise<void> {
  await releaseItems(tx, order.id);
  if (order.balancePaid > 0) {
    await applyBalanceChange(tx, {
      userId: order.userId,
      delta: order.balancePaid,
      reason: 'refund',
      orderId: order.id,
    });
  }
  await releaseVoucherUse(tx, order.id);
}
