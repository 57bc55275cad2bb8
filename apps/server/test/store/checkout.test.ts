// Checkout on both databases: orders reserve their stock in the order's own transaction, racing
// buyers never oversell, a failed payment gives the stock back, and refusals leave nothing behind.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { payments, storeOrders, storeStockItems } from '../../src/db/schema.js';
import { setActive } from '../../src/store/catalog.js';
import { isStoreError } from '../../src/store/errors.js';
import { createOrder, getOrder } from '../../src/store/orders.js';
import { setBanned, setMemberStatus } from '../../src/store/users.js';
import { describeEachDatabase } from '../databases.js';
import { refusal } from '../fixtures.js';
import { buyer, itemsOf, type StoreStack, startStoreStack, stockedProduct } from './harness.js';

async function storeError(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isStoreError(error)) return error.code;
    throw error;
  }
  throw new Error('expected a StoreError');
}

describeEachDatabase('store checkout', (getDatabase) => {
  let s: StoreStack;
  beforeAll(async () => {
    s = await startStoreStack(getDatabase());
  });
  afterAll(async () => {
    await s?.close();
  });

  it('creates a pending order with reserved items and a QRIS payment of total = subtotal + seed 003 fee', async () => {
    const { product } = await stockedProduct(s.db, { stock: 5, customerPrice: 50_000 });
    const user = await buyer(s.db, { username: 'budi' });
    const checkout = await s.store.checkout({
      userId: user.telegramId,
      productId: product.id,
      quantity: 2,
      chatId: user.telegramId,
      username: 'budi',
    });
    // 100,000 × 0.7% = 700, + 310.
    expect(checkout.quote).toEqual({
      unitPrice: 50_000,
      quantity: 2,
      subtotal: 100_000,
      fee: 1010,
      total: 101_010,
    });
    expect(checkout.order.id).toMatch(new RegExp(`^tg${user.telegramId}-[A-Z0-9]{8}$`));
    expect(checkout.payment).toMatchObject({
      amount: 101_010,
      transactionId: checkout.order.id,
      status: 'pending',
    });
    expect(checkout.payment.qrContent).toMatch(/^000201/);
    expect(checkout.payment.metadata).toMatchObject({
      telegram_id: user.telegramId,
      telegram_username: 'budi',
      quantity: 2,
    });
    const stored = await getOrder(s.db, checkout.order.id);
    expect(stored?.order).toMatchObject({
      status: 'pending',
      paymentId: checkout.payment.id,
      totalBill: 101_010,
      fee: 1010,
    });
    expect(stored?.items).toEqual([
      expect.objectContaining({ productId: product.id, quantity: 2, pricePerUnit: 50_000, content: null }),
    ]);
    const items = await itemsOf(s.db, product.id);
    expect(items.reserved.map((i) => i.orderId)).toEqual([checkout.order.id, checkout.order.id]);
    expect(items.available).toHaveLength(3);
  });

  it('prices resellers at the reseller price', async () => {
    const { product } = await stockedProduct(s.db, {
      stock: 1,
      customerPrice: 50_000,
      resellerPrice: 45_000,
    });
    const user = await buyer(s.db);
    await setMemberStatus(s.db, user.telegramId, 'reseller');
    const checkout = await s.store.checkout({
      userId: user.telegramId,
      productId: product.id,
      quantity: 1,
      chatId: 1,
    });
    expect(checkout.quote).toMatchObject({ unitPrice: 45_000, fee: 625, total: 45_625 });
  });

  it('refuses more than the stock, and rolls the order back entirely', async () => {
    const { product } = await stockedProduct(s.db, { stock: 2 });
    const user = await buyer(s.db);
    const [before] = await s.db.select({ n: sql<number>`count(*)::int` }).from(storeOrders);
    await expect(
      storeError(
        s.store.checkout({ userId: user.telegramId, productId: product.id, quantity: 3, chatId: 1 }),
      ),
    ).resolves.toBe('OUT_OF_STOCK');
    const [after] = await s.db.select({ n: sql<number>`count(*)::int` }).from(storeOrders);
    expect(after?.n).toBe(before?.n);
    expect((await itemsOf(s.db, product.id)).available).toHaveLength(2);
  });

  it('refuses banned buyers and inactive products', async () => {
    const { product } = await stockedProduct(s.db, { stock: 2 });
    const banned = await buyer(s.db);
    await setBanned(s.db, banned.telegramId, true);
    await expect(
      storeError(
        createOrder(s.db, { userId: banned.telegramId, productId: product.id, quantity: 1, chatId: 1 }),
      ),
    ).resolves.toBe('USER_BANNED');
    const user = await buyer(s.db);
    await setActive(s.db, product.id, false);
    await expect(
      storeError(
        createOrder(s.db, { userId: user.telegramId, productId: product.id, quantity: 1, chatId: 1 }),
      ),
    ).resolves.toBe('PRODUCT_INACTIVE');
    await expect(
      storeError(createOrder(s.db, { userId: user.telegramId, productId: 999_999, quantity: 1, chatId: 1 })),
    ).resolves.toBe('PRODUCT_NOT_FOUND');
    expect((await itemsOf(s.db, product.id)).available).toHaveLength(2);
  });

  it('never oversells: 16 buyers racing for the last 5 items, some taking 2', async () => {
    const { product } = await stockedProduct(s.db, { stock: 5 });
    const users = await Promise.all(Array.from({ length: 16 }, () => buyer(s.db)));
    const results = await Promise.allSettled(
      users.map((user, i) =>
        createOrder(s.db, {
          userId: user.telegramId,
          productId: product.id,
          quantity: i % 3 === 0 ? 2 : 1,
          chatId: 1,
        }),
      ),
    );
    const won = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    for (const r of results)
      if (r.status === 'rejected') expect(isStoreError(r.reason, 'OUT_OF_STOCK')).toBe(true);
    const taken = won.reduce((sum, o) => sum + o.quote.quantity, 0);
    expect(taken).toBeLessThanOrEqual(5);
    const items = await itemsOf(s.db, product.id);
    expect(items.reserved).toHaveLength(taken);
    for (const order of won) {
      expect(items.reserved.filter((i) => i.orderId === order.order.id)).toHaveLength(order.quote.quantity);
    }
    // Contention may turn a buyer away while others' reservations are in flight, but no item is
    // lost: what was not reserved is still for sale, one by one, and then the stock is gone.
    expect(items.available).toHaveLength(5 - taken);
    const late = await buyer(s.db);
    for (let i = taken; i < 5; i++) {
      await createOrder(s.db, { userId: late.telegramId, productId: product.id, quantity: 1, chatId: 1 });
    }
    await expect(
      storeError(
        createOrder(s.db, { userId: late.telegramId, productId: product.id, quantity: 1, chatId: 1 }),
      ),
    ).resolves.toBe('OUT_OF_STOCK');
  });

  it('fails the order and gives its stock back when the gateway cannot make the payment', async () => {
    const { product } = await stockedProduct(s.db, { stock: 1 });
    const user = await buyer(s.db);
    s.stack.sandbox.faults.set({ errors: [503] });
    const error = await s.store
      .checkout({ userId: user.telegramId, productId: product.id, quantity: 1, chatId: 1 })
      .catch((e: unknown) => e);
    expect(isStoreError(error, 'PAYMENT_FAILED')).toBe(true);
    const orderId = (error as { details: { order_id: string } }).details.order_id;
    const stored = await getOrder(s.db, orderId);
    expect(stored?.order.status).toBe('failed');
    // The bot answered the buyer itself: nobody is to tell them again.
    expect(stored?.order.notifiedAt).not.toBeNull();
    expect((await itemsOf(s.db, product.id)).available).toHaveLength(1);
  });

  it('keeps items with their order: the database refuses to move a reserved item or touch a sold one', async () => {
    const { product } = await stockedProduct(s.db, { stock: 1 });
    const user = await buyer(s.db);
    const { order } = await createOrder(s.db, {
      userId: user.telegramId,
      productId: product.id,
      quantity: 1,
      chatId: 1,
    });
    const other = await createOrder(s.db, {
      userId: user.telegramId,
      productId: (await stockedProduct(s.db, { stock: 1 })).product.id,
      quantity: 1,
      chatId: 1,
    });
    expect(
      await refusal(
        s.db
          .update(storeStockItems)
          .set({ orderId: other.order.id })
          .where(eq(storeStockItems.orderId, order.id)),
      ),
    ).toMatch(/reserved by order/);
    await s.db.update(storeStockItems).set({ status: 'sold' }).where(eq(storeStockItems.orderId, order.id));
    expect(
      await refusal(
        s.db
          .update(storeStockItems)
          .set({ status: 'available', orderId: null })
          .where(eq(storeStockItems.orderId, order.id)),
      ),
    ).toMatch(/is sold/);
    expect(await refusal(s.db.delete(storeStockItems).where(eq(storeStockItems.orderId, order.id)))).toMatch(
      /cannot be deleted/,
    );
  });

  it('links each order to exactly one payment of the store partner', async () => {
    const rows = await s.db
      .select({ partnerId: payments.partnerId, n: sql<number>`count(*)::int` })
      .from(storeOrders)
      .innerJoin(payments, eq(payments.id, storeOrders.paymentId))
      .groupBy(payments.partnerId);
    expect(rows.map((r) => r.partnerId)).toEqual([s.account.partnerId]);
  });
});
