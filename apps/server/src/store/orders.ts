import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import {
  type StoreOrder,
  type StoreOrderItem,
  type StoreUser,
  storeOrderItems,
  storeOrders,
  storeProducts,
  storeStockItems,
  storeUsers,
} from '../db/schema.js';
import type { Executor, Tx } from '../db/types.js';
import { productNotFound } from './catalog.js';
import { StoreError } from './errors.js';
import { newInvoiceId } from './ids.js';
import { type Quote, quote } from './pricing.js';

/** An order with its lines. */
export interface OrderWithItems {
  order: StoreOrder;
  items: StoreOrderItem[];
}

/** Options of `createOrder()`. */
export interface CreateOrderInput {
  userId: number;
  productId: number;
  quantity: number;
  /** Where the bot talks to the buyer. */
  chatId: number;
}

/** A new pending order, its reserved items and what it costs. */
export interface CreatedOrder extends OrderWithItems {
  quote: Quote;
  productName: string;
}

/**
 * Checkout's transaction: inserts the order and its line and reserves `quantity` available stock
 * items for it, all or nothing. Items are taken with `FOR UPDATE SKIP LOCKED`, so racing buyers
 * never take the same item: each item row moves from `available` to `reserved` under its row lock,
 * and a buyer who gets fewer than asked rolls everything back (OUT_OF_STOCK). Also throws
 * USER_BANNED, PRODUCT_NOT_FOUND, PRODUCT_INACTIVE, INVALID_QUANTITY.
 */
export async function createOrder(db: Executor, input: CreateOrderInput): Promise<CreatedOrder> {
  return db.transaction(async (tx) => {
    const user = await lockUser(tx, input.userId);
    const [product] = await tx.select().from(storeProducts).where(eq(storeProducts.id, input.productId));
    if (!product) throw productNotFound(input.productId);
    if (!product.isActive) {
      throw new StoreError('PRODUCT_INACTIVE', `product ${product.id} is not for sale`, {
        product_id: product.id,
      });
    }
    const priced = quote(product, input.quantity, user.memberStatus);
    const [order] = await tx
      .insert(storeOrders)
      .values({
        id: newInvoiceId(user.telegramId),
        userId: user.telegramId,
        subtotal: priced.subtotal,
        fee: priced.fee,
        totalBill: priced.total,
        chatId: input.chatId,
      })
      .returning();
    if (!order) throw new Error('insert into store_orders returned no row');
    const reserved = await tx.execute<{ id: number }>(sql`
      update store_stock_items set status = 'reserved', order_id = ${order.id}
      where id in (
        select id from store_stock_items
        where product_id = ${product.id} and status = 'available'
        order by id limit ${priced.quantity}
        for update skip locked
      )
      returning id`);
    const taken = rowsOf(reserved).length;
    if (taken < priced.quantity) {
      throw new StoreError(
        'OUT_OF_STOCK',
        `product ${product.id} has ${taken} of ${priced.quantity} items free`,
        {
          product_id: product.id,
          product_name: product.name,
          requested: priced.quantity,
          available: taken,
        },
      );
    }
    const [item] = await tx
      .insert(storeOrderItems)
      .values({
        orderId: order.id,
        productId: product.id,
        productName: product.name,
        quantity: priced.quantity,
        pricePerUnit: priced.unitPrice,
      })
      .returning();
    if (!item) throw new Error('insert into store_order_items returned no row');
    return { order, items: [item], quote: priced, productName: product.name };
  });
}

/** The buyer's row, locked against a concurrent ban; throws USER_BANNED. */
async function lockUser(tx: Tx, userId: number): Promise<StoreUser> {
  const [user] = await tx.select().from(storeUsers).where(eq(storeUsers.telegramId, userId)).for('share');
  if (!user) throw new StoreError('INVALID_INPUT', `store user ${userId} is unknown`, { user_id: userId });
  if (user.isBanned) throw new StoreError('USER_BANNED', `user ${userId} is banned`, { user_id: userId });
  return user;
}

/** `execute()` answers `{ rows }` on node-postgres and PGlite alike. */
export function rowsOf<T>(result: unknown): T[] {
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

/** Links the payment made for an order (once). */
export async function attachPayment(db: Executor, orderId: string, paymentId: string): Promise<void> {
  await db
    .update(storeOrders)
    .set({ paymentId, updatedAt: sql`now()` })
    .where(and(eq(storeOrders.id, orderId), isNull(storeOrders.paymentId)));
}

/** Remembers the QR photo's message, which the bot edits once the order settles. */
export async function attachQrMessage(db: Executor, orderId: string, messageId: number): Promise<void> {
  await db.update(storeOrders).set({ qrMessageId: messageId }).where(eq(storeOrders.id, orderId));
}

/** Puts an order's reserved items back on sale (inside the caller's transaction). */
export async function releaseItems(tx: Tx, orderId: string): Promise<number> {
  const released = await tx
    .update(storeStockItems)
    .set({ status: 'available', orderId: null })
    .where(and(eq(storeStockItems.orderId, orderId), eq(storeStockItems.status, 'reserved')))
    .returning({ id: storeStockItems.id });
  return released.length;
}

/**
 * A pending order whose payment could not be made: `failed`, its items back on sale. With
 * `buyerTold` the bot already answered the buyer, so nobody tells them again.
 */
export async function failOrder(
  db: Executor,
  orderId: string,
  options: { buyerTold: boolean },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(storeOrders)
      .set({
        status: 'failed',
        closedAt: sql`now()`,
        updatedAt: sql`now()`,
        ...(options.buyerTold && { notifiedAt: sql`now()` }),
      })
      .where(and(eq(storeOrders.id, orderId), eq(storeOrders.status, 'pending')))
      .returning({ id: storeOrders.id });
    if (!row) return false;
    await releaseItems(tx, orderId);
    return true;
  });
}

/** An order and its lines, or null. */
export async function getOrder(db: Executor, orderId: string): Promise<OrderWithItems | null> {
  const [order] = await db.select().from(storeOrders).where(eq(storeOrders.id, orderId));
  if (!order) return null;
  const items = await db
    .select()
    .from(storeOrderItems)
    .where(eq(storeOrderItems.orderId, orderId))
    .orderBy(storeOrderItems.id);
  return { order, items };
}

/** A user's latest orders with their lines, newest first. */
export async function listUserOrders(db: Executor, userId: number, limit = 10): Promise<OrderWithItems[]> {
  const orders = await db
    .select()
    .from(storeOrders)
    .where(eq(storeOrders.userId, userId))
    .orderBy(desc(storeOrders.createdAt), desc(storeOrders.id))
    .limit(limit);
  if (orders.length === 0) return [];
  const items = await db
    .select()
    .from(storeOrderItems)
    .where(
      inArray(
        storeOrderItems.orderId,
        orders.map((order) => order.id),
      ),
    )
    .orderBy(storeOrderItems.id);
  return orders.map((order) => ({ order, items: items.filter((item) => item.orderId === order.id) }));
}
