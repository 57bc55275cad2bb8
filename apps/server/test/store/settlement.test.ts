// Settlement and delivery on both databases, through the real payment path (sandbox → webhook →
// state machine): a paid order delivers exactly once under duplicated webhooks, a reconciler /
// webhook race and a restart between payment and delivery; expiry and cancel give the stock back.
import { eq, sql } from 'drizzle-orm';
import { Api } from 'grammy';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { Delivery, MAX_INLINE_CONTENT } from '../../src/bot/delivery.js';
import { messagesFor } from '../../src/bot/messages/index.js';
import { licenses, storeOrders } from '../../src/db/schema.js';
import { reconcilePendingPayments } from '../../src/jobs/reconcile.js';
import { expireDuePayments } from '../../src/jobs/sweepers.js';
import { silentLogger } from '../../src/payments/alerts.js';
import { transition } from '../../src/payments/state.js';
import { ensureStoreAccount, keepLicenseFunded, LOW_TOKENS } from '../../src/store/account.js';
import { claimNotification, markNotified } from '../../src/store/notify.js';
import { attachQrMessage, createOrder, getOrder } from '../../src/store/orders.js';
import { settleOrder } from '../../src/store/settle.js';
import { adminStats } from '../../src/store/stats.js';
import { TelegramWorld } from '../bot/telegram-world.js';
import { describeEachDatabase } from '../databases.js';
import { buyer, itemsOf, type StoreStack, startStoreStack, stockedProduct } from './harness.js';

const t = messagesFor();
const TOKEN = '123456:test-token';

