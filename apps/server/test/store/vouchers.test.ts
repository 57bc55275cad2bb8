// Vouchers (issue 9) on both databases: percentage or fixed, product restriction, expiry, total and
// per-user limits, consumed in the order's transaction (a single-use voucher raced by 10 users is
// used once) and given back when the order closes unpaid.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { storeVouchers, storeVoucherUses } from '../../src/db/schema.js';
import { transition } from '../../src/payments/state.js';
import { settleOrder } from '../../src/store/settle.js';
import { createVoucher, disableVoucher, listVouchers } from '../../src/store/vouchers.js';
import { describeEachDatabase } from '../databases.js';
import { buyer, type StoreStack, startStoreStack, stockedProduct } from './harness.js';

let codeSerial = 0;
const code = (prefix: string) => `${prefix}${++codeSerial}`;

describeEachDatabase('store vouchers', (getDatabase) => {
  let s: StoreStack;
  beforeAll(async () => {
    s = await startStoreStack(getDatabase());
  });
  afterAll(async () => {
    await s?.close();
  });

  const usedCount = async (voucherCode: string) => {
    const [row] = await s.db.select().from(storeVouchers).where(eq(storeVouchers.code, voucherCode));
    return row?.usedCount;
  };

  it('takes a percentage or a fixed amount off the goods, with the QRIS fee on the rest', async () => {
    const { product } = await stockedProduct(s.db, { stock: 2, customerPrice: 50_000 });
    const pct = await createVoucher(s.db, { code: code('hemat'), kind: 'percent', value: 10 });
    expect(pct.code).toMatch(/^HEMAT\d+$/);
    const fixed = await createVoucher(s.db, { code: code('POTONG'), kind: 'fixed', value: 15_000 });
    const user = await buyer(s.db);
    const a = await s.store.buy({
      userId: user.telegramId,
      productId: product.id,
      quantity: 1,
      chatId: 1,
      voucherCode: pct.code.toLowerCase(),
    });
    expect(a.charge).toMatchObject({ subtotal: 50_000, discount: 5_000, fee: 625, qrisAmount: 45_625 });
    expect(a.payment?.amount).toBe(45_625);
    expect(a.order).toMatchObject({ discount: 5_000, voucherId: pct.id, totalBill: 45_625 });
    const b = await s.store.buy({
      userId: user.telegramId,
      productId: product.id,
      quantity: 1,
      chatId: 1,
      voucherCode: fixed.code,
    });
    expect(b.charge).toMatchObject({ discount: 15_000, qrisAmount: 35_000 + 555 });
    expect(await usedCount(pct.code)).toBe(1);
  });

  it('refuses a voucher for another product, expired, disabled, unknown or over its per-user limit', async () => {
    const { product } = await stockedProduct(s.db, { stock: 5 });
    const { product: other } = await stockedProduct(s.db, { stock: 1 });
    const user = await buyer(s.db);
    const buy = (voucherCode: string) =>
      s.store.buy({ userId: user.telegramId, productId: product.id, quantity: 1, chatId: 1, voucherCode });
    const onlyOther = await createVoucher(s.db, {
      code: code('ONLY'),
      kind: 'fixed',
      value: 1000,
      productId: other.id,
    });
    await expect(buy(onlyOther.code)).rejects.toMatchObject({
      code: 'VOUCHER_INVALID',
      details: { reason: 'wrong_product' },
    });
    const old = await createVoucher(s.db, {
      code: code('OLD'),
      kind: 'fixed',
      value: 1000,
      expiresAt: new Date(Date.now() + 60_000),
    });
    await s.db
      .update(storeVouchers)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(storeVouchers.id, old.id));
    await expect(buy(old.code)).rejects.toMatchObject({ details: { reason: 'expired' } });
    const off = await createVoucher(s.db, { code: code('OFF'), kind: 'fixed', value: 1000 });
    expect((await disableVoucher(s.db, off.code)).isActive).toBe(false);
    await expect(buy(off.code)).rejects.toMatchObject({ details: { reason: 'inactive' } });
    await expect(buy('NOPE-404')).rejects.toMatchObject({ details: { reason: 'not_found' } });
    const once = await createVoucher(s.db, {
      code: code('ONCE'),
      kind: 'fixed',
      value: 1000,
      maxUsesPerUser: 1,
    });
    await buy(once.code);
    await expect(buy(once.code)).rejects.toMatchObject({ details: { reason: 'user_limit' } });
    expect(await usedCount(once.code)).toBe(1);
    const all = await listVouchers(s.db);
    expect(all.map((v) => v.code)).toEqual(expect.arrayContaining([onlyOther.code, once.code]));
    expect((await listVouchers(s.db, { activeOnly: true })).some((v) => v.code === off.code)).toBe(false);
    await expect(createVoucher(s.db, { code: once.code, kind: 'fixed', value: 5 })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(createVoucher(s.db, { code: 'X1', kind: 'percent', value: 10 })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(
      createVoucher(s.db, { code: code('PCT'), kind: 'percent', value: 101 }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });

  it('a single-use voucher raced by 10 users is used exactly once', async () => {
    const { product } = await stockedProduct(s.db, { stock: 10 });
    const single = await createVoucher(s.db, {
      code: code('SEKALI'),
      kind: 'percent',
      value: 50,
      maxUses: 1,
    });
    const users = await Promise.all(Array.from({ length: 10 }, () => buyer(s.db)));
    const results = await Promise.allSettled(
      users.map((user) =>
        s.store.buy({
          userId: user.telegramId,
          productId: product.id,
          quantity: 1,
          chatId: 1,
          voucherCode: single.code,
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r) => r.status === 'rejected')) {
      expect((r as PromiseRejectedResult).reason).toMatchObject({
        code: 'VOUCHER_INVALID',
        details: { reason: 'exhausted' },
      });
    }
    expect(await usedCount(single.code)).toBe(1);
    const uses = await s.db.select().from(storeVoucherUses).where(eq(storeVoucherUses.voucherId, single.id));
    expect(uses).toHaveLength(1);
  });

  it('gives the use back when the order expires unpaid, and keeps it when paid', async () => {
    const { product } = await stockedProduct(s.db, { stock: 3 });
    const single = await createVoucher(s.db, {
      code: code('BALIK'),
      kind: 'fixed',
      value: 2_000,
      maxUses: 1,
    });
    const user = await buyer(s.db);
    const first = await s.store.buy({
      userId: user.telegramId,
      productId: product.id,
      quantity: 1,
      chatId: 1,
      voucherCode: single.code,
    });
    await s.db.transaction((tx) => transition(tx, first.payment?.id ?? '', 'expired', { source: 'sweeper' }));
    await Promise.all([settleOrder(s.db, first.order.id), settleOrder(s.db, first.order.id)]);
    expect(await usedCount(single.code)).toBe(0);
    const [released] = await s.db
      .select()
      .from(storeVoucherUses)
      .where(eq(storeVoucherUses.orderId, first.order.id));
    expect(released?.releasedAt).not.toBeNull();
    const second = await s.store.buy({
      userId: user.telegramId,
      productId: product.id,
      quantity: 1,
      chatId: 1,
      voucherCode: single.code,
    });
    s.stack.sandbox.pay(second.payment?.id ?? '');
    await s.stack.sandbox.webhooks.idle();
    await s.store.refresh(second.order.id);
    expect((await s.store.getOrder(second.order.id))?.order.status).toBe('paid');
    expect(await usedCount(single.code)).toBe(1);
    await expect(
      s.store.buy({
        userId: user.telegramId,
        productId: product.id,
        quantity: 1,
        chatId: 1,
        voucherCode: single.code,
      }),
    ).rejects.toMatchObject({ details: { reason: 'exhausted' } });
  });

  it('a 100% voucher with no QRIS left sells at once', async () => {
    const { product, contents } = await stockedProduct(s.db, { stock: 1, customerPrice: 20_000 });
    const free = await createVoucher(s.db, { code: code('GRATIS'), kind: 'percent', value: 100, maxUses: 1 });
    const user = await buyer(s.db);
    const bought = await s.store.buy({
      userId: user.telegramId,
      productId: product.id,
      quantity: 1,
      chatId: 1,
      voucherCode: free.code,
    });
    expect(bought.payment).toBeNull();
    expect(bought.charge).toMatchObject({ discount: 20_000, total: 0, qrisAmount: 0 });
    const stored = await s.store.getOrder(bought.order.id);
    expect(stored?.order.status).toBe('paid');
    expect(stored?.items[0]?.content).toBe(contents[0]);
  });
});
