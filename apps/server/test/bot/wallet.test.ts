// The balance wallet and vouchers through the bot (issue 9), on both databases, with
// `bot.handleUpdate()` and the capturing fake Bot API: the checkout choice (QRIS, balance,
// balance + QRIS, voucher), double taps on two bot instances that spend once, two summaries racing
// for one balance, a single-use voucher raced by 10 buyers, /topup, a late Pakasir payment landing
// in the balance, and the owner's /voucher.
import { and, count, eq } from 'drizzle-orm';
import type { User } from 'grammy/types';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createStoreBot } from '../../src/bot/bot.js';
import { rupiah } from '../../src/bot/format.js';
import { messagesFor } from '../../src/bot/messages/index.js';
import { storeAuditLog, storeBalanceLedger, storeVouchers, storeVoucherUses } from '../../src/db/schema.js';
import { transition } from '../../src/payments/state.js';
import { addStaff } from '../../src/store/admins.js';
import { getOrder, listUserOrders } from '../../src/store/orders.js';
import { storeFee } from '../../src/store/pricing.js';
import { createVoucher, listVouchers } from '../../src/store/vouchers.js';
import { balanceOf, creditBalance, ledgerOf, unbalancedUsers } from '../../src/store/wallet.js';
import { describeEachDatabase } from '../databases.js';
import { itemsOf, stockedProduct } from '../store/harness.js';
import { ADMIN_ID, answers, type BotHarness, startBotHarness, TOKEN, textsIn } from './harness.js';
import { BOT_USER, type StoredMessage } from './telegram-world.js';

const t = messagesFor();

