// `GET /admin/stats` serves the Telegram store's statistics (the bot's /stats) under `store`, in
// seed 003's admin statistics shape, on both databases.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { storeOrders, storeProducts } from '../../src/db/schema.js';
import { createOrder } from '../../src/store/orders.js';
import { adminStats } from '../../src/store/stats.js';
import { describeEachDatabase } from '../databases.js';
import { type Harness, startHarness, testConfig } from '../http-harness.js';
import { buyer, stockedProduct } from './harness.js';

describeEachDatabase('GET /admin/stats: the store', (getDatabase) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(getDatabase(), { config: testConfig({ adminApiKey: 'admin-secret' }) });
  });
  afterAll(() => h.close());

  it("answers seed 003's store statistics, the same numbers as /stats", async () => {
    const { db } = getDatabase();
    const get = async () => {
      const res = await h.app.inject({
        url: '/admin/stats',
        headers: { authorization: 'Bearer admin-secret' },
      });
      expect(res.statusCode).toBe(200);
      return res.json().store;
    };
    expect(await get()).toEqual({
      total_users: 0,
      total_transactions: 0,
      active_orders: 0,
      revenue_today: 0,
      top_products: [],
    });
    const { product } = await stockedProduct(db, {
      stock: 3,
      name: 'Netflix Premium',
      customerPrice: 50_000,
    });
    const [first, second] = [await buyer(db), await buyer(db)];
    if (!first || !second) throw new Error('no buyers');
    await createOrder(db, { userId: first.telegramId, productId: product.id, quantity: 1, chatId: 1 });
    const paid = await createOrder(db, {
      userId: second.telegramId,
      productId: product.id,
      quantity: 2,
      chatId: 1,
    });
    // As settlement leaves a paid order (the settle path has its own tests).
    await db
      .update(storeOrders)
      .set({ status: 'paid', paidAt: new Date() })
      .where(eq(storeOrders.id, paid.order.id));
    await db.update(storeProducts).set({ soldCount: 2 }).where(eq(storeProducts.id, product.id));

    const store = await get();
    expect(store).toEqual({
      total_users: 2,
      total_transactions: 1,
      active_orders: 1,
      revenue_today: 100_000,
      top_products: [{ id: product.id, name: 'Netflix Premium', sold: 2 }],
    });
    const direct = await adminStats(db);
    expect(store.revenue_today).toBe(direct.revenueToday);
    expect(store.top_products).toEqual(direct.topProducts);
  });
});
