// The balance wallet (issue 9) on both databases, through the real payment path: every change in
// the append-only ledger whose sum equals the balance; double taps, two devices and replays spend
// once; top-ups credit once; late and mismatched Pakasir payments land in the balance, once.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { payments, storeBalanceLedger, storeOrders } from '../../src/db/schema.js';
import type { Alert } from '../../src/payments/alerts.js';
import { silentLogger } from '../../src/payments/alerts.js';
import { transition } from '../../src/payments/state.js';
import { MIN_QRIS_REST } from '../../src/store/charge.js';
import { getOrder } from '../../src/store/orders.js';
import { createStore, type Store } from '../../src/store/service.js';
import { settleOrder } from '../../src/store/settle.js';
import {
  adjustBalance,
  balanceOf,
  creditBalance,
  ledgerOf,
  spendBalance,
  unbalancedUsers,
} from '../../src/store/wallet.js';
import { describeEachDatabase } from '../databases.js';
import { buyer, itemsOf, type StoreStack, startStoreStack, stockedProduct } from './harness.js';

describeEachDatabase('store balance wallet', (getDatabase) => {
  let s: StoreStack;
  let store: Store;
  const storeAlerts: Alert[] = [];

  beforeAll(async () => {
    s = await startStoreStack(getDatabase());
    store = createStore({
      db: s.db,
      payments: s.stack.service,
      account: s.account,
      logger: silentLogger,
      alerts: (alert) => storeAlerts.push(alert),
    });
  });
  afterAll(async () => {
    await s?.close();
  });

  const funded = async (amount: number) => {
    const user = await buyer(s.db);
    if (amount > 0) await creditBalance(s.db, { userId: user.telegramId, amount, reason: 'adjustment' });
    return user;
  };
  const expectConsistent = async () => expect(await unbalancedUsers(s.db)).toEqual([]);
  const expire = (paymentId: string) =>
    s.db.transaction((tx) => transition(tx, paymentId, 'expired', { source: 'sweeper' }));

  it('pays an order whole from the balance: no QRIS, sold at once, one ledger debit', async () => {
    const { product, contents } = await stockedProduct(s.db, { stock: 2, customerPrice: 40_000 });
    const user = await funded(100_000);
    const bought = await store.buy({
      userId: user.telegramId,
      productId: product.id,
      quantity: 1,
      chatId: user.telegramId,
      balance: 'full',
    });
    expect(bought.payment).toBeNull();
    expect(bought.charge).toMatchObject({ balancePaid: 40_000, fee: 0, qrisAmount: 0, method: 'balance' });
    const stored = await getOrder(s.db, bought.order.id);
    expect(stored?.order).toMatchObject({ status: 'paid', balancePaid: 40_000, totalBill: 40_000 });
    expect(stored?.items[0]?.content).toBe(contents[0]);
    expect(await balanceOf(s.db, user.telegramId)).toEqual({
      balance: 60_000,
      ledgerSum: 60_000,
      entries: 2,
    });
    const [debit] = await ledgerOf(s.db, user.telegramId, { limit: 1 });
    expect(debit).toMatchObject({
      reason: 'order_payment',
      delta: -40_000,
      balanceAfter: 60_000,
      orderId: bought.order.id,
    });
    await expectConsistent();
  });

  it('10 concurrent double taps of "pay with balance" (one checkout key) spend once', async () => {
    const { product } = await stockedProduct(s.db, { stock: 10, customerPrice: 10_000 });
    const user = await funded(100_000);
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () =>
        store.buy({
          userId: user.telegramId,
          productId: product.id,
          quantity: 1,
          chatId: user.telegramId,
          balance: 'full',
          checkoutKey: 'summary:42',
        }),
      ),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    expect(ok).toHaveLength(1);
    for (const r of results.filter((r) => r.status === 'rejected')) {
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'DUPLICATE_REQUEST' });
    }
    expect((await balanceOf(s.db, user.telegramId)).balance).toBe(90_000);
    expect((await itemsOf(s.db, product.id)).sold).toHaveLength(1);
    await expectConsistent();
  });

  it('two devices (10 different taps) cannot spend the same rupiah twice', async () => {
    const { product } = await stockedProduct(s.db, { stock: 10, customerPrice: 30_000 });
    const user = await funded(50_000);
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        store.buy({
          userId: user.telegramId,
          productId: product.id,
          quantity: 1,
          chatId: user.telegramId,
          balance: 'full',
          checkoutKey: `device-${i}`,
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r) => r.status === 'rejected')) {
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'INSUFFICIENT_BALANCE' });
    }
    expect((await balanceOf(s.db, user.telegramId)).balance).toBe(20_000);
    const items = await itemsOf(s.db, product.id);
    expect(items.sold).toHaveLength(1);
    expect(items.reserved).toHaveLength(0);
    await expectConsistent();
  });

  it('a replayed debit of one order (10 concurrent spendBalance) debits once', async () => {
    const { product } = await stockedProduct(s.db, { stock: 1 });
    const user = await funded(200_000);
    const { order } = await store.checkout({
      userId: user.telegramId,
      productId: product.id,
      quantity: 1,
      chatId: user.telegramId,
    });
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        spendBalance(s.db, { userId: user.telegramId, orderId: order.id, amount: 5_000 }),
      ),
    );
    expect(results.filter((r) => r.applied)).toHaveLength(1);
    expect(new Set(results.map((r) => r.entry.id)).size).toBe(1);
    expect((await balanceOf(s.db, user.telegramId)).balance).toBe(195_000);
    await expectConsistent();
  });

  it('balance + QRIS: the rest by QRIS with its fee; an expired order refunds the balance part once', async () => {
    const { product } = await stockedProduct(s.db, { stock: 1, customerPrice: 50_000 });
    const user = await funded(20_000);
    const bought = await store.buy({
      userId: user.telegramId,
      productId: product.id,
      quantity: 1,
      chatId: user.telegramId,
      balance: 'partial',
    });
    expect(bought.charge).toMatchObject({
      balancePaid: 20_000,
      fee: 520,
      qrisAmount: 30_520,
      method: 'balance+qris',
    });
    expect(bought.payment?.amount).toBe(30_520);
    expect((await balanceOf(s.db, user.telegramId)).balance).toBe(0);
    await expire(bought.payment?.id ?? '');
    await Promise.all([
      settleOrder(s.db, bought.order.id),
      settleOrder(s.db, bought.order.id),
      store.sweep(),
    ]);
    expect((await getOrder(s.db, bought.order.id))?.order.status).toBe('expired');
    expect(await balanceOf(s.db, user.telegramId)).toMatchObject({ balance: 20_000, ledgerSum: 20_000 });
    expect((await itemsOf(s.db, product.id)).available).toHaveLength(1);
    await expectConsistent();
  });

  it('balance + QRIS paid: the QRIS part settles the order, the balance part stays spent', async () => {
    const { product } = await stockedProduct(s.db, { stock: 1, customerPrice: 50_000 });
    const user = await funded(49_900);
    const bought = await store.buy({
      userId: user.telegramId,
      productId: product.id,
      quantity: 1,
      chatId: user.telegramId,
      balance: 'partial',
    });
    // Rp 100 would be below Pakasir's minimum: the QRIS part is raised to MIN_QRIS_REST.
    expect(bought.charge.balancePaid).toBe(50_000 - MIN_QRIS_REST);
    expect(bought.payment?.amount).toBeGreaterThanOrEqual(1000);
    s.stack.sandbox.pay(bought.payment?.id ?? '');
    await s.stack.sandbox.webhooks.idle();
    await store.refresh(bought.order.id);
    expect((await getOrder(s.db, bought.order.id))?.order.status).toBe('paid');
    expect((await balanceOf(s.db, user.telegramId)).balance).toBe(49_900 - (50_000 - MIN_QRIS_REST));
    await expectConsistent();
  });

  it('a QRIS top-up (>= Rp 10.000, fee shown) credits the balance exactly once', async () => {
    const user = await funded(0);
    await expect(store.topup({ userId: user.telegramId, chatId: 1, amount: 9_999 })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    const topup = await store.topup({ userId: user.telegramId, chatId: user.telegramId, amount: 25_000 });
    expect(topup).toMatchObject({ amount: 25_000, fee: 485 });
    expect(topup.payment.amount).toBe(25_485);
    s.stack.sandbox.pay(topup.payment.id, { webhookFaults: { duplicate: true } });
    await s.stack.sandbox.webhooks.idle();
    await Promise.all([
      store.refresh(topup.order.id),
      store.refresh(topup.order.id),
      settleOrder(s.db, topup.order.id),
      store.sweep(),
    ]);
    expect((await getOrder(s.db, topup.order.id))?.order).toMatchObject({ status: 'paid', kind: 'topup' });
    expect(await balanceOf(s.db, user.telegramId)).toEqual({
      balance: 25_000,
      ledgerSum: 25_000,
      entries: 1,
    });
    await expectConsistent();
  });

  it('a late Pakasir payment lands in the balance once, and the admins are told', async () => {
    const { product } = await stockedProduct(s.db, { stock: 1 });
    const user = await funded(0);
    const order = await store.checkout({
      userId: user.telegramId,
      productId: product.id,
      quantity: 1,
      chatId: user.telegramId,
    });
    await expire(order.payment.id);
    await store.sweep();
    s.stack.sandbox.pay(order.payment.id);
    await s.stack.sandbox.webhooks.idle();
    const [first, second] = [await store.sweep(), await store.sweep()];
    await store.refresh(order.order.id);
    expect(first.credited.map((c) => c.orderId)).toEqual([order.order.id]);
    expect(second.credited).toEqual([]);
    const [entry] = await ledgerOf(s.db, user.telegramId);
    expect(entry).toMatchObject({
      reason: 'late_payment',
      delta: order.payment.amount,
      paymentId: order.payment.id,
    });
    expect(await balanceOf(s.db, user.telegramId)).toMatchObject({
      balance: order.payment.amount,
      entries: 1,
    });
    expect(storeAlerts.filter((a) => a.paymentId === order.payment.id)).toEqual([
      expect.objectContaining({
        kind: 'balance_credited',
        message: expect.stringContaining('credited to the balance'),
        detail: expect.objectContaining({ reason: 'late_payment', user_id: user.telegramId }),
      }),
    ]);
    await expectConsistent();
  });

  it('a payment of another amount is credited whole once its payment closed, never lost', async () => {
    const { product } = await stockedProduct(s.db, { stock: 1 });
    const user = await funded(0);
    const order = await store.checkout({
      userId: user.telegramId,
      productId: product.id,
      quantity: 1,
      chatId: user.telegramId,
    });
    s.stack.sandbox.pay(order.payment.id, { webhookFaults: { wrongAmount: true } });
    await s.stack.sandbox.webhooks.idle();
    expect((await store.sweep()).credited).toEqual([]); // still pending: nothing to credit yet
    await expire(order.payment.id);
    const report = await store.sweep();
    const [payment] = await s.db.select().from(payments).where(eq(payments.id, order.payment.id));
    expect(payment?.paidAmount).toBe(order.payment.amount + 1);
    expect(report.credited).toEqual([
      expect.objectContaining({
        orderId: order.order.id,
        reason: 'overpayment',
        amount: order.payment.amount + 1,
      }),
    ]);
    expect((await balanceOf(s.db, user.telegramId)).balance).toBe(order.payment.amount + 1);
    expect((await store.sweep()).credited).toEqual([]);
    expect(storeAlerts.some((a) => a.paymentId === order.payment.id && a.kind === 'balance_credited')).toBe(
      true,
    );
    await expectConsistent();
  });

  it('keeps the ledger append-only and the balance never negative', async () => {
    const user = await funded(1_000);
    await expect(
      adjustBalance(s.db, { userId: user.telegramId, delta: -1_001, note: 'test' }),
    ).rejects.toMatchObject({
      code: 'INSUFFICIENT_BALANCE',
    });
    await adjustBalance(s.db, { userId: user.telegramId, delta: -1_000, note: 'admin 1: correction' });
    expect(await balanceOf(s.db, user.telegramId)).toEqual({ balance: 0, ledgerSum: 0, entries: 2 });
    await expect(
      s.db.update(storeBalanceLedger).set({ delta: 5 }).where(eq(storeBalanceLedger.userId, user.telegramId)),
    ).rejects.toThrow();
    await expect(
      s.db.delete(storeBalanceLedger).where(eq(storeBalanceLedger.userId, user.telegramId)),
    ).rejects.toThrow();
    // The database refuses an order whose balance part exceeds its bill.
    const [any] = await s.db.select({ id: storeOrders.id }).from(storeOrders).limit(1);
    await expect(
      s.db.execute(sql`update store_orders set balance_paid = total_bill + 1 where id = ${any?.id ?? ''}`),
    ).rejects.toThrow();
    await expectConsistent();
  });
});
