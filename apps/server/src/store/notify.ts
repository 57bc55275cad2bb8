import { and, asc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { type StoreOrder, storeOrders } from '../db/schema.js';
import type { Executor } from '../db/types.js';

/**
 * Telling the buyer how an order ended (goods sent, expired, cancelled, failed), at most once at a
 * time: a sender first claims the order with a lease (`notify_lease_until`), sends, then marks it
 * notified; a `paid` order becomes `delivered` in that same UPDATE. A sender that crashes after
 * sending but before marking leaves the lease to expire, and the order is told again: messages are
 * at-least-once across a crash, never twice otherwise. The goods themselves were assigned once, in
 * `settleOrder`'s transaction.
 */

/** Statuses whose buyer is still to be told. */
export const TELLABLE_STATUSES = ['paid', 'expired', 'cancelled', 'failed'] as const;

/** After this many failed attempts an order is left to the admins (e.g. the buyer blocked the bot). */
export const MAX_NOTIFY_ATTEMPTS = 10;

/** Default lease: long enough for a few Telegram calls with retries. */
export const NOTIFY_LEASE_MS = 60_000;

/** Claims the telling of an order; null when it needs none or someone else holds the lease. */
export async function claimNotification(
  db: Executor,
  orderId: string,
  leaseMs = NOTIFY_LEASE_MS,
): Promise<StoreOrder | null> {
  const [row] = await db
    .update(storeOrders)
    .set({
      notifyLeaseUntil: sql`now() + make_interval(secs => ${leaseMs / 1000})`,
      notifyAttempts: sql`${storeOrders.notifyAttempts} + 1`,
    })
    .where(and(eq(storeOrders.id, orderId), claimable()))
    .returning();
  return row ?? null;
}

function claimable() {
  return and(
    inArray(storeOrders.status, [...TELLABLE_STATUSES]),
    isNull(storeOrders.notifiedAt),
    lt(storeOrders.notifyAttempts, MAX_NOTIFY_ATTEMPTS),
    or(isNull(storeOrders.notifyLeaseUntil), lt(storeOrders.notifyLeaseUntil, sql`now()`)),
  );
}

/** Records that the buyer was told; a `paid` order becomes `delivered`. */
export async function markNotified(db: Executor, orderId: string): Promise<StoreOrder | null> {
  const [row] = await db
    .update(storeOrders)
    .set({
      notifiedAt: sql`now()`,
      notifyLeaseUntil: null,
      updatedAt: sql`now()`,
      status: sql`case when ${storeOrders.status} = 'paid' then 'delivered' else ${storeOrders.status} end`,
      deliveredAt: sql`case when ${storeOrders.status} = 'paid' then now() else ${storeOrders.deliveredAt} end`,
    })
    .where(and(eq(storeOrders.id, orderId), isNull(storeOrders.notifiedAt)))
    .returning();
  return row ?? null;
}

/** Orders whose buyer is still to be told and whose lease is free, oldest first. */
export async function ordersToNotify(db: Executor, limit: number): Promise<string[]> {
  const rows = await db
    .select({ id: storeOrders.id })
    .from(storeOrders)
    .where(claimable())
    .orderBy(asc(storeOrders.updatedAt))
    .limit(limit);
  return rows.map((row) => row.id);
}