describeEachDatabase('store bot: balance wallet and vouchers', (getDatabase) => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await startBotHarness(getDatabase(), {
      limits: { commandsPerMinute: 1000, adminCommandsPerMinute: 1000, statusChecksPerMinute: 5 },
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  let serial = 0;
  /** A product of its own category, so its buttons are easy to find. */
  const product = async (options: { stock: number; customerPrice: number }) => {
    const category = `Dompet ${++serial}`;
    const made = await stockedProduct(h.s.db, { ...options, category, name: `Produk Dompet ${serial}` });
    return { ...made, category };
  };
  const funded = async (amount: number) => {
    const user = h.newUser();
    await h.send(user, '/start');
    if (amount > 0) await creditBalance(h.s.db, { userId: user.id, amount, reason: 'adjustment' });
    return user;
  };
  /** /start → catalog → category → product → Beli: the checkout choice (the message it is in). */
  const openCheckout = async (user: User, p: { product: { id: number }; category: string }) => {
    await h.send(user, '/start');
    await h.press(user, t.buttonCatalog);
    await h.press(user, `category:${p.category}`);
    await h.press(user, `product_${p.product.id}`);
    return h.press(user, `product_${p.product.id}_buy`);
  };
  const current = (user: User, message: StoredMessage) =>
    h.world.chat(user.id).find((m) => m.message_id === message.message_id);
  const buttonsOf = (message: StoredMessage | undefined) =>
    message?.reply_markup?.inline_keyboard.flat().map((b) => b.text) ?? [];
  /** Pays an order's QRIS payment in the sandbox and lets the sweeper settle and deliver. */
  const payInSandbox = async (paymentId: string) => {
    h.s.stack.sandbox.pay(paymentId);
    await h.s.stack.sandbox.webhooks.idle();
    await h.storeBot.delivery.sweep();
    await h.storeBot.idle();
  };
  /** A buyer's QRIS order for one item at `price`, expired (its stock back) and swept; not paid. */
  const expiredQrisOrder = async (price: number) => {
    const p = await product({ stock: 1, customerPrice: price });
    const user = await funded(0);
    await openCheckout(user, p);
    await h.press(user, t.buttonPayQris);
    const [bought] = await listUserOrders(h.s.db, user.id);
    if (!bought?.order.paymentId) throw new Error('no QRIS order');
    const paymentId = bought.order.paymentId;
    await h.s.db.transaction((tx) => transition(tx, paymentId, 'expired', { source: 'sweeper' }));
    await h.storeBot.delivery.sweep();
    await h.storeBot.idle();
    return { user, bought, paymentId };
  };
  const expectLedgerConsistent = async () => expect(await unbalancedUsers(h.s.db)).toEqual([]);

  it('10 concurrent taps of "Bayar pakai saldo" on two bot instances make one order and spend once', async () => {
    const p = await product({ stock: 3, customerPrice: 40_000 });
    const user = await funded(100_000);
    const summary = await openCheckout(user, p);
    const choice = current(user, summary);
    expect(choice?.text).toContain('👛 Saldo Anda: Rp 100.000');
    expect(buttonsOf(choice)).toEqual([
      t.buttonPayQris,
      t.buttonPayBalance,
      t.buttonUseVoucher,
      t.buttonBack,
    ]);
    // A second process of the bot over the same database: per-user ordering does not help here.
    const second = createStoreBot({
      token: TOKEN,
      botInfo: BOT_USER,
      store: h.s.store,
      adminIds: [ADMIN_ID],
      checkGateway: async () => true,
      checkoutUrl: (payment) => `http://quickcart.test/checkout/${payment.id}`,
      transformers: [h.world.transformer()],
      autoRetry: false,
    });
    try {
      const { message, data } = h.world.messageWithButton(user.id, t.buttonPayBalance);
      const taps = Array.from({ length: 10 }, () => h.world.press(user, message, data));
      await Promise.all(
        taps.map((update, i) => (i % 2 === 0 ? h.storeBot : second).bot.handleUpdate(update)),
      );
      await Promise.all([h.storeBot.idle(), second.idle()]);
    } finally {
      second.delivery.close();
    }
    const orders = await listUserOrders(h.s.db, user.id);
    expect(orders).toHaveLength(1);
    const order = orders[0]?.order;
    expect(order).toMatchObject({ status: 'delivered', balancePaid: 40_000, paymentMethod: 'balance' });
    expect(order?.paymentId).toBeNull();
    expect(await balanceOf(h.s.db, user.id)).toEqual({ balance: 60_000, ledgerSum: 60_000, entries: 2 });
    const debits = await h.s.db
      .select()
      .from(storeBalanceLedger)
      .where(and(eq(storeBalanceLedger.userId, user.id), eq(storeBalanceLedger.reason, 'order_payment')));
    expect(debits).toHaveLength(1);
    expect(answers(h.world).filter((a) => a === t.alreadyOrdered(order?.id ?? ''))).toHaveLength(9);
    // Delivered at once, once: the content and the confirmation, no QR.
    const texts = textsIn(h.world, user.id);
    expect(texts.filter((text) => text === t.deliveryText(p.product.name, p.contents[0] ?? ''))).toHaveLength(
      1,
    );
    expect(texts.filter((text) => text.startsWith('🎉 Pesanan berhasil!'))).toHaveLength(1);
    expect(h.world.callsOf('sendPhoto', user.id)).toEqual([]);
    expect(current(user, summary)?.text).toContain('👛 Dibayar dari saldo: Rp 40.000');
    expect((await itemsOf(h.s.db, p.product.id)).sold).toHaveLength(1);
    await expectLedgerConsistent();
  });

  it('two summaries racing for a balance that covers one: one order, the other told the balance is short', async () => {
    const p = await product({ stock: 2, customerPrice: 40_000 });
    const user = await funded(50_000);
    await openCheckout(user, p);
    const first = h.world.messageWithButton(user.id, t.buttonPayBalance);
    await openCheckout(user, p);
    const second = h.world.messageWithButton(user.id, t.buttonPayBalance);
    expect(second.message.message_id).not.toBe(first.message.message_id);
    expect(second.data).not.toBe(first.data);
    await Promise.all(
      [first, second].map(({ message, data }) =>
        h.storeBot.bot.handleUpdate(h.world.press(user, message, data)),
      ),
    );
    await h.storeBot.idle();
    expect(await listUserOrders(h.s.db, user.id)).toHaveLength(1);
    expect(
      textsIn(h.world, user.id).filter((text) => text === t.insufficientBalance(10_000, 40_000)),
    ).toHaveLength(1);
    expect(await balanceOf(h.s.db, user.id)).toMatchObject({ balance: 10_000, ledgerSum: 10_000 });
    expect((await itemsOf(h.s.db, p.product.id)).available).toHaveLength(1);
    await expectLedgerConsistent();
  });

  it('while the gateway is down, a balance that covers the bill still pays (no QRIS offered)', async () => {
    const p = await product({ stock: 1, customerPrice: 30_000 });
    const user = await funded(30_000);
    h.gateway.up = false;
    try {
      const summary = await openCheckout(user, p);
      expect(textsIn(h.world, user.id)).toContain(t.gatewayDown);
      expect(buttonsOf(current(user, summary))).toEqual([
        t.buttonPayBalance,
        t.buttonUseVoucher,
        t.buttonBack,
      ]);
      await h.press(user, t.buttonPayBalance);
    } finally {
      h.gateway.up = true;
    }
    const [bought] = await listUserOrders(h.s.db, user.id);
    expect(bought?.order).toMatchObject({ status: 'delivered', balancePaid: 30_000 });
    expect((await balanceOf(h.s.db, user.id)).balance).toBe(0);
  });

  it('balance + QRIS: the balance pays part, QRIS the rest with the fee on that part only', async () => {
    const p = await product({ stock: 1, customerPrice: 50_000 });
    const user = await funded(20_000);
    const summary = await openCheckout(user, p);
    const choice = current(user, summary);
    expect(buttonsOf(choice)).toContain(t.buttonPaySplit);
    expect(buttonsOf(choice)).not.toContain(t.buttonPayBalance);
    expect(choice?.text).toContain('Rp 20.000 dari saldo + Rp 30.520 lewat QRIS');
    expect(choice?.text).toContain('💳 QRIS: Rp 50.660');
    await h.press(user, t.buttonPaySplit);
    const [bought] = await listUserOrders(h.s.db, user.id);
    if (!bought) throw new Error('no order');
    const { order } = bought;
    expect(order).toMatchObject({
      balancePaid: 20_000,
      fee: storeFee(30_000),
      paymentMethod: 'balance+qris',
    });
    expect(current(user, summary)?.text).toBe(
      t.orderSummaryDetailed({
        orderId: order.id,
        productName: p.product.name,
        quantity: 1,
        unitPrice: 50_000,
        subtotal: 50_000,
        discount: 0,
        balancePaid: 20_000,
        fee: 520,
        qrisAmount: 30_520,
        total: 50_520,
      }),
    );
    const photo = h.world.callsOf('sendPhoto', user.id)[0];
    expect(String(photo?.payload.caption)).toContain('💰 Total Pembayaran: Rp 30.520');
    expect((await balanceOf(h.s.db, user.id)).balance).toBe(0);
    const payment = await h.s.store.paymentOf(order);
    expect(payment.amount).toBe(30_520);
    await payInSandbox(payment.id);
    expect((await getOrder(h.s.db, order.id))?.order.status).toBe('delivered');
    expect(textsIn(h.world, user.id)).toContain(t.deliveryText(p.product.name, p.contents[0] ?? ''));
    await expectLedgerConsistent();
  });

  it('a single-use voucher raced by 10 buyers is used exactly once; the other 9 are told why', async () => {
    const p = await product({ stock: 10, customerPrice: 50_000 });
    await createVoucher(h.s.db, { code: 'SEKALI', kind: 'percent', value: 50, maxUses: 1 });
    const buyers = await Promise.all(Array.from({ length: 10 }, () => funded(0)));
    for (const buyer of buyers) {
      await openCheckout(buyer, p);
      await h.press(buyer, t.buttonUseVoucher);
      expect(textsIn(h.world, buyer.id).at(-1)).toBe(t.voucherPrompt);
      await h.send(buyer, ' sekali ');
      expect(textsIn(h.world, buyer.id).at(-1)).toContain('🎟️ Voucher SEKALI: -Rp 25.000');
    }
    await Promise.all(buyers.map((buyer) => h.press(buyer, t.buttonPayQris)));
    const [voucher] = await h.s.db.select().from(storeVouchers).where(eq(storeVouchers.code, 'SEKALI'));
    expect(voucher?.usedCount).toBe(1);
    const [uses] = await h.s.db
      .select({ n: count() })
      .from(storeVoucherUses)
      .where(eq(storeVoucherUses.voucherId, voucher?.id ?? 0));
    expect(uses?.n).toBe(1);
    const orders = (await Promise.all(buyers.map((b) => listUserOrders(h.s.db, b.id)))).flat();
    expect(orders).toHaveLength(1);
    expect(orders[0]?.order).toMatchObject({ discount: 25_000, voucherId: voucher?.id });
    const refused = buyers.filter((b) =>
      textsIn(h.world, b.id).includes(t.voucherRefused('SEKALI', 'exhausted')),
    );
    expect(refused).toHaveLength(9);
    const photos = buyers.flatMap((b) => h.world.callsOf('sendPhoto', b.id));
    expect(photos).toHaveLength(1);
    expect(String(photos[0]?.payload.caption)).toContain(
      `💰 Total Pembayaran: ${rupiah(25_000 + storeFee(25_000))}`,
    );
  });

  it('refuses a voucher code that does not exist, with the reason', async () => {
    const p = await product({ stock: 1, customerPrice: 50_000 });
    const user = await funded(0);
    await openCheckout(user, p);
    await h.press(user, t.buttonUseVoucher);
    await h.send(user, 'TIDAKADA');
    expect(textsIn(h.world, user.id).at(-1)).toBe(t.voucherRefused('TIDAKADA', 'not_found'));
    // The prompt was answered: the next text is an ordinary message again.
    await h.send(user, 'halo');
    expect(textsIn(h.world, user.id).at(-1)).toBe(t.unknownCommand);
  });

  it('/topup 10000: the fee, the QR, then "Saldo bertambah" exactly once', async () => {
    const user = await funded(0);
    await h.send(user, '/topup 5000');
    expect(textsIn(h.world, user.id).at(-1)).toBe(t.topupTooSmall(10_000));
    await h.send(user, '/topup 20.000.000');
    expect(textsIn(h.world, user.id).at(-1)).toBe(t.topupTooLarge(10_000_000));
    await h.send(user, '/topup 10000');
    const [topup] = await listUserOrders(h.s.db, user.id);
    if (!topup) throw new Error('no top-up order');
    const { order } = topup;
    expect(order).toMatchObject({ kind: 'topup', subtotal: 10_000, fee: 380, totalBill: 10_380 });
    expect(textsIn(h.world, user.id)).toContain(
      t.topupSummary({ orderId: order.id, amount: 10_000, fee: 380, total: 10_380 }),
    );
    const photo = h.world.callsOf('sendPhoto', user.id).at(-1);
    expect(String(photo?.payload.caption)).toContain('💰 Total Pembayaran: Rp 10.380');
    const payment = await h.s.store.paymentOf(order);
    await payInSandbox(payment.id);
    await h.storeBot.delivery.sweep();
    const done = t.topupDone(10_000, 10_000);
    expect(textsIn(h.world, user.id).filter((text) => text === done)).toHaveLength(1);
    expect(await balanceOf(h.s.db, user.id)).toEqual({ balance: 10_000, ledgerSum: 10_000, entries: 1 });
    expect(textsIn(h.world, user.id)).toContain(t.topupQrPaidCaption(order.id, 10_380));
    await expectLedgerConsistent();
  });

  it('/topup without an amount offers presets and takes a typed amount', async () => {
    const user = await funded(0);
    await h.send(user, '/isisaldo');
    const prompt = h.world.chat(user.id).at(-1);
    expect(prompt?.text).toBe(t.topupPrompt(10_000));
    expect(buttonsOf(prompt)).toEqual(['Rp 10.000', 'Rp 25.000', 'Rp 50.000', 'Rp 100.000', t.buttonBack]);
    await h.send(user, 'Rp 25.000');
    const [order] = await listUserOrders(h.s.db, user.id);
    expect(order?.order).toMatchObject({ kind: 'topup', subtotal: 25_000 });
    await h.send(user, '/topup');
    // A double tap on one preset (the same button of the same message, twice at once) makes one QR.
    const { message, data } = h.world.messageWithButton(user.id, 'topup:50000');
    await Promise.all([0, 1].map(() => h.storeBot.bot.handleUpdate(h.world.press(user, message, data))));
    await h.storeBot.idle();
    const orders = await listUserOrders(h.s.db, user.id);
    expect(orders.map((o) => o.order.subtotal).sort()).toEqual([25_000, 50_000]);
    expect(h.world.chat(user.id).filter((m) => m.photo !== undefined)).toHaveLength(2);
  });

  it('a late payment found by a status refresh (not the sweep) is credited and told once too', async () => {
    const { user, bought, paymentId } = await expiredQrisOrder(40_000);
    h.s.stack.sandbox.pay(paymentId);
    await h.s.stack.sandbox.webhooks.idle();
    // The path of a payment notification or a "Status Pembayaran" press: refresh, then tell.
    await h.storeBot.delivery.process(bought.order.id);
    await h.storeBot.delivery.sweep();
    await h.storeBot.idle();
    const amount = 40_000 + storeFee(40_000);
    const told = t.lateCredited(bought.order.id, amount, amount);
    expect(textsIn(h.world, user.id).filter((text) => text === told)).toHaveLength(1);
    expect(await balanceOf(h.s.db, user.id)).toMatchObject({ balance: amount, ledgerSum: amount });
  });

  it('a Pakasir payment after expiry lands in the balance, the buyer is told once and sees it in /saldo', async () => {
    const { user, bought, paymentId } = await expiredQrisOrder(50_000);
    expect((await getOrder(h.s.db, bought.order.id))?.order.status).toBe('expired');
    await payInSandbox(paymentId);
    await h.storeBot.delivery.sweep();
    const amount = 50_000 + storeFee(50_000);
    const told = t.lateCredited(bought.order.id, amount, amount);
    expect(textsIn(h.world, user.id).filter((text) => text === told)).toHaveLength(1);
    expect(await balanceOf(h.s.db, user.id)).toMatchObject({ balance: amount, ledgerSum: amount });
    const [entry] = await ledgerOf(h.s.db, user.id, { limit: 1 });
    expect(entry).toMatchObject({ reason: 'late_payment', delta: amount, orderId: bought.order.id });
    await h.send(user, '/saldo');
    const screen = h.world.chat(user.id).at(-1);
    expect(screen?.text).toContain('👛 Saldo Anda: Rp 50.660');
    expect(screen?.text).toContain('Pembayaran terlambat: +Rp 50.660');
    expect(buttonsOf(screen)).toContain(t.buttonTopup);
    // The menu's "👛 Saldo" button shows the same screen.
    await h.press(user, t.buttonBack);
    await h.press(user, t.buttonWallet);
    expect(h.world.chat(user.id).at(-1)?.text).toBe(screen?.text);
    await expectLedgerConsistent();
  });

  it('/voucher create, list, disable for the owner, audited; staff are refused, buyers see an unknown command', async () => {
    const admin = h.admin;
    const last = () => textsIn(h.world, ADMIN_ID).at(-1);
    await h.send(admin, '/voucher create HEMAT10 percent 10 expires=2099-12-31 max=100 per_user=1');
    expect(last()).toContain('✅ Voucher dibuat');
    expect(last()).toContain('HEMAT10: 10% — s/d 31/12/2099 — dipakai 0/100 — per pengguna 1 — aktif');
    await h.send(admin, '/voucher create POTONG fixed 5.000 product=999999');
    expect(last()).toBe(t.productUnknown(999_999));
    await h.send(admin, '/voucher create HEMAT10 percent 10');
    expect(last()).toMatch(/^⚠️ Input tidak valid/);
    await h.send(admin, '/voucher create ABC');
    expect(last()).toBe(t.voucherUsage);
    await h.send(admin, '/voucher list');
    expect(last()).toContain('HEMAT10: 10%');
    await h.send(admin, '/voucher disable hemat10');
    expect(last()).toBe(t.voucherDisabled('HEMAT10'));
    await h.send(admin, '/voucher disable NOPE1');
    expect(last()).toBe(t.voucherNotFound('NOPE1'));
    expect((await listVouchers(h.s.db)).find((v) => v.code === 'HEMAT10')?.isActive).toBe(false);
    const audit = await h.s.db
      .select()
      .from(storeAuditLog)
      .where(eq(storeAuditLog.target, 'voucher:HEMAT10'))
      .orderBy(storeAuditLog.id);
    expect(audit.map((a) => [a.action, a.actorId])).toEqual([
      ['voucher.create', ADMIN_ID],
      ['voucher.disable', ADMIN_ID],
    ]);

    const staff = h.newUser();
    await addStaff(h.s.db, { telegramId: staff.id, addedBy: ADMIN_ID, ownerIds: [ADMIN_ID] });
    await h.send(staff, '/voucher list');
    expect(textsIn(h.world, staff.id).at(-1)).toBe(t.notAllowed);
    const buyer = h.newUser();
    await h.send(buyer, '/voucher create GRATIS percent 100');
    expect(textsIn(h.world, buyer.id).at(-1)).toBe(t.unknownCommand);
    expect((await listVouchers(h.s.db)).map((v) => v.code)).not.toContain('GRATIS');
  });
});
