import { and, eq, sql } from 'drizzle-orm';
import {
  type OrderStatus,
  type PaymentStatus,
  payments,
  type StoreOrder,
  storeOrderItems,
  storeOrders,
  storeProducts,
  storeStockItems,
} from '../db/schema.js';
import type { Executor, Tx } from '../db/types.js';
import { giveBack } from './close.js';
import { applyBalanceChange } from './wallet.js';

/**
 * Moves an order once its payment has settled, in ONE transaction that holds the order's row lock:
 * - payment paid → the order's reserved items become `sold`, their contents are recorded on the
 *   order's lines, `sold_count` grows, and the order becomes `paid` (the durable "goods assigned"
 *   marker, in the same transaction as the items);
 *   A top-up order instead credits its subtotal to the buyer's balance (once: ledger index);
 * - payment expired / cancelled / failed → the items go back on sale, the part paid from the
 *   balance is refunded and the voucher use released (close.ts), the order follows.
 * Idempotent and race-safe: webhooks, the reconciler, the sweeper, a "Status Pembayaran" press
 * may all call it at once; the row lock serialises them and only the first sees `pending`.
 * The payment's status is read from the payments table (it only ever leaves `pending` once).
 */

/** What `settleOrder` did. */
export interface SettleResult {
  order: StoreOrder;
  /** True for the one call that moved the order. */
  changed: boolean;
}

const CLOSED_BY: Partial<Record<PaymentStatus, OrderStatus>> = {
  expired: 'expired',
  cancelled: 'cancelled',
  failed: 'failed',
};

/** Settles `orderId` against its payment; a pending payment (or none yet) leaves it pending. */
export async function settleOrder(db: Executor, orderId: string): Promise<SettleResult> {
  return db.transaction(async (tx) => {
    const [order] = await tx.select().from(storeOrders).where(eq(storeOrders.id, orderId)).for('update');
    if (!order) throw new Error(`store order ${orderId} does not exist`);
    if (order.status !== 'pending' || !order.paymentId) return { order, changed: false };
    const [payment] = await tx
      .select({ status: payments.status })
      .from(payments)
      .where(eq(payments.id, order.paymentId));
    const status = payment?.status ?? 'pending';
    if (status === 'paid') {
      if (order.kind === 'topup') {
        await applyBalanceChange(tx, {
          userId: order.userId,
          delta: order.subtotal,
          reason: 'topup',
          orderId: order.id,
          paymentId: order.paymentId,
        });
        return { order: await markPaid(tx, order), changed: true };
      }
      return { order: await sell(tx, order), changed: true };
    }
    const closed = CLOSED_BY[status];
    if (!closed) return { order, changed: false };
    await giveBack(tx, order);
    const [after] = await tx
      .update(storeOrders)
      .set({ status: closed, closedAt: sql`now()`, updatedAt: sql`now()` })
      .where(eq(storeOrders.id, order.id))
      .returning();
    return { order: after ?? order, changed: true };
  });
}

/**
 * The paid branch: reserved → sold, contents onto the lines (still sealed when encrypted: the
 * sold items' `enc:v1:` tokens joined, opened on read), sold counts, order `paid`. Also used by
 * checkout for an order the balance (or a voucher) paid whole, inside its transaction.
 */
export async function sell(tx: Tx, order: StoreOrder): Promise<StoreOrder> {
  const sold = await tx
    .update(storeStockItems)
    .set({ status: 'sold', soldAt: sql`now()` })
    .where(and(eq(storeStockItems.orderId, order.id), eq(storeStockItems.status, 'reserved')))
    .returning({
      id: storeStockItems.id,
      productId: storeStockItems.productId,
      content: storeStockItems.content,
    });
  sold.sort((a, b) => a.id - b.id);
  const lines = await tx.select().from(storeOrderItems).where(eq(storeOrderItems.orderId, order.id));
  for (const line of lines) {
    const items = sold.filter((item) => item.productId === line.productId);
    if (items.length !== line.quantity) {
      // Only a hand edit of the database gets here; refuse rather than sell short.
      throw new Error(
        `store order ${order.id} holds ${items.length} reserved items of product ${line.productId}, expected ${line.quantity}`,
      );
    }
    await tx
      .update(storeOrderItems)
      .set({ content: items.map((item) => item.content).join('\n\n') })
      .where(eq(storeOrderItems.id, line.id));
    await tx
      .update(storeProducts)
      .set({ soldCount: sql`${storeProducts.soldCount} + ${line.quantity}` })
      .where(eq(storeProducts.id, line.productId));
  }
  return markPaid(tx, order);
}

async function markPaid(tx: Tx, order: StoreOrder): Promise<StoreOrder> {
  const [after] = await tx
    .update(storeOrders)
    .set({ status: 'paid', paidAt: sql`now()`, updatedAt: sql`now()` })
    .where(eq(storeOrders.id, order.id))
    .returning();
  if (!after) throw new Error(`store order ${order.id} vanished while being paid`);
  return after;
}
