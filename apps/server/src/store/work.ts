import { and, asc, eq, isNull, lt, ne, sql } from 'drizzle-orm';
import { payments, storeOrders } from '../db/schema.js';
import type { Executor } from '../db/types.js';

/**
 * What the store sweeper looks for, so that nothing depends on an in-memory event (a crash, a
 * lost notification, a restart between payment and delivery):
 * - pending orders whose payment has settled (→ `settleOrder`);
 * - pending orders with no payment linked after a while (the process died inside checkout).
 * Orders whose buyer is still to be told are in notify.ts.
 */

/** Pending orders whose payment is no longer pending, oldest first. */
export async function ordersToSettle(db: Executor, limit: number): Promise<string[]> {
  const rows = await db
    .select({ id: storeOrders.id })
    .from(storeOrders)
    .innerJoin(payments, eq(payments.id, storeOrders.paymentId))
    .where(and(eq(storeOrders.status, 'pending'), ne(payments.status, 'pending')))
    .orderBy(asc(storeOrders.createdAt))
    .limit(limit);
  return rows.map((row) => row.id);
}

/** Pending orders created before `before` that still have no payment. */
export async function ordersWithoutPayment(db: Executor, before: Date, limit: number): Promise<string[]> {
  const rows = await db
    .select({ id: storeOrders.id })
    .from(storeOrders)
    .where(
      and(
        eq(storeOrders.status, 'pending'),
        isNull(storeOrders.paymentId),
        lt(storeOrders.createdAt, sql`${before.toISOString()}::timestamptz`),
      ),
    )
    .orderBy(asc(storeOrders.createdAt))
    .limit(limit);
  return rows.map((row) => row.id);
}
