import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import {
  type StoreOrder,
  type StoreOrderItem,
  type StoreUser,
  storeOrderItems,
  storeOrders,
  storeProducts,
  storeUsers,
} from '../db/schema.js';
import type { Executor, Tx } from '../db/types.js';
import { productNotFound } from './catalog.js';
import { type BalanceUse, type Charge, charge } from './charge.js';
import { giveBack } from './close.js';
import { StoreError } from './errors.js';
import { newInvoiceId } from './ids.js';
import { type Quote, quote } from './pricing.js';
import { sell } from './settle.js';
import { stockCipherOf } from './stock-crypto.js';
import { claimVoucher, recordVoucherUse } from './vouchers.js';
import { applyBalanceChange } from './wallet.js';

export { releaseItems } from './close.js';

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
  /** A voucher code to apply (claimed in the order's transaction). */
  voucherCode?: string | undefined;
  /** Pay from the balance: not at all (default), the whole bill (or refuse), or what it holds. */
  balance?: BalanceUse | undefined;
  /**
   * Identifies the button press (e.g. chat + message id of the summary): a second order with the
   * same key for the same buyer is refused with DUPLICATE_REQUEST, so a double tap buys once.
   */
  checkoutKey?: string | undefined;
}

/** A new order (pending, or already `paid` when no QRIS is needed), its items and what it costs. */
export interface CreatedOrder extends OrderWithItems {
  /** The goods' price before discount and balance (unit price, subtotal, the QRIS-only fee and total). */
  quote: Quote;
  /** How the bill is split: discount, balance part, QRIS part (`qrisAmount` 0: paid already). */
  charge: Charge;
  productName: string;
}

/**
 * Checkout's transaction: inserts the order and its line and reserves `quantity` available stock
 * items for it, all or nothing. Items are taken with `FOR UPDATE SKIP LOCKED`, so racing buyers
 * never take the same item: each item row moves from `available` to `reserved` under its row lock,
 * and a buyer who gets fewer than asked rolls everything back (OUT_OF_STOCK). In the same
 * transaction, under the buyer's row lock: the checkout key is checked (DUPLICATE_REQUEST), the
 * voucher claimed (VOUCHER_INVALID), the balance part debited through the ledger
 * (INSUFFICIENT_BALANCE); an order with nothing left for QRIS is sold right away (`paid`).
 * Also throws USER_BANNED, PRODUCT_NOT_FOUND, PRODUCT_INACTIVE, INVALID_QUANTITY.
 */
export async function createOrder(db: Executor, input: CreateOrderInput): Promise<CreatedOrder> {
  return db.transaction(async (tx) => {
    const user = await lockUser(tx, input.userId);
    if (input.checkoutKey !== undefined) await refuseRepeat(tx, user.telegramId, input.checkoutKey);
    const [product] = await tx.select().from(storeProducts).where(eq(storeProducts.id, input.productId));
    if (!product) throw productNotFound(input.productId);
    if (!product.isActive) {
      throw new StoreError('PRODUCT_INACTIVE', `product ${product.id} is not for sale`, {
        product_id: product.id,
      });
    }
    const priced = quote(product, input.quantity, user.memberStatus);
    const claimed = input.voucherCode
      ? await claimVoucher(tx, {
          code: input.voucherCode,
          userId: user.telegramId,
          productId: product.id,
          subtotal: priced.subtotal,
        })
      : null;
    const bill = charge({
      subtotal: priced.subtotal,
      discount: claimed?.discount ?? 0,
      balance: user.accountBalance,
      use: input.balance ?? 'none',
    });
    const [inserted] = await tx
      .insert(storeOrders)
      .values({
        id: newInvoiceId(user.telegramId),
        userId: user.telegramId,
        subtotal: bill.subtotal,
        discount: bill.discount,
        fee: bill.fee,
        totalBill: bill.total,
        balancePaid: bill.balancePaid,
        paymentMethod: bill.method,
        voucherId: bill.discount > 0 ? (claimed?.voucher.id ?? null) : null,
        checkoutKey: input.checkoutKey ?? null,
        chatId: input.chatId,
      })
      .returning();
    if (!inserted) throw new Error('insert into store_orders returned no row');
    let order = inserted;
    if (claimed && bill.discount > 0) {
      await recordVoucherUse(tx, {
        voucherId: claimed.voucher.id,
        orderId: order.id,
        userId: user.telegramId,
        discount: bill.discount,
      });
    }
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
    if (bill.balancePaid > 0) {
      await applyBalanceChange(tx, {
        userId: user.telegramId,
        delta: -bill.balancePaid,
        reason: 'order_payment',
        orderId: order.id,
      });
    }
    if (bill.qrisAmount === 0) order = await sell(tx, order);
    return { order, items: [item], quote: priced, charge: bill, productName: product.name };
  });
}

/** DUPLICATE_REQUEST when this buyer already made an order with `checkoutKey`. */
export async function refuseRepeat(tx: Tx, userId: number, checkoutKey: string): Promise<void> {
  const [earlier] = await tx
    .select({ id: storeOrders.id })
    .from(storeOrders)
    .where(and(eq(storeOrders.userId, userId), eq(storeOrders.checkoutKey, checkoutKey)));
  if (earlier) {
    throw new StoreError('DUPLICATE_REQUEST', `order ${earlier.id} was already made by this request`, {
      order_id: earlier.id,
    });
  }
}

/**
 * The buyer's row, locked against a concurrent ban and the buyer's other checkouts and balance
 * changes (which take the same lock); throws USER_BANNED.
 */
export async function lockUser(tx: Tx, userId: number): Promise<StoreUser> {
  const [user] = await tx
    .select()
    .from(storeUsers)
    .where(eq(storeUsers.telegramId, userId))
    .for('no key update');
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
      .returning();
    if (!row) return false;
    await giveBack(tx, row);
    return true;
  });
}

/** An order and its lines (contents opened with the database's stock cipher), or null. */
export async function getOrder(db: Executor, orderId: string): Promise<OrderWithItems | null> {
  const [order] = await db.select().from(storeOrders).where(eq(storeOrders.id, orderId));
  if (!order) return null;
  const items = await db
    .select()
    .from(storeOrderItems)
    .where(eq(storeOrderItems.orderId, orderId))
    .orderBy(storeOrderItems.id);
  return { order, items: openContents(db, items) };
}

/** Order lines with their delivered contents in clear (StockKeyError without the key). */
function openContents(db: Executor, items: StoreOrderItem[]): StoreOrderItem[] {
  const cipher = stockCipherOf(db);
  return items.map((item) =>
    item.content === null ? item : { ...item, content: cipher.openAll(item.content) },
  );
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
  const opened = openContents(db, items);
  return orders.map((order) => ({ order, items: opened.filter((item) => item.orderId === order.id) }));
}

/** What admins see of an order (/order): the order and its lines without their contents. */
export interface OrderSummary {
  order: StoreOrder;
  lines: { productId: number; productName: string; quantity: number }[];
}

/** An order for admins, without decrypting or returning any delivered content; null when unknown. */
export async function findOrderSummary(db: Executor, orderId: string): Promise<OrderSummary | null> {
  const [order] = await db.select().from(storeOrders).where(eq(storeOrders.id, orderId));
  if (!order) return null;
  const lines = await db
    .select({
      productId: storeOrderItems.productId,
      productName: storeOrderItems.productName,
      quantity: storeOrderItems.quantity,
    })
    .from(storeOrderItems)
    .where(eq(storeOrderItems.orderId, orderId))
    .orderBy(storeOrderItems.id);
  return { order, lines };
}
