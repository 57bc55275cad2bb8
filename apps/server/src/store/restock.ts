import { sql } from 'drizzle-orm';
import { type Language, type MemberStatus, storeRestockSubscriptions } from '../db/schema.js';
import { queryRows } from '../db/sql.js';
import type { Executor } from '../db/types.js';
import { getProduct, productNotFound } from './catalog.js';
import { StoreError } from './errors.js';

/**
 * Restock alerts (issue 9): "Kabari saya" on a sold-out product subscribes a buyer; once the
 * product is active and has stock again, each waiting subscription is claimed once (its
 * `notified_at` set by one UPDATE … RETURNING, so two senders never claim the same row) and its
 * buyer gets one message (bot/restock.ts). A claim is at-most-once: a crash between claim and
 * send loses that alert rather than sending it twice. After being told, a buyer may subscribe again.
 */

/** Subscribes `userId` to `productId`; idempotent while waiting. Returns whether a new subscription was made. */
export async function subscribeRestock(db: Executor, userId: number, productId: number): Promise<boolean> {
  const product = await getProduct(db, productId);
  if (!product) throw productNotFound(productId);
  if (!product.isActive) {
    throw new StoreError('PRODUCT_INACTIVE', `product ${productId} is not for sale`, {
      product_id: productId,
    });
  }
  const rows = await db
    .insert(storeRestockSubscriptions)
    .values({ userId, productId })
    .onConflictDoNothing()
    .returning({ id: storeRestockSubscriptions.id });
  return rows.length > 0;
}

/** A claimed alert: who to tell about which product, in their language and at their price. */
export interface RestockAlert {
  subscriptionId: number;
  userId: number;
  productId: number;
  productName: string;
  customerPrice: number;
  resellerPrice: number;
  memberStatus: MemberStatus;
  language: Language | null;
  /** Banned buyers are claimed (so never retried) but not to be told. */
  isBanned: boolean;
}

interface AlertRow extends Record<string, unknown> {
  id: string;
  user_id: string;
  product_id: number;
  name: string;
  customer_price: number;
  reseller_price: number;
  member_status: MemberStatus;
  language: Language | null;
  is_banned: boolean;
}

/**
 * Claims up to `limit` waiting subscriptions whose product is active and has available stock,
 * oldest first, marking them notified in the same statement (rows another claimer holds are
 * skipped). Returns what to send.
 */
export async function claimRestockAlerts(db: Executor, limit: number): Promise<RestockAlert[]> {
  const size = Math.min(Math.max(Math.floor(limit), 1), 1000);
  const rows = await queryRows<AlertRow>(
    db,
    sql`
      with claimed as (
        update store_restock_subscriptions s
        set notified_at = now()
        where s.notified_at is null
          and s.id in (
            select w.id
            from store_restock_subscriptions w
            join store_products p on p.id = w.product_id
            where w.notified_at is null
              and p.is_active
              and exists (
                select 1 from store_stock_items i
                where i.product_id = w.product_id and i.status = 'available'
              )
            order by w.id
            limit ${size}
            for update of w skip locked
          )
        returning s.id, s.user_id, s.product_id
      )
      select c.id::text as id, c.user_id::text as user_id, c.product_id, p.name, p.customer_price,
        p.reseller_price, u.member_status, u.language, u.is_banned
      from claimed c
      join store_products p on p.id = c.product_id
      join store_users u on u.telegram_id = c.user_id
      order by c.id`,
  );
  return rows.map((row) => ({
    subscriptionId: Number(row.id),
    userId: Number(row.user_id),
    productId: Number(row.product_id),
    productName: row.name,
    customerPrice: Number(row.customer_price),
    resellerPrice: Number(row.reseller_price),
    memberStatus: row.member_status,
    language: row.language,
    isBanned: row.is_banned,
  }));
}
