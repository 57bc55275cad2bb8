import { desc, gte, inArray, sql } from 'drizzle-orm';
import { storeOrders, storeProducts, storeUsers } from '../db/schema.js';
import type { Executor } from '../db/types.js';

/** Seed 003's admin statistics. */
export interface AdminStats {
  totalUsers: number;
  /** Paid orders (paid or delivered). */
  totalTransactions: number;
  /** Orders waiting for payment. */
  activeOrders: number;
  /** Goods sold since 00:00 WIB, integer rupiah (the QRIS fee goes to the gateway, not counted). */
  revenueToday: number;
  topProducts: { id: number; name: string; sold: number }[];
}

/** Indonesia's western time: UTC+7 all year (no daylight saving). */
export const WIB_OFFSET_MS = 7 * 3_600_000;

/** The instant today began in WIB. */
export function startOfDayWib(now: Date): Date {
  const local = now.getTime() + WIB_OFFSET_MS;
  return new Date(local - (local % 86_400_000) - WIB_OFFSET_MS);
}

/** Counts for /stats. */
export async function adminStats(db: Executor, now: Date = new Date(), top = 5): Promise<AdminStats> {
  const paidStatuses = ['paid', 'delivered'] as const;
  const [users] = await db.select({ n: sql<number>`count(*)::int` }).from(storeUsers);
  const [orders] = await db
    .select({
      paid: sql<number>`count(*) filter (where ${inArray(storeOrders.status, [...paidStatuses])})::int`,
      pending: sql<number>`count(*) filter (where ${storeOrders.status} = 'pending')::int`,
    })
    .from(storeOrders);
  const [revenue] = await db
    .select({ sum: sql<number>`coalesce(sum(${storeOrders.subtotal}), 0)::bigint` })
    .from(storeOrders)
    .where(
      sql`${inArray(storeOrders.status, [...paidStatuses])} and ${gte(storeOrders.paidAt, startOfDayWib(now))}`,
    );
  const products = await db
    .select({ id: storeProducts.id, name: storeProducts.name, sold: storeProducts.soldCount })
    .from(storeProducts)
    .where(sql`${storeProducts.soldCount} > 0`)
    .orderBy(desc(storeProducts.soldCount), storeProducts.id)
    .limit(top);
  return {
    totalUsers: Number(users?.n ?? 0),
    totalTransactions: Number(orders?.paid ?? 0),
    activeOrders: Number(orders?.pending ?? 0),
    revenueToday: Number(revenue?.sum ?? 0),
    topProducts: products,
  };
}