describeEachDatabase('store settlement and delivery', (getDatabase) => {
  let s: StoreStack;
  let world: TelegramWorld;
  let delivery: Delivery;

  /** A Delivery as a (new) bot process would have it, talking to `world`. */
  const newDelivery = (leaseMs?: number) => {
    const api = new Api(TOKEN);
    api.config.use(world.transformer());
    return new Delivery({
      store: s.store,
      api,
      logger: silentLogger,
      redact: String,
      ...(leaseMs !== undefined && { leaseMs }),
    });
  };

  /** A checkout whose QR photo exists in the buyer's chat (the bot sent it). */
  const checkout = async (options: { stock?: number; quantity?: number; contents?: string[] } = {}) => {
    const { product, contents } = await stockedProduct(s.db, { stock: options.stock ?? 3 });
    const user = await buyer(s.db);
    const result = await s.store.checkout({
      userId: user.telegramId,
      productId: product.id,
      quantity: options.quantity ?? 1,
      chatId: user.telegramId,
    });
    const photo = world.answer('sendPhoto', { chat_id: user.telegramId, caption: 'QR' });
    if (photo.ok)
      await attachQrMessage(s.db, result.order.id, (photo.result as { message_id: number }).message_id);
    return { ...result, product, contents, user };
  };

  const contentMessages = (chatId: number) =>
    world.callsOf('sendMessage', chatId).filter((c) => String(c.payload.text).startsWith('📦'));
  const confirmations = (chatId: number) =>
    world
      .callsOf('sendMessage', chatId)
      .filter((c) => String(c.payload.text).startsWith('🎉 Pesanan berhasil!'));

  beforeAll(async () => {
    s = await startStoreStack(getDatabase(), { orphanAfterMs: 0 });
  });
  afterAll(async () => {
    await s?.close();
  });
  beforeEach(() => {
    world = new TelegramWorld();
    delivery = newDelivery();
  });

  it('delivers a paid order exactly once when the webhook is duplicated and every trigger races', async () => {
    const order = await checkout({ quantity: 2 });
    await delivery.watch(order.order);
    s.stack.sandbox.pay(order.payment.id, { webhookFaults: { duplicate: true } });
    await s.stack.sandbox.webhooks.idle();
    await Promise.all([
      delivery.process(order.order.id),
      delivery.process(order.order.id),
      delivery.sweep(),
      newDelivery().sweep(),
    ]);
    await world.waitForCall((c) => c.method === 'sendMessage' && String(c.payload.text).startsWith('🎉'));
    await delivery.idle();
    expect(s.stack.received.filter((r) => r.status === 200)).toHaveLength(2);
    const stored = await getOrder(s.db, order.order.id);
    expect(stored?.order.status).toBe('delivered');
    expect(stored?.items[0]?.content).toBe(order.contents.slice(0, 2).join('\n\n'));
    const items = await itemsOf(s.db, order.product.id);
    expect(items.sold.map((i) => i.orderId)).toEqual([order.order.id, order.order.id]);
    expect(items.available).toHaveLength(1);
    expect(contentMessages(order.user.telegramId)).toHaveLength(1);
    expect(String(contentMessages(order.user.telegramId)[0]?.payload.text)).toContain(order.contents[0]);
    expect(confirmations(order.user.telegramId)).toHaveLength(1);
    expect(String(confirmations(order.user.telegramId)[0]?.payload.text)).toContain(
      `🧾 Invoice: ${order.order.id}`,
    );
    // The QR photo now says paid, without buttons.
    const edit = world.callsOf('editMessageCaption', order.user.telegramId)[0];
    expect(String(edit?.payload.caption)).toContain('✅ Pembayaran berhasil!');
    expect(edit?.payload.reply_markup).toEqual({ inline_keyboard: [] });
    // Later sweeps find nothing to do.
    await delivery.sweep();
    expect(contentMessages(order.user.telegramId)).toHaveLength(1);
    const [product] = await s.db
      .execute(sql`select sold_count from store_products where id = ${order.product.id}`)
      .then((r) => (r as unknown as { rows: { sold_count: number }[] }).rows);
    expect(product?.sold_count).toBe(2);
  });

  it('delivers once when the reconciler and the webhook race', async () => {
    const order = await checkout();
    await delivery.watch(order.order);
    const later = () => new Date(Date.now() + 3_600_000);
    s.stack.sandbox.pay(order.payment.id);
    await Promise.all([
      reconcilePendingPayments({
        db: s.db,
        provider: s.stack.provider,
        alerts: () => {},
        logger: silentLogger,
        now: later,
      }),
      s.stack.sandbox.webhooks.idle(),
      delivery.sweep(),
    ]);
    await Promise.all([delivery.sweep(), newDelivery().sweep(), delivery.process(order.order.id)]);
    await delivery.idle(); // the watch's own delivery may still be recording itself
    expect((await getOrder(s.db, order.order.id))?.order.status).toBe('delivered');
    expect(contentMessages(order.user.telegramId)).toHaveLength(1);
    expect(confirmations(order.user.telegramId)).toHaveLength(1);
  });

  it('delivers after a restart between payment and delivery, once', async () => {
    const order = await checkout();
    // The old process saw the payment, assigned the goods, and died before telling anyone.
    s.stack.sandbox.pay(order.payment.id, { webhookFaults: { drop: false } });
    await s.stack.sandbox.webhooks.idle();
    expect((await settleOrder(s.db, order.order.id)).order.status).toBe('paid');
    expect(world.calls).toHaveLength(1); // only the QR photo
    // A new process: no watches, nothing in memory; its start-up sweep delivers.
    const restarted = newDelivery();
    expect(await restarted.sweep()).toEqual({ told: 1 });
    expect(await restarted.sweep()).toEqual({ told: 0 });
    expect(contentMessages(order.user.telegramId)).toHaveLength(1);
    expect((await getOrder(s.db, order.order.id))?.order.status).toBe('delivered');
  });

  it('re-delivers an order whose sender died holding the lease, once the lease runs out', async () => {
    const order = await checkout();
    s.stack.sandbox.pay(order.payment.id);
    await s.stack.sandbox.webhooks.idle();
    await settleOrder(s.db, order.order.id);
    // The dead sender's claim: a 300 ms lease.
    expect(await claimNotification(s.db, order.order.id, 300)).not.toBeNull();
    expect(await claimNotification(s.db, order.order.id, 300)).toBeNull();
    expect(await newDelivery().sweep()).toEqual({ told: 0 });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await newDelivery().sweep()).toEqual({ told: 1 });
    expect(contentMessages(order.user.telegramId)).toHaveLength(1);
  });

  it('retries a delivery Telegram refused, and sends long content as a .txt document', async () => {
    const { product } = await stockedProduct(s.db, { stock: 0 });
    const long = `email:big@x.test\npassword:${'x'.repeat(MAX_INLINE_CONTENT)}`;
    await (await import('../../src/store/stock.js')).uploadStock(s.db, {
      productId: product.id,
      contents: [long],
    });
    const user = await buyer(s.db);
    const order = await s.store.checkout({
      userId: user.telegramId,
      productId: product.id,
      quantity: 1,
      chatId: user.telegramId,
    });
    s.stack.sandbox.pay(order.payment.id);
    await s.stack.sandbox.webhooks.idle();
    world.failNext('sendDocument', { error_code: 502, description: 'Bad Gateway' });
    const fast = newDelivery(100);
    expect(await fast.sweep()).toEqual({ told: 0 });
    expect((await getOrder(s.db, order.order.id))?.order.status).toBe('paid');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await fast.sweep()).toEqual({ told: 1 });
    const documents = world.callsOf('sendDocument', user.telegramId);
    expect(documents).toHaveLength(2);
    expect(documents[1]?.files.document?.filename).toBe(`${order.order.id}.txt`);
    expect(documents[1]?.files.document?.data.toString('utf8')).toBe(`${long}\n`);
  });

  it('releases the stock of an expired order and tells the buyer once', async () => {
    const order = await checkout({ stock: 2, quantity: 2 });
    await delivery.watch(order.order);
    const report = await expireDuePayments({
      db: s.db,
      provider: s.stack.provider,
      alerts: () => {},
      logger: silentLogger,
      now: () => new Date(Date.now() + 3_600_000),
    });
    expect(report.expired).toBeGreaterThanOrEqual(1);
    await world.waitForCall((c) => c.method === 'sendMessage' && c.payload.text === t.expired);
    await delivery.idle();
    await delivery.sweep();
    expect((await getOrder(s.db, order.order.id))?.order.status).toBe('expired');
    const items = await itemsOf(s.db, order.product.id);
    expect(items.available).toHaveLength(2);
    expect(items.reserved).toHaveLength(0);
    expect(
      world.callsOf('sendMessage', order.user.telegramId).filter((c) => c.payload.text === t.expired),
    ).toHaveLength(1);
    expect(String(world.callsOf('editMessageCaption', order.user.telegramId)[0]?.payload.caption)).toContain(
      'kedaluwarsa',
    );
  });

  it('cancels until paid: stock back on cancel; a paid order cannot be cancelled and is delivered', async () => {
    const first = await checkout({ stock: 1 });
    const cancelled = await s.store.cancel(first.order.id, first.user.telegramId);
    expect(cancelled.order.status).toBe('cancelled');
    expect((await itemsOf(s.db, first.product.id)).available).toHaveLength(1);
    expect(await delivery.process(first.order.id)).toBe(true);
    expect(world.callsOf('sendMessage', first.user.telegramId).map((c) => c.payload.text)).toEqual([
      t.cancelled(first.order.id),
    ]);

    const second = await checkout({ stock: 1 });
    s.stack.sandbox.pay(second.payment.id);
    await s.stack.sandbox.webhooks.idle();
    const attempt = await s.store.cancel(second.order.id, second.user.telegramId);
    expect(attempt.order.status).toBe('paid');
    expect((await itemsOf(s.db, second.product.id)).sold).toHaveLength(1);
    // Someone else's order is not found for them.
    await expect(s.store.cancel(second.order.id, first.user.telegramId)).rejects.toMatchObject({
      code: 'ORDER_NOT_FOUND',
    });
  });

  it('keeps a wrong amount pending with its stock, and raises the alert', async () => {
    const order = await checkout({ stock: 1 });
    s.stack.sandbox.pay(order.payment.id, { webhookFaults: { wrongAmount: true } });
    await s.stack.sandbox.webhooks.idle();
    await delivery.sweep();
    expect((await getOrder(s.db, order.order.id))?.order.status).toBe('pending');
    expect((await itemsOf(s.db, order.product.id)).reserved).toHaveLength(1);
    expect(s.stack.alerts.filter((a) => a.paymentId === order.payment.id).map((a) => a.kind)).toContain(
      'amount_mismatch',
    );
  });

  it('expires the order of a payment paid too late (stock released) and the paid_late alert names it', async () => {
    const order = await checkout({ stock: 1 });
    await s.db.transaction((tx) => transition(tx, order.payment.id, 'expired', { source: 'sweeper' }));
    s.stack.sandbox.pay(order.payment.id);
    await s.stack.sandbox.webhooks.idle();
    await delivery.sweep();
    expect((await getOrder(s.db, order.order.id))?.order.status).toBe('expired');
    expect((await itemsOf(s.db, order.product.id)).available).toHaveLength(1);
    expect(s.stack.alerts.filter((a) => a.paymentId === order.payment.id).map((a) => a.kind)).toEqual([
      'paid_late',
    ]);
  });

  it('fails an order left without a payment (the process died inside checkout) and tells the buyer', async () => {
    const { product } = await stockedProduct(s.db, { stock: 1 });
    const user = await buyer(s.db);
    const { order } = await createOrder(s.db, {
      userId: user.telegramId,
      productId: product.id,
      quantity: 1,
      chatId: user.telegramId,
    });
    await delivery.sweep();
    expect((await getOrder(s.db, order.id))?.order.status).toBe('failed');
    expect((await itemsOf(s.db, product.id)).available).toHaveLength(1);
    expect(world.callsOf('sendMessage', user.telegramId).map((c) => c.payload.text)).toEqual([
      t.paymentCreateFailed,
    ]);
  });

  it('adopts the payment of an order whose link was lost', async () => {
    const order = await checkout();
    await s.db.update(storeOrders).set({ paymentId: null }).where(eq(storeOrders.id, order.order.id));
    await delivery.sweep();
    expect((await getOrder(s.db, order.order.id))?.order).toMatchObject({
      status: 'pending',
      paymentId: order.payment.id,
    });
  });

  it('marks notified once: a second mark changes nothing', async () => {
    const order = await checkout();
    s.stack.sandbox.pay(order.payment.id);
    await s.stack.sandbox.webhooks.idle();
    await settleOrder(s.db, order.order.id);
    expect(await claimNotification(s.db, order.order.id)).not.toBeNull();
    expect((await markNotified(s.db, order.order.id))?.status).toBe('delivered');
    expect(await markNotified(s.db, order.order.id)).toBeNull();
    expect(await claimNotification(s.db, order.order.id)).toBeNull();
  });

  it('counts seed 003 statistics', async () => {
    const stats = await adminStats(s.db);
    const [orders] = await s.db
      .select({
        paid: sql<number>`count(*) filter (where status in ('paid', 'delivered'))::int`,
        pending: sql<number>`count(*) filter (where status = 'pending')::int`,
        revenue: sql<number>`coalesce(sum(subtotal) filter (where status in ('paid', 'delivered')), 0)::int`,
      })
      .from(storeOrders);
    expect(stats.totalTransactions).toBe(orders?.paid);
    expect(stats.activeOrders).toBe(orders?.pending);
    expect(stats.revenueToday).toBe(orders?.revenue);
    expect(stats.totalTransactions).toBeGreaterThan(3);
    expect(stats.topProducts[0]?.sold).toBe(2);
    expect(stats.totalUsers).toBeGreaterThan(5);
  });

  it('keeps one store account and tops its license up before it runs out', async () => {
    const [a, b] = await Promise.all([ensureStoreAccount(s.db), ensureStoreAccount(s.db)]);
    expect(a).toEqual(s.account);
    expect(b).toEqual(s.account);
    await s.db.execute(sql`update licenses set tokens = 5 where id = ${s.account.licenseId}`);
    expect(await keepLicenseFunded(s.db, s.account)).toBe(1_000_000);
    const [row] = await s.db
      .select({ tokens: licenses.tokens })
      .from(licenses)
      .where(eq(licenses.id, s.account.licenseId));
    expect(row?.tokens).toBeGreaterThanOrEqual(LOW_TOKENS);
  });
});
